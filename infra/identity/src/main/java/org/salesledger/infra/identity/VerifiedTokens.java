package org.salesledger.infra.identity;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Verifies each bearer token once and keeps what it said until the token expires: a client sends the same token
 * with every call for its lifetime (an hour by default), and parsing it, checking its RS256 signature and converting
 * its claims again at every call was most of the token check's cost (docs/benchmarks.md). Only a token that
 * verified is kept, under its full text (signature included), and only until its {@code exp}; a token without
 * {@code exp} is verified at every call. Whether its user is still active is not kept: {@link CallerTokens} reads
 * that at every call. At most {@code capacity} tokens are kept; when full, the expired ones go, and if none has
 * expired, all of them (they are verified again on their next use).
 */
final class VerifiedTokens implements JwtDecoder {

    private final JwtDecoder verifier;
    private final Clock clock;
    private final int capacity;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokens(JwtDecoder verifier, Clock clock, int capacity) {
        this.verifier = verifier;
        this.clock = clock;
        this.capacity = capacity;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Jwt known = verified.get(token);
        if (known != null) {
            if (now.isBefore(known.getExpiresAt())) {
                return known;
            }
            verified.remove(token);
        }
        Jwt jwt = verifier.decode(token);
        if (jwt.getExpiresAt() != null && now.isBefore(jwt.getExpiresAt())) {
            if (verified.size() >= capacity) {
                verified.values().removeIf(kept -> !now.isBefore(kept.getExpiresAt()));
                if (verified.size() >= capacity) {
                    verified.clear();
                }
            }
            verified.put(token, jwt);
        }
        return jwt;
    }

    /** How many verified tokens are kept now. */
    int kept() {
        return verified.size();
    }
}
