package org.salesledger.projections.funnel;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jooq.DSLContext;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.projections.batch.BatchCustomers;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Builds the funnel read model: per customer its registration data, current stage (by the shared
 * {@link Lifecycle}), furthest stage reached, last action and snooze; per stage stay its entry and exit time. Times
 * are the actions' own ({@code time} of the envelope), never the clock.
 *
 * <p>A processor batch is applied in memory: the batch's customers are loaded with one query when its first event
 * arrives, every event of the batch changes that state, and the changed rows are written once, when the batch
 * commits — in the transaction that also stores the processor's token ({@link FunnelBatch}). An action at or below
 * the customer's last applied sequence number is a repeat and changes nothing, so the model can be rebuilt from the
 * first event and a redelivered batch counts nothing twice. Runs in the {@value #GROUP} processing group.
 */
@Component
@ProcessingGroup(FunnelProjection.GROUP)
class FunnelProjection {

    static final String GROUP = "funnel";
    private static final String PENDING = FunnelProjection.class.getName() + ".batch";

    private final FunnelStore store;

    FunnelProjection(DSLContext db, @Qualifier(FunnelTables.BEAN) ReadModelTables tables) {
        this.store = new FunnelStore(db, tables);
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, MetaData metadata) {
        if (CurrentUnitOfWork.isStarted()) {
            batchOf(CurrentUnitOfWork.get().root()).apply(action, sequence, metadata);
        } else {
            FunnelBatch single = new FunnelBatch(store);
            single.apply(action, sequence, metadata);
            single.write();
        }
    }

    /** The state of the current batch, created (with its customers loaded) by its first event. */
    private FunnelBatch batchOf(UnitOfWork<?> unitOfWork) {
        return unitOfWork.getOrComputeResource(PENDING, key -> {
            FunnelBatch batch = new FunnelBatch(store);
            batch.load(BatchCustomers.of(unitOfWork));
            unitOfWork.onPrepareCommit(u -> batch.write());
            return batch;
        });
    }

    @ResetHandler
    void reset() {
        store.truncate();
    }
}
