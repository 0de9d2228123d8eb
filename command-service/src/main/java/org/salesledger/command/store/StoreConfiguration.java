package org.salesledger.command.store;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A snapshot of a customer every N events, so that a customer with thousands of actions still loads fast; none when
 * N is 0 (Axon's default, used by the benchmark's {@code axon-defaults} profile).
 */
@Configuration
@EnableConfigurationProperties(AggregateSettings.class)
class StoreConfiguration {

    @Bean
    SnapshotTriggerDefinition customerSnapshotTrigger(Snapshotter snapshotter,
                                                      AggregateSettings settings) {
        int threshold = settings.snapshotEvery();
        return threshold > 0 ? new EventCountSnapshotTriggerDefinition(snapshotter, threshold)
                : NoSnapshotTriggerDefinition.INSTANCE;
    }

    /**
     * The most recently used customers, kept in memory so that the next action of a customer does not load it again
     * (see {@link CustomerCache}); none when the capacity is 0 (Axon's default, the {@code axon-defaults} profile).
     */
    @Bean
    Cache customerCache(AggregateSettings settings) {
        int capacity = settings.aggregateCache().customers();
        return capacity > 0 ? new CustomerCache(capacity) : NoCache.INSTANCE;
    }

    /** Which customer a command is for, asked of the command (see {@link CustomerTargets}); named by the aggregate. */
    @Bean
    CommandTargetResolver customerCommandTargets() {
        return CustomerTargets.INSTANCE;
    }

    /** Loading a customer known to be new asks the store nothing (see {@link SkipLoadingNewCustomers}). */
    @Bean
    static BeanPostProcessor skipLoadingNewCustomers() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                return bean instanceof EventStorageEngine store && !(bean instanceof SkipLoadingNewCustomers)
                        ? new SkipLoadingNewCustomers(store) : bean;
            }
        };
    }
}
