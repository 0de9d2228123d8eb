package org.salesledger.infra.platform;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Axon's JDBC event storage engine as Axon's own auto-configuration builds it, but reading
 * {@code salesledger.event-store.batch-size} events per query (Axon's default is 100). A streaming processor
 * catching up or rebuilding a read model reads the whole history through these queries, one after the other:
 * with 100 rows each, ten million events are a hundred thousand round trips. The same size bounds how many
 * events of one aggregate are read per query when it is loaded. Each event's time is parsed once as it is read
 * ({@link StoredTimesStorageEngine}).
 */
@EnableConfigurationProperties(EventStoreSettings.class)
@AutoConfiguration(before = JdbcAutoConfiguration.class)
public class AxonEventStorage {

    /** Events per query, unless {@code salesledger.event-store.batch-size} says otherwise (docs/benchmarks.md). */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    @Bean
    @ConditionalOnMissingBean({EventStorageEngine.class, EventBus.class, EventStore.class})
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          EventSchema eventSchema,
                                          EventStoreSettings settings) {
        int batchSize = settings.batchSize();
        return new StoredTimesStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .batchSize(batchSize), eventSchema);
    }
}
