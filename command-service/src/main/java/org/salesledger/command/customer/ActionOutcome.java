package org.salesledger.command.customer;

/** What the customer made of one action: recorded, or refused with the field and the reason. */
public record ActionOutcome(String actionId, boolean recorded, String field, String reason, Refusal refusal) {

    /** Why an action was refused: invalid ({@code 400}), outside the sender's scope ({@code 404}), forbidden ({@code 403}). */
    public enum Refusal { INVALID, NOT_FOUND, FORBIDDEN }

    public ActionOutcome(String actionId, boolean recorded, String field, String reason) {
        this(actionId, recorded, field, reason, recorded ? null : Refusal.INVALID);
    }

    static ActionOutcome recorded(String actionId) {
        return new ActionOutcome(actionId, true, null, null);
    }

    static ActionOutcome refused(String actionId, String field, String reason) {
        return new ActionOutcome(actionId, false, field, reason);
    }

    static ActionOutcome refused(String actionId, String field, String reason, Refusal refusal) {
        return new ActionOutcome(actionId, false, field, reason, refusal);
    }
}
