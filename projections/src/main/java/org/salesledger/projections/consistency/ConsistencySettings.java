package org.salesledger.projections.consistency;

import org.salesledger.kernel.settings.SettingChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The consistency check's settings ({@code salesledger.consistency.*}, ADR 25).
 *
 * @param pageEvents events of the store read per page (of whole customers) while the read models are compared
 */
@ConfigurationProperties("salesledger.consistency")
public record ConsistencySettings(@DefaultValue("5000") int pageEvents) {

    public ConsistencySettings {
        SettingChecks.atLeast("salesledger.consistency.page-events", pageEvents, 1);
    }
}
