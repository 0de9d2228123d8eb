package org.salesledger.projections.consistency;

/**
 * One way a read model differs from the event store, for one customer: what the events say ({@code expected}) and
 * what the read model holds ({@code found}), as text a person can act on. A tally, which spans customers, has no
 * {@code customerId}: its table and key are in {@code expected}.
 */
public record Difference(String readModel, String customerId, Kind kind, String expected, String found) {

    public enum Kind {
        /** The read model holds nothing of a customer the event store has. */
        MISSING_CUSTOMER,
        /** The read model holds a customer the event store has no action of. */
        UNKNOWN_CUSTOMER,
        /** Actions (by envelope id) stored but not in the read model. */
        MISSING_ACTIONS,
        /** Actions in the read model that the event store does not have for the customer. */
        UNEXPECTED_ACTIONS,
        /** The same actions, in another order or under other sequence numbers. */
        ORDER,
        /** The timeline's last sequence number is not the customer's last stored one. */
        LAST_SEQUENCE,
        /** The stage is not the one the lifecycle rules give for the stored actions. */
        STAGE,
        /** The customer's owner now is not the one its registration, reassignments and pool releases give. */
        OWNER,
        /** The customer's region is not its registration's (talk-track's scope rows). */
        REGION,
        /** The read model's last applied sequence number of the customer is not its last stored one. */
        APPLIED_SEQUENCE,
        /** Rows the stored actions make (conversions, costs, contracts, script uses) are missing. */
        MISSING_ROWS,
        /** Rows no stored action makes. */
        UNEXPECTED_ROWS,
        /** A tally over many customers (health's reps' days) that is not the recount of the rows it counts. */
        TALLY
    }
}
