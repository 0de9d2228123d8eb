package org.salesledger.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A small HTTP client for tests that drive Sales Ledger over its API, and the envelope they send. */
public final class TestHttp {

    /** Reads decimals exactly: 1200.50 stays 1200.50. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestHttp() {
    }

    /** A status and a body; {@link #json()} parses the body. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body.lines().limit(3).collect(Collectors.joining(" "));
        }
    }

    /** POSTs the body with the given header name/value pairs. */
    public static Response post(URI uri, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    public static Response get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    /**
     * Polls until {@code done} holds for the answer (a read model has caught up, a job has ended) and returns that
     * answer; fails the test, naming the URI and showing the last answer, when it does not hold within
     * {@code timeout}. A wait never passes silently.
     */
    public static Response eventually(URI uri, Predicate<Response> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = get(uri);
        while (!done.test(last)) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("GET " + uri + " did not give the awaited answer within " + timeout
                        + "; last answer: " + last);
            }
            Thread.sleep(100);
            last = get(uri);
        }
        return last;
    }

    /** A contract §1 envelope with the given data object (JSON text). */
    public static String envelope(String id, String type, String subject, String time, String actor, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\",\"type\":\"" + type
                + "\",\"subject\":\"" + subject + "\",\"time\":\"" + time + "\",\"actor\":\"" + actor + "\",\"data\":"
                + data + "}";
    }

    private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }
}
