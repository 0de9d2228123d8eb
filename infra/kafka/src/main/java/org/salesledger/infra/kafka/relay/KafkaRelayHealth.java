package org.salesledger.infra.kafka.relay;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The relay's health component, {@code kafkaRelay}: {@code UP} while it publishes, {@value #DEGRADED} while Kafka
 * does not acknowledge its batches or while events are parked, with the lag, the parked count and the last error as
 * details ({@code GET /actuator/health/kafka}).
 *
 * <p>{@value #DEGRADED} is not in the service's status order, so it never turns the service's own health
 * ({@code GET /actuator/health}) DOWN: actions are still taken in and stored while Kafka is away, and a load
 * balancer must not take the command side out of service for it.
 */
public class KafkaRelayHealth implements HealthIndicator {

    public static final String DEGRADED = "DEGRADED";

    private final RelayState state;
    private final RelayMonitor monitor;
    private final String topic;

    public KafkaRelayHealth(RelayState state, RelayMonitor monitor, String topic) {
        this.state = state;
        this.monitor = monitor;
        this.topic = topic;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("topic", topic);
        long parked = -1;
        try {
            details.put("lagEvents", monitor.lag());
            parked = monitor.parked();
            details.put("parkedEvents", parked);
        } catch (RuntimeException e) {
            details.put("monitorError", e.getMessage());
        }
        details.put("runsHere", monitor.processor().map(p -> p.isRunning()).orElse(false));
        if (state.lastPublishedAt() != null) {
            details.put("lastPublishedAt", state.lastPublishedAt().toString());
        }
        boolean failing = state.failingSince() != null;
        if (failing) {
            details.put("failingSince", state.failingSince().toString());
            details.put("failedBatchesInARow", state.failuresInARow());
        }
        if (state.lastError() != null) {
            details.put("lastError", state.lastError());
            details.put("lastErrorAt", state.lastErrorAt().toString());
        }
        String condition = failing
                ? "Kafka does not acknowledge: actions are stored and will be published, in order, when it does"
                : parked > 0 ? "events are parked: see GET /api/v1/admin/kafka-relay"
                : "publishing";
        details.put("state", condition);
        return Health.status(failing || parked > 0 ? new Status(DEGRADED) : Status.UP).withDetails(details).build();
    }
}
