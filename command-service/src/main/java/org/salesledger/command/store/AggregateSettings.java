package org.salesledger.command.store;

import org.salesledger.kernel.settings.SettingChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How customers are loaded on the command side ({@code salesledger.snapshot-every},
 * {@code salesledger.aggregate-cache.*}).
 *
 * @param snapshotEvery  a snapshot of a customer every this many events, so that a long history loads fast; 0: none
 * @param aggregateCache the customers kept in memory between two of their actions
 */
@ConfigurationProperties("salesledger")
public record AggregateSettings(@DefaultValue("250") int snapshotEvery,
                                @DefaultValue AggregateCache aggregateCache) {

    public AggregateSettings {
        SettingChecks.atLeast("salesledger.snapshot-every", snapshotEvery, 0);
    }

    /**
     * The in-memory cache of customers.
     *
     * @param customers the most recently used customers kept in memory; 0: none
     */
    public record AggregateCache(@DefaultValue("100000") int customers) {

        public AggregateCache {
            SettingChecks.atLeast("salesledger.aggregate-cache.customers", customers, 0);
        }
    }
}
