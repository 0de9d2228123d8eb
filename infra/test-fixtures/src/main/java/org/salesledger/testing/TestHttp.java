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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * The admin client secret a test gives the command side ({@code salesledger.admin-client-secret}), so that it can
     * sign in as {@code admin} without a data directory: {@link #ADMIN_SECRET_PROPERTY} in a test's properties.
     */
    public static final String ADMIN_SECRET = "test-admin-secret-0123456789";
    public static final String ADMIN_SECRET_PROPERTY = "salesledger.admin-client-secret=" + ADMIN_SECRET;

    /** The token every call carries unless it names its own (contract §7: every API call is authenticated). */
    private static volatile String bearer;
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    /** The token for calls to a port (each command-side node of a test signs with its own key). */
    private static final Map<Integer, String> BY_PORT = new ConcurrentHashMap<>();

    private TestHttp() {
    }

    /** From now on every call carries a token of the command side's {@code admin} (secret {@link #ADMIN_SECRET}). */
    public static void signInAsAdmin(int commandPort) {
        // never a kept token: a port can be another system's now, signing with another key
        bearer = fetchToken("http://localhost:" + commandPort + "/oauth2/token", "admin", ADMIN_SECRET);
        BY_PORT.put(commandPort, bearer);
    }

    /**
     * Signs in as the admin client of a whole system (its data directory's {@code admin-client.json}): calls to
     * both of its ports carry that token from now on. Answers the token.
     */
    public static String signInAsAdmin(Path dataDir, int... ports) {
        signInAsAdmin(dataDir);
        useTokenFor(bearer, ports);
        return bearer;
    }

    /**
     * Creates (or changes) a user through {@code PUT /api/v1/admin/users/{id}} with the current (admin) token,
     * gives it credentials, and answers a token of that user. {@code definition} is the PUT body, e.g.
     * {@code {"name":"Rep 7","roles":["rep"],"region":"east","supervisorId":"sup-1"}}.
     */
    public static String userToken(int commandPort, String userId, String definition) {
        try {
            URI users = URI.create("http://localhost:" + commandPort + "/api/v1/admin/users/" + userId);
            Response defined = send("PUT", users, definition);
            if (defined.status() != 200) {
                throw new AssertionError("PUT " + users + " answered " + defined);
            }
            Response credentials = post(URI.create(users + "/credentials"), "");
            if (credentials.status() != 201) {
                throw new AssertionError("POST " + users + "/credentials answered " + credentials);
            }
            JsonNode client = credentials.json();
            return token(client.get("tokenUrl").asText(), client.get("clientId").asText(),
                    client.get("clientSecret").asText());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** GET with this token instead of the current one ({@code null}: no token at all). */
    public static Response get(URI uri, String token) throws IOException, InterruptedException {
        return sendAs(token, "GET", uri, null);
    }

    /** Any method with this token instead of the current one ({@code null}: no token at all). */
    public static Response sendAs(String token, String method, URI uri, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(method, uri, body, headers);
        request.header("Authorization", token == null ? "None" : "Bearer " + token);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    /** Calls to these ports carry this token unless they name their own. */
    public static void useTokenFor(String token, int... ports) {
        for (int port : ports) {
            BY_PORT.put(port, token);
        }
    }

    /** From now on every call carries a token of the admin client the system wrote in its data directory. */
    public static void signInAsAdmin(Path dataDir) {
        JsonNode client;
        try {
            client = JSON.readTree(dataDir.resolve("admin-client.json").toFile());
        } catch (IOException e) {
            throw new AssertionError("no admin client in " + dataDir, e);
        }
        bearer = fetchToken(client.get("tokenUrl").asText(), client.get("clientId").asText(),
                client.get("clientSecret").asText());
    }

    /** Every call from now on carries this token ({@code null}: none). */
    public static void useToken(String token) {
        bearer = token;
    }

    /** The token every call carries now. */
    public static String currentToken() {
        return bearer;
    }

    /**
     * An access token by the client-credentials grant (RFC 6749 §4.4, HTTP Basic), kept for later calls with the
     * same client and secret; fails the test when the token endpoint refuses.
     */
    public static String token(String tokenUrl, String clientId, String secret) {
        return TOKENS.computeIfAbsent(tokenUrl + " " + clientId + " " + secret, key -> fetchToken(tokenUrl, clientId,
                secret));
    }

    /** A new access token by the client-credentials grant, not kept. */
    public static String fetchToken(String tokenUrl, String clientId, String secret) {
        {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                (clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new AssertionError("token endpoint " + tokenUrl + " refused client '" + clientId + "': "
                            + response.statusCode() + " " + response.body());
                }
                return JSON.readTree(response.body()).get("access_token").asText();
            } catch (IOException e) {
                throw new AssertionError("token endpoint " + tokenUrl + " did not answer", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Forgets the kept tokens (after a user's credentials were replaced). */
    public static void forgetTokens() {
        TOKENS.clear();
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

    /** Any method, with the given header name/value pairs (an {@code Authorization} among them replaces the default). */
    public static Response send(String method, URI uri, String body, String... headers)
            throws IOException, InterruptedException {
        return send(request(method, uri, body, headers));
    }

    private static HttpRequest.Builder request(String method, URI uri, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request;
    }

    /** A request builder for tests that send with their own client: it carries the token for the URI's port. */
    public static HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        String token = BY_PORT.getOrDefault(uri.getPort(), bearer);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** The current token as a header pair, for code that builds its own requests. */
    public static String[] authorization() {
        String token = bearer;
        return token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
    }

    private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.copy().build();
        String token = BY_PORT.getOrDefault(built.uri().getPort(), bearer);
        if (token != null && built.headers().firstValue("Authorization").isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }
}
