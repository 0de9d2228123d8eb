package org.salesledger.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** A token is verified once and its claims kept until it expires; nothing refused or unbounded is kept. */
class VerifiedTokensTest {

    private static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");

    /** Stands in for the signature check: counts the tokens it is asked to verify; "bad…" tokens fail. */
    private final List<String> verifiedTexts = new ArrayList<>();
    private Instant now = NOON;
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final JwtDecoder signatureCheck = token -> {
        verifiedTexts.add(token);
        if (token.startsWith("bad")) {
            throw new BadJwtException("signature does not match");
        }
        Jwt.Builder jwt = Jwt.withTokenValue(token).header("alg", "RS256").subject("rep-1");
        if (!token.startsWith("eternal")) {
            // "t-<minutes>": expires that many minutes after noon
            jwt.expiresAt(NOON.plusSeconds(60L * Integer.parseInt(token.substring(token.indexOf('-') + 1))));
        }
        return jwt.build();
    };

    @Test
    void a_token_sent_again_is_not_verified_again_until_it_expires() {
        VerifiedTokens tokens = new VerifiedTokens(signatureCheck, clock, 100);

        assertThat(tokens.decode("t-60").getSubject()).isEqualTo("rep-1");
        now = NOON.plusSeconds(59 * 60);
        assertThat(tokens.decode("t-60").getSubject()).isEqualTo("rep-1");
        assertThat(verifiedTexts).containsExactly("t-60");

        now = NOON.plusSeconds(60 * 60);
        tokens.decode("t-60");
        assertThat(verifiedTexts).containsExactly("t-60", "t-60");
    }

    @Test
    void a_refused_token_is_checked_at_every_call_and_never_kept() {
        VerifiedTokens tokens = new VerifiedTokens(signatureCheck, clock, 100);

        assertThatThrownBy(() -> tokens.decode("bad-60")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("bad-60")).isInstanceOf(BadJwtException.class);

        assertThat(verifiedTexts).containsExactly("bad-60", "bad-60");
        assertThat(tokens.kept()).isZero();
    }

    @Test
    void a_token_without_an_expiry_or_already_expired_is_verified_at_every_call() {
        VerifiedTokens tokens = new VerifiedTokens(signatureCheck, clock, 100);
        now = NOON.plusSeconds(120);

        tokens.decode("eternal-1");
        tokens.decode("eternal-1");
        tokens.decode("t-1");
        tokens.decode("t-1");

        assertThat(verifiedTexts).containsExactly("eternal-1", "eternal-1", "t-1", "t-1");
        assertThat(tokens.kept()).isZero();
    }

    @Test
    void when_full_the_expired_tokens_go_first_and_then_all() {
        VerifiedTokens tokens = new VerifiedTokens(signatureCheck, clock, 3);
        tokens.decode("a-10");
        tokens.decode("b-10");
        tokens.decode("c-60");
        now = NOON.plusSeconds(11 * 60);

        tokens.decode("d-60");
        assertThat(tokens.kept()).isEqualTo(2);
        tokens.decode("c-60");
        assertThat(verifiedTexts).containsExactly("a-10", "b-10", "c-60", "d-60");

        tokens.decode("e-60");
        tokens.decode("f-60");
        assertThat(tokens.kept()).isEqualTo(1);
        tokens.decode("c-60");
        assertThat(verifiedTexts).endsWith("e-60", "f-60", "c-60");
    }
}
