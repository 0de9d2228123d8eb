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
import picocli.CommandLine.Option;

/**
 * {@code salesledger verify-read-models [--limit N]}: asks the query side to compare every read model with the event
 * store ({@code POST /api/v1/admin/consistency}), follows the check with a progress bar (events compared of those
 * stored), then prints each read model's summary and every difference listed.
 */
@Command(name = "verify-read-models", sortOptions = false,
        description = "Compare every read model with the event store, with progress; name each difference.",
        footer = {"", "Exit: 0 when every read model holds what the event store holds, 1 when there are differences, "
                + "2 when the check could not be run."})
public final class VerifyReadModelsCommand implements Callable<Integer> {

    /** Every read model holds what the event store holds (parked customers aside). */
    public static final int CONSISTENT = 0;
    /** Differences were found. */
    public static final int DIFFERENCES = 1;
    /** The check could not be run or failed. */
    public static final int FAILED = 2;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "differences listed at most (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--url", paramLabel = "URL",
            description = "the query side (default: localhost, port $SALESLEDGER_QUERY_PORT or 8082)")
    URI url;

    @Mixin
    CredentialOptions credentials;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    private final CliContext context;

    public VerifyReadModelsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        credentials.apply();
        return run(url != null ? url : context.queryUri(), limit, context.out(), context.err());
    }

    public static int run(URI queryUrl, int limit, PrintStream out, PrintStream err) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI resource = queryUrl.resolve("/api/v1/admin/consistency");
        try {
            HttpResponse<String> started = http.send(CliCredentials.request(URI.create(resource + "?limit=" + limit))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                err.println("the query side refused the check (HTTP " + started.statusCode() + "): "
                        + message(started.body()));
                return FAILED;
            }
            String id = JSON.readTree(started.body()).path("id").asText();
            JsonNode report = follow(http, resource, id, err);
            return print(report, out, err);
        } catch (ConnectException e) {
            err.println("cannot reach " + queryUrl + " — is `./salesledger run` running?");
            return FAILED;
        } catch (IOException e) {
            err.println("verify-read-models failed: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted; the check goes on in the server (GET " + resource + ")");
            return FAILED;
        }
    }

    private static JsonNode follow(HttpClient http, URI resource, String id, PrintStream err)
            throws IOException, InterruptedException {
        boolean terminal = System.console() != null;
        long started = System.nanoTime();
        long lastPrinted = 0;
        while (true) {
            JsonNode report = JSON.readTree(http.send(CliCredentials.request(resource).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (!report.path("id").asText().equals(id)) {
                throw new IOException("another consistency check replaced this one");
            }
            boolean finished = !report.path("state").asText().equals("RUNNING");
            long now = System.nanoTime();
            if (terminal || now - lastPrinted > 5_000_000_000L || finished) {
                String bar = ProgressBar.render(report.path("eventsDone").asLong(), report.path("eventsTotal").asLong(),
                        report.path("customersDone").asLong(), "customers", Duration.ofNanos(now - started));
                err.print((terminal ? "\r" : "") + "verify " + bar + (terminal ? "" : System.lineSeparator()));
                err.flush();
                lastPrinted = now;
            }
            if (finished) {
                if (terminal) {
                    err.println();
                }
                return report;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static int print(JsonNode report, PrintStream out, PrintStream err) {
        if (report.path("state").asText().equals("FAILED")) {
            err.println(report.path("message").asText());
            return FAILED;
        }
        for (JsonNode model : report.path("readModels")) {
            out.printf("%-12s %s%n", model.path("readModel").asText(), model.hasNonNull("skipped")
                    ? "not compared: " + model.path("skipped").asText()
                    : model.path("customersCompared").asLong() + " customers compared, "
                    + model.path("differences").asLong() + " differences, "
                    + model.path("customersParked").asLong() + " parked (dead letters), "
                    + model.path("customersCatchingUp").asLong() + " still being applied");
        }
        for (JsonNode d : report.path("differences")) {
            // a tally spans customers: it names none
            String customer = d.path("customerId").isTextual() ? d.path("customerId").asText() + " " : "";
            out.println(d.path("readModel").asText() + " " + customer
                    + d.path("kind").asText() + ": expected " + d.path("expected").asText() + ", found "
                    + d.path("found").asText());
        }
        for (JsonNode p : report.path("parked")) {
            out.println(p.path("readModel").asText() + " " + p.path("customerId").asText()
                    + " PARKED: in the dead-letter queue (GET /api/v1/admin/dead-letters/" + p.path("readModel").asText()
                    + "), not compared");
        }
        long total = report.path("differencesTotal").asLong();
        long listed = report.path("differences").size();
        if (total > listed) {
            out.println("… and " + (total - listed) + " more differences (--limit to list more)");
        }
        out.println(report.path("message").asText());
        if (total > 0) {
            return DIFFERENCES;
        }
        for (JsonNode model : report.path("readModels")) {
            if (model.hasNonNull("skipped")) {
                err.println("not every read model was compared: run the check again when " + model.path("readModel")
                        .asText() + " is not being rebuilt");
                return FAILED;
            }
        }
        return CONSISTENT;
    }

    private static String message(String body) {
        try {
            return JSON.readTree(body).path("message").asText(body);
        } catch (IOException e) {
            return body;
        }
    }
}
