package org.salesledger.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code salesledger users add ID --role ROLE [--role …] [--name N] [--team T] [--region R] [--supervisor S]}:
 * creates (or changes) a user through {@code PUT /api/v1/admin/users/{id}} and gives it credentials of the embedded
 * authorization server, printed once (contract §7). {@link TokenCommand} prints an access token of the client the
 * CLI authenticates with ({@link #token}).
 */
@Command(name = "users", description = "Manage the users of the embedded authorization server.",
        synopsisSubcommandLabel = "COMMAND")
public final class UsersCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    private final CliContext context;

    public UsersCommand(CliContext context) {
        this.context = context;
    }

    /** {@code users add}. */
    @Command(name = "add", sortOptions = false,
            description = "Create (or change) a user and give it new client credentials, printed once.",
            footer = {"", "Exit: 0 done, 1 refused or unreachable.",
                    "Example: salesledger users add rep-07 --role rep --region east --supervisor sup-1"})
    int add(@Parameters(paramLabel = "ID", description = "the user's id") String id,
            @Option(names = "--role", paramLabel = "ROLE", required = true,
                    description = "a role: rep, supervisor, director, admin, analyst, auditor, integrator "
                            + "(repeat for several)") List<String> roles,
            @Option(names = "--name", paramLabel = "NAME", description = "display name (default: the id)") String name,
            @Option(names = "--team", paramLabel = "TEAM", description = "the user's team") String team,
            @Option(names = "--region", paramLabel = "REGION", description = "the user's region") String region,
            @Option(names = "--supervisor", paramLabel = "USER_ID", description = "the user's supervisor")
            String supervisor,
            @Option(names = "--url", paramLabel = "URL",
                    description = "the command side (default: localhost, port $SALESLEDGER_COMMAND_PORT or 8081)")
            URI url,
            @Mixin CredentialOptions credentials,
            @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit") boolean help) {
        credentials.apply();
        return add(url != null ? url : context.commandUri(), id, roles, name == null ? id : name, team, region,
                supervisor, context.out(), context.err());
    }

    /** Exit code: 0 done, 1 refused or unreachable. */
    public static int add(URI commandUrl, String id, List<String> roles, String name, String team, String region,
                          String supervisor, PrintStream out, PrintStream err) {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        ArrayNode list = body.putArray("roles");
        roles.forEach(list::add);
        body.put("team", team).put("region", region).put("supervisorId", supervisor);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            URI user = commandUrl.resolve("/api/v1/admin/users/" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            HttpResponse<String> defined = http.send(CliCredentials.request(user)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (defined.statusCode() != 200) {
                err.println("the command side refused the user (HTTP " + defined.statusCode() + "): "
                        + errors(defined.body()));
                return 1;
            }
            HttpResponse<String> credentials = http.send(CliCredentials.request(URI.create(user + "/credentials"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (credentials.statusCode() != 201) {
                err.println("user '" + id + "' saved, but no credentials were given (HTTP " + credentials.statusCode()
                        + "): " + errors(credentials.body()));
                return 1;
            }
            JsonNode client = JSON.readTree(credentials.body());
            out.println("user '" + id + "' " + (JSON.readTree(defined.body()).path("created").asBoolean()
                    ? "created" : "saved") + " with roles " + roles);
            out.println("clientId      " + client.path("clientId").asText());
            out.println("clientSecret  " + client.path("clientSecret").asText() + "   (shown once: keep it now)");
            out.println("tokenUrl      " + client.path("tokenUrl").asText());
            return 0;
        } catch (ConnectException e) {
            err.println("cannot reach " + commandUrl + " — is `./salesledger run` running?");
            return 1;
        } catch (IOException e) {
            err.println("users add failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** {@code salesledger token}: prints an access token (for {@code curl -H "Authorization: Bearer …"}). */
    public static int token(URI commandUrl, PrintStream out, PrintStream err) {
        try {
            out.println(CliCredentials.authorization(commandUrl).substring("Bearer ".length()));
            return 0;
        } catch (ConnectException e) {
            err.println("cannot reach the token endpoint — is `./salesledger run` running?");
            return 1;
        } catch (IOException e) {
            err.println("no token: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String errors(String body) {
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                List<String> shown = new ArrayList<>();
                errors.forEach(e -> shown.add(e.path("field").asText() + ": " + e.path("message").asText()));
                return String.join("; ", shown);
            }
        } catch (IOException e) {
            // shown as it is
        }
        return body;
    }
}
