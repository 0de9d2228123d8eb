package org.salesledger.command.customer;

/** What the customer made of one action: recorded, or refused with the field and the reason. */
public record ActionOutcome(String actionId, boolean recorded, String field, String reason) {

    static ActionOutcome recorded(String actionId) {
        return new ActionOutcome(actionId, true, null, null);
    }

    static ActionOutcome refused(String actionId, String field, String reason) {
        return new ActionOutcome(actionId, false, field, reason);
    }
}
