package org.salesledger.infra.identity;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * A verified token to the {@link Caller}, once per request. The user is the token's subject (or the configured
 * claim). With the embedded authorization server the user's roles are the organisation's, read now, so a change
 * or a deactivation applies to the next call; with an external issuer they are the token's roles claim (e.g.
 * Keycloak's {@code realm_access.roles}). Either way a user the organisation knows as deactivated is refused, and
 * the organisation places the user (team, region, supervised reps).
 */
final class CallerTokens implements Converter<Jwt, AbstractAuthenticationToken> {

    private final Organisation organisation;
    private final boolean rolesFromToken;
    private final String userClaim;
    private final String rolesClaim;

    CallerTokens(Organisation organisation, boolean rolesFromToken, String userClaim, String rolesClaim) {
        this.organisation = organisation;
        this.rolesFromToken = rolesFromToken;
        this.userClaim = userClaim;
        this.rolesClaim = rolesClaim;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        Object subject = jwt.getClaims().get(userClaim);
        if (!(subject instanceof String userId) || userId.isBlank()) {
            throw new InvalidBearerTokenException("the token names no user (claim '" + userClaim + "')");
        }
        if (userId.length() > org.salesledger.kernel.envelope.FieldLimits.ID
                || userId.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidBearerTokenException("the token's user (claim '" + userClaim + "') is not a usable user "
                    + "id: at most " + org.salesledger.kernel.envelope.FieldLimits.ID
                    + " characters, no control characters");
        }
        Optional<User> user = organisation.current(userId);
        if (user.isPresent() && !user.get().active()) {
            throw new InvalidBearerTokenException("user '" + userId + "' is deactivated");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (rolesFromToken) {
            Object claim = claim(jwt.getClaims(), rolesClaim);
            if (claim instanceof Collection<?> codes) {
                codes.forEach(code -> Role.of(String.valueOf(code)).ifPresent(roles::add));
            } else if (claim instanceof String codes) {
                for (String code : codes.split("[ ,]+")) {
                    Role.of(code).ifPresent(roles::add);
                }
            }
        } else {
            if (user.isEmpty()) {
                throw new InvalidBearerTokenException("user '" + userId + "' is not known");
            }
            user.get().roles().forEach(code -> Role.of(code).ifPresent(roles::add));
        }
        String team = user.map(User::team).orElse(null);
        String region = user.map(User::region).orElse(null);
        Set<String> reps = roles.contains(Role.SUPERVISOR) ? organisation.currentRepsOf(userId) : Set.of();
        return new CallerAuthentication(new Caller(userId, roles, team, region, reps), jwt);
    }

    /** A claim by a dotted path: {@code realm_access.roles}. */
    static Object claim(Map<String, Object> claims, String path) {
        Object at = claims;
        for (String part : path.split("\\.")) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(part);
        }
        return at;
    }
}
