package org.salesledger.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code salesledger rebuild READ_MODEL|all}: asks the query side to rebuild read models from the first event and
 * follows each with a progress bar (events done of total, rate, time left) until it is done. The names it takes are
 * the server's ({@link ReadModelNames}); another is refused before anything is sent.
 */
@Command(name = "rebuild", sortOptions = false,
        description = "Rebuild a read model (or all) from the first event, with progress; the old tables answer "
                + "queries until the rebuilt ones replace them.",
        footer = {"", "Exit: 0 when every rebuild finished, 1 when one failed or the query side could not be reached."})
public final class RebuildCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);

    @Parameters(index = "0", paramLabel = "READ_MODEL", completionCandidates = ReadModelNames.class,
            description = "one of: ${COMPLETION-CANDIDATES}")
    String readModel;

    @Option(names = "--url", paramLabel = "URL",
            description = "the query side (default: localhost, port $SALESLEDGER_QUERY_PORT or 8082)")
    URI url;

    @Mixin
    CredentialOptions credentials;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    public RebuildCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!ReadModelNames.names().contains(readModel)) {
            throw new ParameterException(spec.commandLine(), "unknown read model '" + readModel + "': give one of "
                    + String.join(", ", ReadModelNames.names()));
        }
        credentials.apply();
        return run(url != null ? url : context.queryUri(), readModel, context.out(), context.err());
    }

    /** Exit code: 0 when every rebuild finished, 1 when one failed or the query side could not be reached. */
    public static int run(URI queryUrl, String readModel, PrintStream out, PrintStream err) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            HttpResponse<String> started = http.send(CliCredentials.request(
                            queryUrl.resolve("/api/v1/admin/rebuilds/" + readModel))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                err.println("the query side refused the rebuild (HTTP " + started.statusCode() + "): "
                        + message(started.body()));
                return 1;
            }
            int failures = 0;
            for (JsonNode status : JSON.readTree(started.body())) {
                failures += follow(http, queryUrl, status.get("readModel").asText(), out, err) ? 0 : 1;
            }
            return failures == 0 ? 0 : 1;
        } catch (ConnectException e) {
            err.println("cannot reach " + queryUrl + " — is `./salesledger run` running?");
            return 1;
        } catch (IOException e) {
            err.println("rebuild failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted; the rebuild goes on in the server");
            return 1;
        }
    }

    private static boolean follow(HttpClient http, URI queryUrl, String readModel, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        boolean terminal = System.console() != null;
        long started = System.nanoTime();
        long lastPrinted = 0;
        while (true) {
            HttpResponse<String> response = http.send(CliCredentials.request(
                    queryUrl.resolve("/api/v1/admin/rebuilds/" + readModel)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode status = JSON.readTree(response.body());
            String state = status.path("state").asText();
            long now = System.nanoTime();
            if (terminal || now - lastPrinted > 5_000_000_000L || state.equals("DONE") || state.equals("FAILED")) {
                String bar = ProgressBar.render(status.path("eventsDone").asLong(), status.path("eventsTotal").asLong(),
                        status.path("eventsDone").asLong(), "events", Duration.ofNanos(now - started));
                err.print((terminal ? "\r" : "") + readModel + " " + bar + (terminal ? "" : System.lineSeparator()));
                err.flush();
                lastPrinted = now;
            }
            if (state.equals("DONE")) {
                if (terminal) {
                    err.println();
                }
                out.println(readModel + ": " + status.path("message").asText());
                return true;
            }
            if (state.equals("FAILED")) {
                if (terminal) {
                    err.println();
                }
                err.println(readModel + ": " + status.path("message").asText());
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String message(String body) {
        try {
            return JSON.readTree(body).path("message").asText(body);
        } catch (IOException e) {
            return body;
        }
    }
}
