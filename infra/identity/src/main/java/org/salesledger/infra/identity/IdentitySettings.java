package org.salesledger.infra.identity;

import java.time.Duration;
import java.util.List;
import org.salesledger.kernel.settings.SettingChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers are authenticated ({@code salesledger.identity.*}; contract §7, ADR 27, 35 and 36).
 *
 * @param jwkSetUri                where the keys of trusted tokens are (a query node: the command side's
 *                                 {@code /oauth2/jwks}, set from {@code SALESLEDGER_COMMAND_URL}); empty: this
 *                                 process's own embedded authorization server
 * @param tokenTtl                 how long an access token issued by the embedded authorization server is valid
 * @param unauthenticatedBenchmark answer every request as the admin, with no token (the benchmark's
 *                                 {@code no-auth} profile only; never in production)
 * @param authorizationServer      the embedded OAuth 2 authorization server
 * @param dashboard                the dashboard's sign-in
 */
@ConfigurationProperties("salesledger.identity")
public record IdentitySettings(@DefaultValue("") String jwkSetUri,
                               @DefaultValue("PT1H") Duration tokenTtl,
                               @DefaultValue("false") boolean unauthenticatedBenchmark,
                               @DefaultValue AuthorizationServer authorizationServer,
                               @DefaultValue Dashboard dashboard) {

    public IdentitySettings {
        SettingChecks.positive("salesledger.identity.token-ttl", tokenTtl);
    }

    /**
     * The embedded authorization server.
     *
     * @param enabled whether this side issues tokens (the command side's file sets it; never with an external issuer)
     */
    public record AuthorizationServer(@DefaultValue("false") boolean enabled) {
    }

    /**
     * The dashboard's sign-in.
     *
     * @param redirectUris where the embedded authorization server may send a signed-in dashboard back to (loopback
     *                     addresses on any port are always allowed); their origins may call the command side
     */
    public record Dashboard(@DefaultValue({"http://127.0.0.1/", "http://[::1]/"}) List<String> redirectUris) {
    }
}
