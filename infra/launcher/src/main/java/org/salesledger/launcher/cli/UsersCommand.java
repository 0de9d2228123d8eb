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

/**
 * {@code salesledger users add ID --role ROLE [--role …] [--name N] [--team T] [--region R] [--supervisor S]}:
 * creates (or changes) a user through {@code PUT /api/v1/admin/users/{id}} and gives it credentials of the embedded
 * authorization server, printed once (contract §7). {@code salesledger token} prints an access token of the
 * client the CLI authenticates with.
 */
public final class UsersCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UsersCommand() {
    }

    /** Exit code: 0 done, 1 refused or unreachable, 2 a usage error. */
    public static int run(URI commandUrl, String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !args[0].equals("add")) {
            err.println("usage: salesledger users add ID --role ROLE [--role ROLE…] [--name NAME] [--team TEAM] "
                    + "[--region REGION] [--supervisor USER_ID] [--url URL]");
            return 2;
        }
        String id = args[1];
        List<String> roles = new ArrayList<>();
        String name = id;
        String team = null;
        String region = null;
        String supervisor = null;
        for (int i = 2; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                err.println("salesledger users: " + option + " needs a value");
                return 2;
            }
            String value = args[++i];
            switch (option) {
                case "--role" -> roles.add(value);
                case "--name" -> name = value;
                case "--team" -> team = value;
                case "--region" -> region = value;
                case "--supervisor" -> supervisor = value;
                case "--url" -> commandUrl = URI.create(value);
                default -> {
                    err.println("salesledger users: unknown option " + option);
                    return 2;
                }
            }
        }
        if (roles.isEmpty()) {
            err.println("salesledger users add: give at least one --role (rep, supervisor, director, admin, analyst, "
                    + "auditor, integrator)");
            return 2;
        }
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
