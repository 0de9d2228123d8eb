package org.salesledger.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.salesledger.bench.generate.DataGenerator;
import org.salesledger.bench.generate.GeneratorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code salesledger demo}: fills a running system with generated demo data (the data generator's journeys of the
 * last six months, customer ids {@code demo-c-…}) and demo users of every role placed in the organisation — a
 * director of region east, a supervisor of team east-t1 with its six reps (the generator's rep ids, so they own
 * customers), an analyst and an auditor — then prints the dashboard's address and every login (user id and secret).
 * The logins are kept, owner-only, in {@code demo-logins.json} of the data directory: a second run imports nothing
 * again (the data is there), keeps the users whose secret still works and says so.
 */
@Command(name = "demo", sortOptions = false,
        description = "Load demo data and demo users of every role into a running system; print the dashboard's "
                + "address and the logins.",
        footer = {"", "Exit: 0 done, 1 refused or unreachable.", "Example: salesledger run (in one terminal), then "
                + "salesledger demo"})
public final class DemoCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LOGINS_FILE = "demo-logins.json";
    /** The generator's ids of east's team 1: its ten reps (rep-east-1-1 … 10) own generated customers. */
    private static final String REGION = "east";
    private static final String TEAM = "east-t1";
    private static final String SUPERVISOR = "sup-east-1";

    /** A demo user: its id, role and place in the organisation. */
    public record DemoUser(String id, String name, String role, String team, String region, String supervisorId) {
    }

    /** The demo organisation, in the order the logins are printed (a supervisor before its reps). */
    public static final List<DemoUser> USERS = List.of(
            new DemoUser("dir-east", "华东总监 Director East", "director", null, REGION, null),
            new DemoUser(SUPERVISOR, "华东一组主管 Supervisor East 1", "supervisor", TEAM, REGION, null),
            rep(1), rep(2), rep(3), rep(4), rep(5), rep(6), rep(7), rep(8), rep(9), rep(10),
            new DemoUser("analyst-1", "分析师 Analyst", "analyst", null, null, null),
            new DemoUser("auditor-1", "审计 Auditor", "auditor", null, null, null));

    private static DemoUser rep(int n) {
        return new DemoUser("rep-east-1-" + n, "销售 Rep East 1-" + n, "rep", TEAM, REGION, SUPERVISOR);
    }

    @Option(names = "--customers", paramLabel = "N", defaultValue = "300",
            description = "how many demo customers to generate (default: ${DEFAULT-VALUE})")
    long customers;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "21", description = "the generator's seed")
    long seed;

    @Option(names = "--url", paramLabel = "URL",
            description = "the command side (default: localhost, port $SALESLEDGER_COMMAND_PORT or 8081)")
    URI url;

    @Option(names = "--query-url", paramLabel = "URL",
            description = "the query side, where the dashboard is (default: localhost, port $SALESLEDGER_QUERY_PORT or 8082)")
    URI queryUrl;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    private final CliContext context;

    public DemoCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Path dataDir = Path.of(EnvironmentVariable.DATA_DIR.readOrDefault(System.getenv()));
        return run(url != null ? url : context.commandUri(), queryUrl != null ? queryUrl : context.queryUri(),
                options(customers, seed, LocalDate.now(ZoneOffset.UTC)), dataDir, context.out(), context.err());
    }

    /** The generator's settings for the demo: the six months before the current one, ids {@code demo-c-…}. */
    public static GeneratorOptions options(long customers, long seed, LocalDate today) {
        LocalDate start = today.withDayOfMonth(1).minusMonths(6);
        return GeneratorOptions.of(customers, seed).withPeriod(start, 6).withPrefix("demo-");
    }

    /** Exit code: 0 done, 1 refused or unreachable. */
    public static int run(URI commandUrl, URI queryUrl, GeneratorOptions options, Path dataDir, PrintStream out,
                          PrintStream err) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            String firstCustomer = JSON.readTree(DataGenerator.journey(options, 0).get(0)).path("subject").asText();
            HttpResponse<String> probe = http.send(CliCredentials.request(queryUrl.resolve(
                    "/api/v1/customers/" + firstCustomer + "/timeline?limit=1")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (probe.statusCode() == 200) {
                out.println("demo data: already loaded (customer " + firstCustomer + " exists); nothing imported");
            } else {
                Path file = Files.createTempFile("salesledger-demo", ".ndjson");
                try {
                    DataGenerator.Summary summary;
                    try (OutputStream stream = Files.newOutputStream(file)) {
                        summary = new DataGenerator(options).write(stream);
                    }
                    out.println("demo data: " + summary.customers() + " customers, " + summary.lines()
                            + " actions from " + options.start() + " for " + options.months() + " months");
                    int imported = ImportCommand.run(commandUrl, file, out, err);
                    if (imported != 0) {
                        return imported;
                    }
                } finally {
                    Files.deleteIfExists(file);
                }
            }
            Path loginsFile = dataDir.resolve(LOGINS_FILE);
            ObjectNode logins = Files.isRegularFile(loginsFile) ? (ObjectNode) JSON.readTree(loginsFile.toFile())
                    : JSON.createObjectNode();
            URI tokenUrl = commandUrl.resolve("/oauth2/token");
            Map<DemoUser, String> secrets = new LinkedHashMap<>();
            for (DemoUser user : USERS) {
                String kept = logins.path(user.id()).asText(null);
                if (kept != null && signsIn(http, tokenUrl, user.id(), kept)) {
                    out.println("user " + user.id() + ": exists, its secret kept");
                    secrets.put(user, kept);
                    continue;
                }
                String secret = define(http, commandUrl, user, err);
                if (secret == null) {
                    return 1;
                }
                out.println("user " + user.id() + ": " + (kept == null ? "created" : "given a new secret")
                        + " (" + user.role() + ")");
                secrets.put(user, secret);
                logins.put(user.id(), secret);
            }
            Files.writeString(loginsFile, logins.toPrettyString() + "\n", StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(loginsFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the directory's defaults
            }
            String dashboard = "http://" + ("localhost".equals(queryUrl.getHost()) ? "127.0.0.1" : queryUrl.getHost())
                    + ":" + queryUrl.getPort() + "/";
            out.println();
            out.println("Dashboard: " + dashboard + "   (sign in with a user id and its secret)");
            out.printf("%-14s %-11s %s%n", "user id", "role", "secret");
            secrets.forEach((user, secret) -> out.printf("%-14s %-11s %s%n", user.id(), user.role(), secret));
            out.println("(kept in " + loginsFile + ")");
            return 0;
        } catch (ConnectException e) {
            err.println("cannot reach " + commandUrl + " — is `./salesledger run` running?");
            return 1;
        } catch (IOException e) {
            err.println("demo failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static boolean signsIn(HttpClient http, URI tokenUrl, String id, String secret)
            throws IOException, InterruptedException {
        return http.send(CliCredentials.tokenRequest(tokenUrl, id, secret), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200;
    }

    /** Creates or changes the user and gives it new credentials: its secret, or {@code null} (said on err). */
    private static String define(HttpClient http, URI commandUrl, DemoUser user, PrintStream err)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("name", user.name());
        body.putArray("roles").add(user.role());
        body.put("team", user.team()).put("region", user.region()).put("supervisorId", user.supervisorId());
        URI uri = commandUrl.resolve("/api/v1/admin/users/" + user.id());
        HttpResponse<String> defined = http.send(CliCredentials.request(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (defined.statusCode() != 200) {
            err.println("the command side refused user " + user.id() + " (HTTP " + defined.statusCode() + "): "
                    + defined.body());
            return null;
        }
        HttpResponse<String> issued = http.send(CliCredentials.request(URI.create(uri + "/credentials"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (issued.statusCode() != 201) {
            err.println("user " + user.id() + " saved, but no credentials were given (HTTP " + issued.statusCode()
                    + "): " + issued.body());
            return null;
        }
        JsonNode client = JSON.readTree(issued.body());
        return client.path("clientSecret").asText();
    }
}
