package org.salesledger.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * How the CLI's commands authenticate (contract §7): a client's id and secret — {@code --client-id}/
 * {@code --client-secret} (or {@code SALESLEDGER_CLIENT_ID}/{@code SALESLEDGER_CLIENT_SECRET}, with the token
 * endpoint in {@code --token-url}/{@code SALESLEDGER_TOKEN_URL}) — or else the admin client the embedded default
 * wrote in the data directory ({@code $SALESLEDGER_DATA_DIR/admin-client.json}). One token per run, by the
 * client-credentials grant.
 */
public final class CliCredentials {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static volatile String clientId;
    private static volatile String clientSecret;
    private static volatile String tokenUrl;
    private static volatile String token;

    private CliCredentials() {
    }

    /** The client given on the command line; {@code null}s leave the environment's or the data directory's. */
    public static void use(String id, String secret, String url) {
        clientId = id;
        clientSecret = secret;
        tokenUrl = url;
        token = null;
    }

    /** A token obtained elsewhere (tests that run a command inside their JVM). */
    public static void useToken(String bearer) {
        token = bearer;
    }

    /** The {@code Authorization} header's value; fetches the token at the first call. */
    public static String authorization(URI serverUrl) throws IOException, InterruptedException {
        String current = token;
        if (current == null) {
            current = fetch(serverUrl);
            token = current;
        }
        return "Bearer " + current;
    }

    /** A request to the server carrying the token. */
    static HttpRequest.Builder request(URI uri) throws IOException, InterruptedException {
        return HttpRequest.newBuilder(uri).header("Authorization", authorization(uri));
    }

    private static String fetch(URI serverUrl) throws IOException, InterruptedException {
        Map<String, String> env = System.getenv();
        String id = first(clientId, EnvironmentVariable.CLIENT_ID.read(env));
        String secret = first(clientSecret, EnvironmentVariable.CLIENT_SECRET.read(env));
        String url = first(tokenUrl, EnvironmentVariable.TOKEN_URL.read(env));
        if (id == null || secret == null) {
            Path file = Path.of(EnvironmentVariable.DATA_DIR.readOrDefault(env)).resolve("admin-client.json");
            if (!Files.isRegularFile(file)) {
                throw new IOException("no client to authenticate with: give --client-id and --client-secret (or "
                        + "SALESLEDGER_CLIENT_ID and SALESLEDGER_CLIENT_SECRET), or run where " + file + " is readable");
            }
            JsonNode client = JSON.readTree(file.toFile());
            id = client.path("clientId").asText();
            secret = client.path("clientSecret").asText();
            url = first(url, client.path("tokenUrl").asText(null));
        }
        if (url == null) {
            url = serverUrl.resolve("/oauth2/token").toString();
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(tokenRequest(URI.create(url), id, secret),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the token endpoint " + url + " refused client '" + id + "' (HTTP "
                    + response.statusCode() + ")");
        }
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    /** The client-credentials grant for {@code id} and {@code secret} at the token endpoint {@code tokenUrl}. */
    static HttpRequest tokenRequest(URI tokenUrl, String id, String secret) {
        return HttpRequest.newBuilder(tokenUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (id + ":" + secret).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }
}
