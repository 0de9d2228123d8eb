package org.salesledger.projections.consistency;

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
        if (pageEvents < 1) {
            throw new IllegalArgumentException("salesledger.consistency.page-events must be at least 1, got "
                    + pageEvents);
        }
    }
}
