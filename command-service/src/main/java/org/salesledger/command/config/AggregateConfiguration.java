package org.salesledger.command.config;

import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A snapshot of a customer every N events, so that a customer with thousands of actions still loads fast; none when
 * N is 0 (Axon's default, used by the benchmark's {@code axon-defaults} profile).
 */
@Configuration
class AggregateConfiguration {

    @Bean
    SnapshotTriggerDefinition customerSnapshotTrigger(Snapshotter snapshotter,
                                                      @Value("${salesledger.snapshot-every:250}") int threshold) {
        return threshold > 0 ? new EventCountSnapshotTriggerDefinition(snapshotter, threshold)
                : NoSnapshotTriggerDefinition.INSTANCE;
    }
}
