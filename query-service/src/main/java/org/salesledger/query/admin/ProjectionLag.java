package org.salesledger.query.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.salesledger.projections.rebuild.ReadModelRebuilds;
import org.springframework.stereotype.Component;

/**
 * {@code salesledger_projection_lag_events{readModel=…}}: events stored but not yet applied to each read model
 * (by its slowest segment), on the Prometheus endpoint.
 */
@Component
class ProjectionLag implements MeterBinder {

    private final ReadModelRebuilds rebuilds;

    ProjectionLag(ReadModelRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String readModel : rebuilds.readModels()) {
            Gauge.builder("salesledger.projection.lag", rebuilds, r -> r.lag(readModel))
                    .baseUnit("events")
                    .description("events stored but not yet applied to the read model")
                    .tag("readModel", readModel)
                    .register(registry);
        }
    }
}
