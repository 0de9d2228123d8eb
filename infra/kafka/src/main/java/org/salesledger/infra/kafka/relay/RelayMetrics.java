package org.salesledger.infra.kafka.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The relay's counters on the Prometheus endpoint:
 * {@code salesledger_kafka_published_total} (records Kafka acknowledged, repeats after a retry included),
 * {@code salesledger_kafka_publish_latency_seconds} (histogram: from the event being stored to Kafka's
 * acknowledgement), {@code salesledger_kafka_publish_errors_total{kind="broker"|"poison"}} (batches Kafka did not
 * acknowledge; events parked as unpublishable). The lag and parked gauges are {@link RelayMonitor}'s.
 */
public class RelayMetrics {

    private final Counter published;
    private final Timer latency;
    private final Counter brokerErrors;
    private final Counter poisonErrors;

    public RelayMetrics(MeterRegistry registry) {
        published = Counter.builder("salesledger.kafka.published")
                .description("action records Kafka acknowledged (a retried batch counts again)")
                .register(registry);
        latency = Timer.builder("salesledger.kafka.publish.latency")
                .description("from an action being stored to Kafka acknowledging its record")
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.99)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        brokerErrors = Counter.builder("salesledger.kafka.publish.errors").tag("kind", "broker")
                .description("relay batches Kafka did not acknowledge (retried), and events parked as unpublishable")
                .register(registry);
        poisonErrors = Counter.builder("salesledger.kafka.publish.errors").tag("kind", "poison")
                .description("relay batches Kafka did not acknowledge (retried), and events parked as unpublishable")
                .register(registry);
    }

    void acknowledged(Duration sinceStored) {
        published.increment();
        latency.record(sinceStored.isNegative() ? Duration.ZERO : sinceStored);
    }

    void failed() {
        brokerErrors.increment();
    }

    void parked() {
        poisonErrors.increment();
    }
}
