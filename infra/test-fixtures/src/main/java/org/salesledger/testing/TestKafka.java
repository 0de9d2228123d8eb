package org.salesledger.testing;

import org.salesledger.infra.embedded.EmbeddedKafkaServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for tests, chosen once per JVM: {@code SALESLEDGER_TEST_KAFKA_BOOTSTRAP}; else a
 * Testcontainers Kafka when a Docker engine answers; else an in-process KRaft broker.
 */
public final class TestKafka {

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);
    private static String bootstrap;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            bootstrap = start();
        }
        return bootstrap;
    }

    /** A broker of the test's own, which it may stop and start again (outage tests). */
    public static EmbeddedKafkaServer startPrivateBroker() {
        return EmbeddedKafkaServer.startTemporary();
    }

    private static String start() {
        String external = System.getenv("SALESLEDGER_TEST_KAFKA_BOOTSTRAP");
        if (external != null && !external.isBlank()) {
            log.info("tests use the external Kafka at {}", external);
            return external;
        }
        if (Docker.answers()) {
            KafkaContainer container = new KafkaContainer("apache/kafka:3.9.1");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-kafka-stop"));
            log.info("tests use a Testcontainers Kafka at {}", container.getBootstrapServers());
            return container.getBootstrapServers();
        }
        EmbeddedKafkaServer embedded = EmbeddedKafkaServer.startTemporary();
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "test-kafka-stop"));
        log.info("tests use an embedded Kafka at {}", embedded.bootstrapServers());
        return embedded.bootstrapServers();
    }
}
