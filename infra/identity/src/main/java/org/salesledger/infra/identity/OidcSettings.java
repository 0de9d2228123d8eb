package org.salesledger.infra.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * An external OIDC issuer whose tokens are trusted instead of the embedded authorization server's
 * ({@code salesledger.oidc.*}, {@code SALESLEDGER_OIDC_*}).
 *
 * @param issuerUri  the issuer (e.g. a Keycloak realm); empty: none, the embedded authorization server
 * @param userClaim  the claim naming the user
 * @param rolesClaim the claim holding the user's roles, a dotted path such as {@code realm_access.roles}
 */
@ConfigurationProperties("salesledger.oidc")
public record OidcSettings(@DefaultValue("") String issuerUri,
                           @DefaultValue("sub") String userClaim,
                           @DefaultValue("roles") String rolesClaim) {

    /** Whether an external issuer is configured. */
    public boolean external() {
        return !issuerUri.isBlank();
    }
}
