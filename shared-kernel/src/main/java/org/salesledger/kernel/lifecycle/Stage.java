package org.salesledger.kernel.lifecycle;

/** The lifecycle stages of contract §2, in order; {@link #LOST} stands outside the order. */
public enum Stage {
    FIRST_CONTACT, NEEDS_CONFIRMED, PROPOSAL_SENT, PRICE_OBJECTION, TRIAL_REQUESTED, CONTRACT_SIGNED, LOST;

    /** Won or lost: the stage never changes again. */
    public boolean isFinal() {
        return this == CONTRACT_SIGNED || this == LOST;
    }
}
