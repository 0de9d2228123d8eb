package org.salesledger.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code salesledger import FILE|-}: streams an NDJSON file — or standard input, for {@code -} — to
 * {@code POST /api/v1/import}, never holding it in memory, with a progress bar on stderr, then prints the server's
 * summary.
 */
@Command(name = "import", sortOptions = false,
        description = "Post NDJSON actions (one envelope a line) to the command side, with a progress bar on standard "
                + "error, then print how many were accepted, duplicates and rejected (with the first errors).",
        footer = {"", "Exit: 0 when the server answered the import (even with rejected lines), 1 when it could not.",
                "Example: salesledger generate --customers 1000 | salesledger import -"})
public final class ImportCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ERRORS_SHOWN = 20;

    @Parameters(index = "0", paramLabel = "FILE", description = "an NDJSON file of actions; - reads standard input")
    String file;

    @Option(names = "--url", paramLabel = "URL",
            description = "the command side (default: localhost, port $SALESLEDGER_COMMAND_PORT or 8081)")
    URI url;

    @Mixin
    CredentialOptions credentials;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    private final CliContext context;

    public ImportCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        credentials.apply();
        URI base = url != null ? url : context.commandUri();
        return file.equals("-") ? run(base, context.in(), context.out(), context.err())
                : run(base, Path.of(file), context.out(), context.err());
    }

    /** Exit code: 0 when the server answered the import (even with refused lines), 1 otherwise. */
    public static int run(URI baseUrl, Path file, PrintStream out, PrintStream err) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            err.println("cannot read " + file + ": no such readable file");
            return 1;
        }
        try {
            return send(baseUrl, () -> open(file), Files.size(file), out, err);
        } catch (IOException e) {
            err.println("import failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * The same for lines read from {@code in} (standard input) until it ends; sent as they come (chunked), so the
     * progress bar shows lines and rate without a percentage.
     */
    public static int run(URI baseUrl, InputStream in, PrintStream out, PrintStream err) {
        return send(baseUrl, () -> in, 0, out, err);
    }

    /** {@code size} 0: unknown. */
    private static int send(URI baseUrl, Supplier<InputStream> body, long size, PrintStream out, PrintStream err) {
        try {
            Progress progress = new Progress(size, err, System.console() != null);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(
                    () -> progress.counting(body.get()));
            HttpRequest request = CliCredentials.request(baseUrl.resolve("/api/v1/import"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(size > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, size) : stream)
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            progress.finish();
            return report(response, out, err);
        } catch (ConnectException e) {
            err.println("cannot reach " + baseUrl + " — is `./salesledger run` running?");
            return 1;
        } catch (IOException e) {
            err.println("import failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("import interrupted");
            return 1;
        }
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int report(HttpResponse<String> response, PrintStream out, PrintStream err) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() != 200 || body == null || !body.has("accepted")) {
            String message = body == null ? response.body() : body.path("message").asText(body.toString());
            err.println("the server refused the import (HTTP " + response.statusCode() + "): " + message);
            return 1;
        }
        out.println("accepted:   " + ProgressBar.thousands(body.get("accepted").asLong()));
        out.println("duplicates: " + ProgressBar.thousands(body.get("duplicates").asLong()));
        out.println("rejected:   " + ProgressBar.thousands(body.get("rejected").asLong()));
        JsonNode errors = body.path("errors");
        for (int i = 0; i < Math.min(errors.size(), ERRORS_SHOWN); i++) {
            JsonNode e = errors.get(i);
            String field = e.path("field").asText();
            out.println("  line " + e.path("line").asLong() + ": " + (field.isEmpty() ? "" : field + ": ")
                    + e.path("message").asText());
        }
        long more = errors.size() - Math.min(errors.size(), ERRORS_SHOWN) + body.path("errorsNotListed").asLong();
        if (more > 0) {
            out.println("  … and " + ProgressBar.thousands(more) + " more errors");
        }
        return 0;
    }

    /** Counts bytes and lines as they are read for sending, and redraws the bar at most 5 times a second. */
    private static final class Progress {
        private final long size;
        private final PrintStream err;
        private final boolean terminal;
        private final long started = System.nanoTime();
        private volatile long bytes;
        private volatile long lines;
        private long lastDrawn;

        Progress(long size, PrintStream err, boolean terminal) {
            this.size = size;
            this.err = err;
            this.terminal = terminal;
        }

        InputStream counting(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        long newLines = 0;
                        for (int i = off; i < off + n; i++) {
                            if (b[i] == '\n') {
                                newLines++;
                            }
                        }
                        bytes += n;
                        lines += newLines;
                        maybeDraw(false);
                    }
                    return n;
                }
            };
        }

        private synchronized void maybeDraw(boolean last) {
            long now = System.nanoTime();
            long every = terminal ? 200_000_000L : 5_000_000_000L;
            if (!last && now - lastDrawn < every) {
                return;
            }
            lastDrawn = now;
            String line = ProgressBar.render(bytes, size, lines, Duration.ofNanos(now - started));
            err.print(terminal ? "\r" + line : line + System.lineSeparator());
            err.flush();
        }

        void finish() {
            maybeDraw(true);
            if (terminal) {
                err.println();
            }
            err.println("upload complete; the server has finished");
        }
    }
}
