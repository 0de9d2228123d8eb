package org.salesledger.query.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.salesledger.projections.deadletter.DeadLetters;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.rebuild.ReadModelRebuilds;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The read models' health component, {@code readModels} ({@code GET /actuator/health/readmodels}): per read model
 * {@code state} {@code RUNNING}, or {@code STOPPED} while a batch of one of its segments fails and the failure could
 * not be isolated to a customer — then with the {@code error}, the segments and since when (ADR 0022) — its lag and
 * its dead letters. {@value #DEGRADED} while any read model is stopped or has dead letters; that status is outside
 * the service's status order, so the query side stays {@code UP} (it still answers, from what was applied).
 */
@Component
class ReadModelsHealthIndicator implements HealthIndicator {

    static final String DEGRADED = "DEGRADED";

    private final List<ReadModelTables> readModels;
    private final BatchIsolation isolation;
    private final ReadModelRebuilds rebuilds;
    private final DeadLetters deadLetters;

    ReadModelsHealthIndicator(List<ReadModelTables> readModels, BatchIsolation isolation, ReadModelRebuilds rebuilds,
                              DeadLetters deadLetters) {
        this.readModels = readModels;
        this.isolation = isolation;
        this.rebuilds = rebuilds;
        this.deadLetters = deadLetters;
    }

    @Override
    public Health health() {
        boolean degraded = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (ReadModelTables readModel : readModels) {
            Map<String, Object> model = new LinkedHashMap<>();
            Map<Integer, BatchIsolation.Stopped> stopped = new TreeMap<>(isolation.stopped(readModel.processingGroup()));
            model.put("state", stopped.isEmpty() ? "RUNNING" : "STOPPED");
            if (!stopped.isEmpty()) {
                BatchIsolation.Stopped first = stopped.values().iterator().next();
                model.put("error", first.cause());
                model.put("since", first.since().toString());
                model.put("segments", List.copyOf(stopped.keySet()));
            }
            long letters = count(() -> deadLetters.count(readModel.readModel()));
            model.put("lagEvents", count(() -> rebuilds.lag(readModel.readModel())));
            model.put("deadLetterEvents", letters);
            degraded |= !stopped.isEmpty() || letters > 0;
            details.put(readModel.readModel(), model);
        }
        return Health.status(degraded ? new Status(DEGRADED) : Status.UP).withDetails(details).build();
    }

    /** A figure, or -1 when it cannot be read (the database away): the health itself must still answer. */
    private static long count(java.util.function.LongSupplier figure) {
        try {
            return figure.getAsLong();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
