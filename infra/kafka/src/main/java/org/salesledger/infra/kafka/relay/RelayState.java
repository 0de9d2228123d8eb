package org.salesledger.infra.kafka.relay;

import java.time.Instant;

/** What the relay last did, for its health: when it last published, and its failures since. */
public class RelayState {

    private volatile Instant lastPublishedAt;
    private volatile Instant failingSince;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile long failuresInARow;

    void published(int records, Instant at) {
        lastPublishedAt = at;
        failingSince = null;
        failuresInARow = 0;
    }

    void failed(Throwable cause, Instant at) {
        if (failingSince == null) {
            failingSince = at;
        }
        failuresInARow++;
        lastError = cause.toString();
        lastErrorAt = at;
    }

    public Instant lastPublishedAt() {
        return lastPublishedAt;
    }

    /** Since when every batch has failed; {@code null} when the last batch went through. */
    public Instant failingSince() {
        return failingSince;
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastErrorAt() {
        return lastErrorAt;
    }

    public long failuresInARow() {
        return failuresInARow;
    }
}
