package org.salesledger.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** The harness's HTTP client (HTTP/1.1, keep-alive, one connection per client thread). */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (HTTP " + status + "): " + body, e);
            }
        }
    }

    Answer postJson(URI uri, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** {@link #postJson}, with this client's bearer token or deliberately without one (the paired token check). */
    Answer postJson(URI uri, String body, boolean withToken) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        if (withToken) {
            return send(request);
        }
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    Answer post(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    Answer postFile(URI uri, Path file) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build());
    }

    Answer get(URI uri) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).GET().build());
    }

    /**
     * The bearer token every call carries (contract §7): the admin client of the system under test, from its data
     * directory's {@code admin-client.json} (a system the harness starts) or from {@code SALESLEDGER_CLIENT_ID} /
     * {@code SALESLEDGER_CLIENT_SECRET} (a running one, {@code --url}).
     */
    private static volatile String token;
    /**
     * The token of each system by the host and port of its sides, when two systems run at once (with and without the
     * audit tree): each has its own authorization server, whose tokens the other does not take.
     */
    private static final java.util.Map<String, String> TOKENS_BY_SIDE = new java.util.concurrent.ConcurrentHashMap<>();

    /** Signs in with the admin client the system wrote to {@code dataDir}. */
    static void signIn(Path dataDir) throws IOException, InterruptedException {
        JsonNode client = JSON.readTree(dataDir.resolve("admin-client.json").toFile());
        signIn(client.path("tokenUrl").asText(), client.path("clientId").asText(), client.path("clientSecret").asText());
    }

    /**
     * Signs in with the admin client the system wrote to {@code dataDir}, and keeps its token for calls to
     * {@code sides} (its command and query side) whatever system signs in later.
     */
    static void signIn(Path dataDir, URI... sides) throws IOException, InterruptedException {
        signIn(dataDir);
        for (URI side : sides) {
            TOKENS_BY_SIDE.put(side.getAuthority(), token);
        }
    }

    /** Sends the token signed in last with calls to {@code sides} (nodes that trust the same command side). */
    static void useCurrentTokenFor(URI... sides) {
        for (URI side : sides) {
            if (token != null) {
                TOKENS_BY_SIDE.put(side.getAuthority(), token);
            }
        }
    }

    /** Signs in with this client (client-credentials grant, RFC 6749 §4.4). */
    static void signIn(String tokenUrl, String clientId, String secret) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the token endpoint " + tokenUrl + " refused client '" + clientId + "' (HTTP "
                    + response.statusCode() + ")");
        }
        token = JSON.readTree(response.body()).path("access_token").asText();
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        String bearer = TOKENS_BY_SIDE.getOrDefault(String.valueOf(request.uri().getAuthority()), token);
        if (bearer != null) {
            request = HttpRequest.newBuilder(request, (name, value) -> true)
                    .header("Authorization", "Bearer " + bearer).build();
        }
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
