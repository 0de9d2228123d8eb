package org.salesledger.infra.identity;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where a node keeps its own files, and the admin client's fixed secret ({@code salesledger.data-dir},
 * {@code salesledger.admin-client-secret}; {@code SALESLEDGER_DATA_DIR}, {@code SALESLEDGER_ADMIN_CLIENT_SECRET}).
 *
 * @param dataDir           the data directory (the launcher sets it): token signing key, admin client, audit key;
 *                          unset: keys live in memory only (a service run on its own in a test)
 * @param adminClientSecret the secret of the {@code admin} client; unset: generated on the first start and kept in
 *                          {@code admin-client.json}
 */
@ConfigurationProperties("salesledger")
public record NodeFiles(Path dataDir, String adminClientSecret) {

    /** The secret, or the empty string when none is fixed. */
    public String fixedAdminSecret() {
        return adminClientSecret == null ? "" : adminClientSecret;
    }
}
