package org.salesledger.projections.funnel;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Builds the funnel read model: per customer its registration data, current stage (by the shared
 * {@link Lifecycle}), furthest stage reached, last action and snooze; per stage stay its entry and exit time. Times
 * are the actions' own ({@code time} of the envelope), never the clock.
 *
 * <p>A processor batch is applied in memory when it commits: the batch's customers are loaded with one query, every
 * event of the batch changes that state, and the changed rows are written once — in the transaction that also stores
 * the processor's token ({@link FunnelBatch}), through {@link BatchIsolation} (a customer whose write fails is
 * parked, never skipped). An action at or below
 * the customer's last applied sequence number is a repeat and changes nothing, so the model can be rebuilt from the
 * first event and a redelivered batch counts nothing twice. Runs in the {@value #GROUP} processing group.
 */
@Component
@ProcessingGroup(FunnelProjection.GROUP)
class FunnelProjection {

    static final String GROUP = "funnel";

    private final FunnelStore store;
    private final BatchIsolation isolation;

    FunnelProjection(DSLContext db, ReadModelTables tables) {
        this(db, tables, new BatchIsolation(db, null));
    }

    @Autowired
    FunnelProjection(DSLContext db, @Qualifier(FunnelTables.BEAN) ReadModelTables tables, BatchIsolation isolation) {
        this.store = new FunnelStore(db, tables);
        this.isolation = isolation;
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, MetaData metadata) {
        FunnelBatch.check(action, metadata);
        isolation.handle(GROUP, action.customerId().value(), sequence, new Event(action, sequence, metadata),
                this::write);
    }

    /** One event of a batch, applied when the batch is written. */
    private record Event(CustomerAction action, long sequence, MetaData metadata) {
    }

    /** Applies the events to their customers (loaded with one query) in memory, then writes what changed. */
    private void write(List<Event> events) {
        FunnelBatch batch = new FunnelBatch(store);
        Set<String> customers = new LinkedHashSet<>();
        events.forEach(e -> customers.add(e.action().customerId().value()));
        batch.load(customers);
        events.forEach(e -> batch.apply(e.action(), e.sequence(), e.metadata()));
        batch.write();
    }

    @ResetHandler
    void reset() {
        store.truncate();
    }
}
