package org.salesledger.infra.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the event store is read ({@code salesledger.event-store.*}).
 *
 * @param batchSize events per query when a processor reads the store or a customer is loaded (Axon's default is
 *                  100; docs/benchmarks.md)
 */
@ConfigurationProperties("salesledger.event-store")
public record EventStoreSettings(@DefaultValue("" + AxonEventStorage.DEFAULT_BATCH_SIZE) int batchSize) {

    public EventStoreSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("salesledger.event-store.batch-size must be at least 1, got "
                    + batchSize);
        }
    }
}
