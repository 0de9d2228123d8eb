package org.salesledger.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code SALESLEDGER_OIDC_ISSUER_URI}: the command side trusts an external issuer — here a second, independent one
 * the test starts (an OpenID discovery document and a JWK set served by the JDK's HTTP server, tokens signed by the
 * test with its own key), shaped as Keycloak issues them: the roles in {@code realm_access.roles}. The embedded
 * authorization server is then off.
 */
class ExternalIssuerIT {

    static HttpServer issuer;
    static String issuerUri;
    static RSAKey key;
    static ConfigurableApplicationContext commandSide;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("external-1").generate();
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuerUri = "http://127.0.0.1:" + issuer.getAddress().getPort() + "/realms/sales";
        serve("/realms/sales/.well-known/openid-configuration", "{\"issuer\":\"" + issuerUri + "\",\"jwks_uri\":\""
                + issuerUri + "/protocol/openid-connect/certs\",\"subject_types_supported\":[\"public\"]}");
        serve("/realms/sales/protocol/openid-connect/certs", new JWKSet(key.toPublicJWK()).toString());
        issuer.start();
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        commandSide = new SpringApplicationBuilder(CommandServiceApplication.class)
                .properties(Map.of("spring.config.name", "command-service", "spring.datasource.url", db.jdbcUrl(),
                        "spring.datasource.username", db.user(), "spring.datasource.password", db.password(),
                        "salesledger.oidc.issuer-uri", issuerUri,
                        "salesledger.oidc.user-claim", "preferred_username",
                        "salesledger.oidc.roles-claim", "realm_access.roles"))
                .registerShutdownHook(false)
                .run("--server.port=0");
        port = ((WebServerApplicationContext) commandSide).getWebServer().getPort();
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
        if (issuer != null) {
            issuer.stop(0);
        }
    }

    @Test
    void aTokenOfTheIssuerIsTrustedWithTheRolesOfItsRealmClaim() throws Exception {
        String boss = token(key, issuerUri, "boss", List.of("admin", "offline_access"), 300);
        String rep = token(key, issuerUri, "rep-9", List.of("rep"), 300);

        assertThat(TestHttp.get(uri("/api/v1/rules"), boss).status()).isEqualTo(200);
        Response put = TestHttp.sendAs(boss, "PUT", uri("/api/v1/admin/users/rep-9"),
                "{\"name\":\"Rep 9\",\"roles\":[\"rep\"],\"region\":\"east\"}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().get("user").get("changedBy").asText()).isEqualTo("boss");
        Response forbidden = TestHttp.sendAs(rep, "PUT", uri("/api/v1/rules/r-1"),
                "{\"kind\": \"TAG\", \"tag\": \"t\", \"when\": \"true\"}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("permission").asText()).isEqualTo("rules:write");
    }

    @Test
    void tokensOfAnotherKeyAnotherIssuerOrPastTheirTimeAreRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("external-1").generate();

        assertThat(TestHttp.get(uri("/api/v1/rules"), token(stranger, issuerUri, "boss", List.of("admin"), 300))
                .status()).isEqualTo(401);
        assertThat(TestHttp.get(uri("/api/v1/rules"), token(key, "http://elsewhere/realms/sales", "boss",
                List.of("admin"), 300)).status()).isEqualTo(401);
        assertThat(TestHttp.get(uri("/api/v1/rules"), token(key, issuerUri, "boss", List.of("admin"), -120))
                .status()).isEqualTo(401);
    }

    @Test
    void aUserNameTheLedgerCouldNotRecordIsRefusedAtTheToken() throws Exception {
        String longest = "u".repeat(255);
        assertThat(TestHttp.get(uri("/api/v1/rules"), token(key, issuerUri, longest, List.of("admin"), 300))
                .status()).isEqualTo(200);

        Response tooLong = TestHttp.get(uri("/api/v1/rules"), token(key, issuerUri, longest + "u", List.of("admin"),
                300));
        Response control = TestHttp.get(uri("/api/v1/rules"), token(key, issuerUri, "bo\u0000ss", List.of("admin"),
                300));

        assertThat(tooLong.status()).isEqualTo(401);
        assertThat(control.status()).isEqualTo(401);
    }

    @Test
    void aUserTheOrganisationDeactivatedIsRefusedWhateverItsTokenSays() throws Exception {
        String boss = token(key, issuerUri, "boss", List.of("admin"), 300);
        String leaver = token(key, issuerUri, "leaver", List.of("rep"), 300);
        assertThat(TestHttp.get(uri("/api/v1/rules"), leaver).status()).isEqualTo(200);

        assertThat(TestHttp.sendAs(boss, "PUT", uri("/api/v1/admin/users/leaver"),
                "{\"name\":\"Leaver\",\"roles\":[\"rep\"],\"active\":false}").status()).isEqualTo(200);

        assertThat(TestHttp.get(uri("/api/v1/rules"), leaver).status()).isEqualTo(401);
    }

    @Test
    void theEmbeddedAuthorizationServerIsOffAndCredentialsComeFromTheIssuer() throws Exception {
        String boss = token(key, issuerUri, "boss", List.of("admin"), 300);
        TestHttp.sendAs(boss, "PUT", uri("/api/v1/admin/users/someone"), "{\"name\":\"S\",\"roles\":[\"rep\"]}");

        Response credentials = TestHttp.sendAs(boss, "POST", uri("/api/v1/admin/users/someone/credentials"), "");
        Response tokenEndpoint = TestHttp.post(uri("/oauth2/token"), "grant_type=client_credentials",
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(credentials.status()).isEqualTo(409);
        assertThat(tokenEndpoint.status()).isIn(401, 403, 404);
        assertThat(tokenEndpoint.body()).doesNotContain("access_token");
    }

    private static String token(RSAKey signer, String iss, String user, List<String> roles, long secondsLeft)
            throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(iss).subject("uuid-of-" + user)
                .claim("preferred_username", user).claim("realm_access", Map.of("roles", roles))
                .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.plusSeconds(secondsLeft)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
                claims);
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    private static void serve(String path, String json) {
        issuer.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
