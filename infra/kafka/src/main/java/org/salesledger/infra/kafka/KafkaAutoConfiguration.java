package org.salesledger.infra.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.Map;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.salesledger.infra.kafka.relay.KafkaRelay;
import org.salesledger.infra.kafka.relay.KafkaRelayHealth;
import org.salesledger.infra.kafka.relay.ParkingPolicy;
import org.salesledger.infra.kafka.relay.RelayMetrics;
import org.salesledger.infra.kafka.relay.RelayMonitor;
import org.salesledger.infra.kafka.relay.RelayPublisher;
import org.salesledger.infra.kafka.relay.RelayState;
import org.salesledger.infra.kafka.replay.KafkaReplays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Kafka publishing, in the process that owns it: only where {@code salesledger.kafka.relay.enabled=true} (the
 * command side sets it; the query side, which may share a JVM and the bootstrap setting with it in the embedded
 * system, does not, so only one side ever publishes).
 *
 * <p>With a bootstrap ({@code SALESLEDGER_KAFKA_BOOTSTRAP}) it runs the relay — a pooled streaming processor in its
 * own processing group, {@value KafkaRelay#PROCESSING_GROUP}, token in {@code token_entry}, parked events in
 * {@code dead_letter_entry} — and offers replays. Without one, nothing is published, the relay's health says so
 * and the admin endpoints answer 503.
 */
@AutoConfiguration(after = JdbcAutoConfiguration.class)
@ConditionalOnProperty(prefix = "salesledger.kafka.relay", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(KafkaSettings.class)
public class KafkaAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaAutoConfiguration.class);

    /** The relay and replays, with a Kafka to publish to. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @Conditional(BootstrapConfigured.class)
    static class Publishing {

        @Bean
        KafkaClients kafkaClients(KafkaSettings settings) {
            return new KafkaClients(settings);
        }

        @Bean
        ActionTopics actionTopics(KafkaClients clients) {
            return new ActionTopics(clients);
        }

        @Bean
        RelayState kafkaRelayState() {
            return new RelayState();
        }

        @Bean
        RelayMetrics kafkaRelayMetrics(MeterRegistry registry) {
            return new RelayMetrics(registry);
        }

        @Bean(destroyMethod = "close")
        RelayPublisher kafkaRelayPublisher(KafkaClients clients, ActionTopics topics, RelayMetrics metrics,
                                           RelayState state, KafkaSettings settings, ObjectProvider<Clock> clock) {
            return new RelayPublisher(clients, topics, metrics, state, settings.relay().ackTimeout(),
                    clock.getIfAvailable(Clock::systemUTC));
        }

        @Bean
        KafkaRelay kafkaRelay(RelayPublisher publisher) {
            return new KafkaRelay(publisher);
        }

        /**
         * The relay's processor: pooled streaming, its own token; the first start begins at the tail of the event
         * store as a regular run — not Axon's default replay token — so the whole history is published once; the
         * customer id (aggregate id) decides the segment, so each customer's events are handled in stored order;
         * events that can never be published are parked per customer in the dead-letter queue.
         */
        @Bean
        ConfigurerModule kafkaRelayProcessing(KafkaRelay relay, KafkaSettings settings, RelayMetrics metrics,
                                              ConnectionProvider connections, TransactionManager transactions,
                                              DeadLetterSchema deadLetterSchema, Serializer serializer,
                                              @Qualifier("eventSerializer") Serializer eventSerializer) {
            String group = KafkaRelay.PROCESSING_GROUP;
            return configurer -> configurer.eventProcessing(processing -> processing
                    .registerEventHandler(c -> relay)
                    .assignHandlerInstancesMatching(group, Integer.MAX_VALUE, handler -> handler instanceof KafkaRelay)
                    .registerSequencingPolicy(group, c -> SequentialPerAggregatePolicy.instance())
                    .registerPooledStreamingEventProcessor(group, Configuration::eventStore, (c, builder) -> builder
                            .initialToken(StreamableMessageSource::createTailToken)
                            .batchSize(settings.relay().batchSize())
                            .initialSegmentCount(settings.relay().segments()))
                    .registerDeadLetterQueue(group, c -> JdbcSequencedDeadLetterQueue.builder()
                            .processingGroup(group)
                            .connectionProvider(connections)
                            .transactionManager(transactions)
                            .schema(deadLetterSchema)
                            .genericSerializer(serializer)
                            .eventSerializer(eventSerializer)
                            .build())
                    .registerDeadLetterPolicy(group, c -> new ParkingPolicy(metrics))
                    .registerDeadLetteringEventHandlerInvokerConfiguration(group,
                            (c, builder) -> builder.enableSequenceIdentifierCache()));
        }

        @Bean
        RelayMonitor kafkaRelayMonitor(EventStore events, JdbcTemplate jdbc, TokenSchema tokens, Serializer serializer,
                                       EventProcessingConfiguration processing) {
            return new RelayMonitor(events, jdbc, tokens, serializer, processing);
        }

        @Bean
        KafkaRelayHealth kafkaRelayHealthIndicator(RelayState state, RelayMonitor monitor, KafkaSettings settings) {
            return new KafkaRelayHealth(state, monitor, settings.topic());
        }

        @Bean
        MeterBinder kafkaRelayGauges(RelayMonitor monitor) {
            return registry -> {
                Gauge.builder("salesledger.kafka.relay.lag", monitor, RelayMonitor::lag)
                        .baseUnit("events")
                        .description("events stored but not yet acknowledged by Kafka")
                        .register(registry);
                Gauge.builder("salesledger.kafka.relay.parked", monitor, RelayMonitor::parked)
                        .baseUnit("events")
                        .description("events parked as unpublishable, with the same customers' later events")
                        .register(registry);
            };
        }

        @Bean(destroyMethod = "close")
        KafkaReplays kafkaReplays(KafkaClients clients, ActionTopics topics, EventStorageEngine storage,
                                  JdbcTemplate jdbc, EventSchema schema, Serializer serializer,
                                  KafkaSettings settings, ObjectProvider<Clock> clock,
                                  org.springframework.core.env.Environment environment) {
            // the name this node claims processor segments in (infra/platform ProcessorSpreading), else Axon's
            String node = environment.getProperty("salesledger.processing.node-name",
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getName());
            return new KafkaReplays(clients, topics, storage, jdbc, schema, serializer, settings.relay().ackTimeout(),
                    settings.replay(), node.isBlank() ? java.lang.management.ManagementFactory.getRuntimeMXBean()
                    .getName() : node, clock.getIfAvailable(Clock::systemUTC));
        }

        @Bean
        KafkaAdminController kafkaAdminController(KafkaReplays replays, RelayMonitor monitor,
                                                  KafkaRelayHealth health) {
            return new KafkaAdminController(replays, monitor, health);
        }
    }

    /** No Kafka configured: nothing is published, and the health and the admin endpoints say why. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @Conditional(BootstrapMissing.class)
    static class Off {

        @Bean
        HealthIndicator kafkaRelayHealthIndicator() {
            log.info("no Kafka configured (SALESLEDGER_KAFKA_BOOTSTRAP): actions are stored but not published");
            return () -> Health.unknown().withDetails(Map.of("state", "off: no Kafka is configured; set "
                    + "SALESLEDGER_KAFKA_BOOTSTRAP (or salesledger.kafka.bootstrap) to publish")).build();
        }

        @Bean
        KafkaOffController kafkaOffController() {
            return new KafkaOffController();
        }
    }

    /** {@code salesledger.kafka.bootstrap} (or {@code SALESLEDGER_KAFKA_BOOTSTRAP}) is set and not blank. */
    static class BootstrapConfigured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String bootstrap = context.getEnvironment().getProperty("salesledger.kafka.bootstrap");
            return bootstrap != null && !bootstrap.isBlank()
                    ? ConditionOutcome.match("salesledger.kafka.bootstrap is " + bootstrap)
                    : ConditionOutcome.noMatch("salesledger.kafka.bootstrap is not set");
        }
    }

    static class BootstrapMissing extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ConditionOutcome configured = new BootstrapConfigured().getMatchOutcome(context, metadata);
            return configured.isMatch() ? ConditionOutcome.noMatch(configured.getMessage())
                    : ConditionOutcome.match(configured.getMessage());
        }
    }
}
