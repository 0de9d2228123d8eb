package org.salesledger.command.api;

import org.salesledger.kernel.settings.SettingChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The single-action endpoint's limit ({@code salesledger.actions.*}).
 *
 * @param maxBodyBytes the largest body of one action, in bytes (1 MiB); a bigger one gets {@code 413}
 */
@ConfigurationProperties("salesledger.actions")
public record ActionSettings(@DefaultValue("1048576") long maxBodyBytes) {

    public ActionSettings {
        SettingChecks.atLeast("salesledger.actions.max-body-bytes", maxBodyBytes, 1);
    }
}
