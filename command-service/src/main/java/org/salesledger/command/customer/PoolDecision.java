package org.salesledger.command.customer;

/**
 * What the Customer decided on a claim or a reassignment: done ({@code CLAIMED}, {@code REASSIGNED}: from whom to
 * whom), or refused with the field and a reason a person can act on.
 */
public record PoolDecision(Status status, String fromRepId, String toRepId, String field, String reason) {

    /** The outcomes. */
    public enum Status { CLAIMED, REASSIGNED, NOT_FOUND, NOT_IN_POOL, LOCKED_OUT, DAILY_LIMIT, CAP, UNCHANGED, FORBIDDEN }

    static PoolDecision done(Status status, String from, String to) {
        return new PoolDecision(status, from, to, null, null);
    }

    static PoolDecision refused(Status status, String field, String reason) {
        return new PoolDecision(status, null, null, field, reason);
    }

    public boolean done() {
        return status == Status.CLAIMED || status == Status.REASSIGNED;
    }
}
