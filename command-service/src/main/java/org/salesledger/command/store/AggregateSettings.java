package org.salesledger.command.store;

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
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("salesledger.snapshot-every must be 0 or more, got " + snapshotEvery);
        }
    }

    /**
     * The in-memory cache of customers.
     *
     * @param customers the most recently used customers kept in memory; 0: none
     */
    public record AggregateCache(@DefaultValue("100000") int customers) {

        public AggregateCache {
            if (customers < 0) {
                throw new IllegalArgumentException("salesledger.aggregate-cache.customers must be 0 or more, got "
                        + customers);
            }
        }
    }
}
