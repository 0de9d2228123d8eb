package org.salesledger.projections.consistency;

import java.time.Instant;
import java.util.List;

/**
 * A consistency check, running or finished: how far it is (events and customers read from the event store, of
 * {@code eventsTotal} customer actions stored when it started), per read model what it compared, and the
 * differences found — all counted in {@code differencesTotal}, the first {@code limit} listed — and, apart, the first
 * {@code limit} customers not compared because they are parked in a read model's dead-letter queue (an expected
 * difference: see {@code GET /api/v1/admin/dead-letters/{readModel}}).
 */
public record ConsistencyReport(String id, State state, Instant startedAt, Instant finishedAt, long eventsDone,
                                long eventsTotal, long customersDone, List<ReadModelSummary> readModels,
                                long differencesTotal, int limit, List<Difference> differences, List<Parked> parked,
                                String message) {

    public enum State { RUNNING, DONE, FAILED }

    public boolean finished() {
        return state != State.RUNNING;
    }

    /**
     * What the check did for one read model: the position its processor had applied when the check started; the
     * customers compared; those it did not compare because their events are parked in the dead-letter queue
     * (an expected difference, listed at {@code GET /api/v1/admin/dead-letters/{readModel}}) or were stored after
     * that position (not applied yet: the read model is catching up); and the differences found. {@code skipped}
     * says why a read model was not compared at all (a rebuild running), else {@code null}.
     */
    public record ReadModelSummary(String readModel, long appliedPosition, long customersCompared,
                                   long customersParked, long customersCatchingUp, long differences,
                                   String skipped) {
    }

    /** A customer whose events are parked in the read model's dead-letter queue: expected to differ, not compared. */
    public record Parked(String readModel, String customerId) {
    }
}
