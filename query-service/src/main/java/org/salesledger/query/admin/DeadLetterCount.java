package org.salesledger.query.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.salesledger.projections.deadletter.DeadLetters;
import org.springframework.stereotype.Component;

/**
 * {@code salesledger_projection_dead_letters_events{readModel=…}}: events parked because the read model could not
 * apply them (with the later events of their customers), on the Prometheus endpoint. Anything above zero needs
 * an operator: see {@code GET /api/v1/admin/dead-letters}.
 */
@Component
class DeadLetterCount implements MeterBinder {

    private final DeadLetters deadLetters;

    DeadLetterCount(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String readModel : deadLetters.readModels()) {
            Gauge.builder("salesledger.projection.dead.letters", deadLetters, d -> d.count(readModel))
                    .baseUnit("events")
                    .description("events the read model could not apply, parked in the dead-letter queue")
                    .tag("readModel", readModel)
                    .register(registry);
        }
    }
}
