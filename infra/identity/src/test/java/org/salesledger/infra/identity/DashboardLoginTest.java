package org.salesledger.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** The dashboard's public client and where its authorization codes wait for the page's token request (ADR 0036). */
class DashboardLoginTest {

    private static final Instant NOW = Instant.parse("2026-12-06T09:00:00Z");
    private static final OAuth2TokenType CODE = new OAuth2TokenType("code");
    private final RegisteredClient client = DashboardLogin.client(List.of("http://127.0.0.1/"), Duration.ofHours(1));

    @Test
    void theDashboardIsAPublicClientOfTheAuthorizationCodeGrantWithPkce() {
        assertThat(client.getClientId()).isEqualTo("dashboard");
        assertThat(client.getClientSecret()).isNull();
        assertThat(client.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.NONE);
        assertThat(client.getAuthorizationGrantTypes()).containsExactly(AuthorizationGrantType.AUTHORIZATION_CODE);
        assertThat(client.getClientSettings().isRequireProofKey()).isTrue();
        assertThat(client.getClientSettings().isRequireAuthorizationConsent()).isFalse();
        assertThat(client.getRedirectUris()).containsExactly("http://127.0.0.1/");
        assertThat(client.getTokenSettings().getAccessTokenTimeToLive()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aCodeIsFoundUntilItIsExchanged() {
        OAuth2AuthorizationService codes = DashboardLogin.codes(Clock.fixed(NOW, ZoneOffset.UTC));
        OAuth2Authorization issued = withCode("a-1", "code-1", NOW.plusSeconds(300));
        codes.save(issued);

        assertThat(codes.findByToken("code-1", CODE)).isSameAs(issued);
        assertThat(codes.findById("a-1")).isSameAs(issued);
        assertThat(codes.findByToken("code-2", CODE)).isNull();

        codes.save(OAuth2Authorization.from(issued).token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
                "access", NOW, NOW.plusSeconds(3600))).build());

        assertThat(codes.findByToken("code-1", CODE)).isNull();
        assertThat(codes.findById("a-1")).isNull();
    }

    @Test
    void expiredCodesAreForgottenAndClientCredentialsAreNeverKept() {
        OAuth2AuthorizationService codes = DashboardLogin.codes(Clock.fixed(NOW, ZoneOffset.UTC));
        codes.save(withCode("old", "code-old", NOW.minusSeconds(1)));
        codes.save(OAuth2Authorization.withRegisteredClient(client).id("cc").principalName("admin")
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).build());
        codes.save(withCode("new", "code-new", NOW.plusSeconds(60)));

        assertThat(codes.findById("old")).isNull();
        assertThat(codes.findById("cc")).isNull();
        assertThat(codes.findById("new")).isNotNull();
    }

    private OAuth2Authorization withCode(String id, String code, Instant expiresAt) {
        return OAuth2Authorization.withRegisteredClient(client).id(id).principalName("rep-1")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .token(new OAuth2AuthorizationCode(code, expiresAt.minusSeconds(300), expiresAt)).build();
    }
}
