package org.salesledger.command.processors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The command side's processors, health component {@code processors} ({@code GET /actuator/health/processors}): per
 * processor of this node ({@code rules}, {@code timers}, {@code pool-owners}, {@code kafka-relay}) whether it runs
 * here, and {@code state} {@code RUNNING}, or {@code STOPPED} while a batch of one of its segments fails
 * ({@link ProcessorStops}) — then with the failed event's position in the event store (not its customer: the
 * health endpoints answer without a token), the error, since when, how many attempts and the segments.
 * {@value #DEGRADED} while any is stopped; that status is outside the service's status order, so the command side
 * stays {@code UP}: it still takes actions in, and the stopped processor goes on from the failed event once its cause
 * is mended.
 */
@Component
class ProcessorsHealthIndicator implements HealthIndicator {

    static final String DEGRADED = "DEGRADED";

    private final EventProcessingConfiguration processing;
    private final ProcessorStops stops;

    ProcessorsHealthIndicator(EventProcessingConfiguration processing, ProcessorStops stops) {
        this.processing = processing;
        this.stops = stops;
    }

    @Override
    public Health health() {
        boolean degraded = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, EventProcessor> entry : new TreeMap<>(processing.eventProcessors()).entrySet()) {
            Map<String, Object> processor = new LinkedHashMap<>();
            processor.put("runsHere", entry.getValue().isRunning());
            Map<Integer, ProcessorStops.Stop> stopped = new TreeMap<>(stops.stopped(entry.getKey()));
            processor.put("state", stopped.isEmpty() ? "RUNNING" : "STOPPED");
            if (!stopped.isEmpty()) {
                ProcessorStops.Stop first = stopped.values().iterator().next();
                if (first.event() != null) {
                    processor.put("event", first.event());
                }
                processor.put("error", first.error());
                processor.put("since", first.since().toString());
                processor.put("lastFailure", first.lastFailure().toString());
                processor.put("attempts", first.failures());
                processor.put("segments", List.copyOf(stopped.keySet()));
                degraded = true;
            }
            details.put(entry.getKey(), processor);
        }
        return Health.status(degraded ? new Status(DEGRADED) : Status.UP).withDetails(details).build();
    }
}
