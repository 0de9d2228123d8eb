package org.salesledger.projections.isolation;

/**
 * Thrown by a projection for an event that {@link BatchIsolation} found its read model cannot write, so that Axon's
 * dead-letter queue parks it (with its customer's later events) while the rest of the batch is applied. Its message
 * is the write's own failure, as a dead letter's cause.
 */
public class EventIsolatedException extends RuntimeException {

    EventIsolatedException(String group, String customer, long sequence, String cause) {
        super(group + " could not write event " + sequence + " of customer " + customer + ": " + cause, null, false,
                false);
    }
}
