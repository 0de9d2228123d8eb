package org.salesledger.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * {@code salesledger replay-kafka --topic T [--from TIME] [--force]}: asks the command side to republish the
 * history into a topic of a new integrator's own and follows it with a progress bar (events done of total, rate,
 * time left) until it is done.
 */
@Command(name = "replay-kafka", sortOptions = false,
        description = "Republish the actions stored since TIME (default: all) into a new integrator's own Kafka "
                + "topic, with progress.",
        footer = {"", "Exit: 0 when the replay finished, 1 when it was refused or failed or the command side could "
                + "not be reached."})
public final class ReplayKafkaCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);

    @Option(names = "--topic", paramLabel = "TOPIC", description = "the topic to publish into (required)")
    String topic;

    @Parameters(arity = "0..1", paramLabel = "TOPIC", description = "the topic, when not given as --topic")
    String topicArgument;

    @Option(names = "--from", paramLabel = "TIME",
            description = "only actions stored at or after this time, RFC 3339 (e.g. 2025-01-01T00:00:00Z)")
    String from;

    @Option(names = "--force",
            description = "replay even into the live topic (every reader gets every action again; admin only)")
    boolean force;

    @Option(names = "--url", paramLabel = "URL",
            description = "the command side (default: localhost, port $SALESLEDGER_COMMAND_PORT or 8081)")
    URI url;

    @Mixin
    CredentialOptions credentials;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    public ReplayKafkaCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String target = topic != null ? topic : topicArgument;
        if (target == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--topic=TOPIC'");
        }
        credentials.apply();
        return run(url != null ? url : context.commandUri(), target, from, force, context.out(), context.err());
    }

    /**
     * Exit code: 0 when the replay finished, 1 when it was refused or failed or the command side could not be
     * reached.
     *
     * @param from RFC 3339 time; {@code null} for the whole history
     */
    public static int run(URI commandUrl, String topic, String from, boolean force, PrintStream out,
                          PrintStream err) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ObjectNode request = JSON.createObjectNode().put("topic", topic);
        if (from != null) {
            request.put("from", from);
        }
        if (force) {
            request.put("force", true);
        }
        try {
            HttpResponse<String> started = http.send(CliCredentials.request(
                            commandUrl.resolve("/api/v1/admin/kafka-replays"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                err.println("the command side refused the replay (HTTP " + started.statusCode() + "): "
                        + message(started.body()));
                return 1;
            }
            return follow(http, commandUrl, JSON.readTree(started.body()).get("id").asText(), out, err) ? 0 : 1;
        } catch (ConnectException e) {
            err.println("cannot reach " + commandUrl + " — is `./salesledger run` running?");
            return 1;
        } catch (IOException e) {
            err.println("replay failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted; the replay goes on in the server");
            return 1;
        }
    }

    private static boolean follow(HttpClient http, URI commandUrl, String id, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        boolean terminal = System.console() != null;
        long started = System.nanoTime();
        long lastPrinted = 0;
        while (true) {
            HttpResponse<String> response = http.send(CliCredentials.request(
                    commandUrl.resolve("/api/v1/admin/kafka-replays/" + id)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode status = JSON.readTree(response.body());
            String state = status.path("state").asText();
            boolean finished = state.equals("DONE") || state.equals("FAILED");
            long now = System.nanoTime();
            if (terminal || now - lastPrinted > 5_000_000_000L || finished) {
                long done = status.path("eventsDone").asLong();
                String bar = ProgressBar.render(done, status.path("eventsTotal").asLong(), done, "events",
                        Duration.ofNanos(now - started));
                err.print((terminal ? "\r" : "") + status.path("topic").asText() + " " + bar
                        + (terminal ? "" : System.lineSeparator()));
                err.flush();
                lastPrinted = now;
            }
            if (finished) {
                if (terminal) {
                    err.println();
                }
                (state.equals("DONE") ? out : err).println(status.path("message").asText());
                return state.equals("DONE");
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
