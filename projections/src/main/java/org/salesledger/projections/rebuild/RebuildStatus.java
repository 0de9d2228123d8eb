package org.salesledger.projections.rebuild;

import java.time.Instant;

/**
 * Where a rebuild stands: its state, the events replayed so far out of those stored when it started, the rate
 * and the time it expects to need for the rest ({@code null} until it can tell).
 */
public record RebuildStatus(String readModel, State state, long eventsDone, long eventsTotal,
                            double eventsPerSecond, Long etaSeconds, Instant startedAt, Instant finishedAt,
                            String message) {

    public enum State { PREPARING, REPLAYING, SWITCHING, DONE, FAILED }

    public boolean finished() {
        return state == State.DONE || state == State.FAILED;
    }
}
