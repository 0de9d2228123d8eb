package org.salesledger.command.rules;

/** The kinds of rule of contract §6. Event-driven kinds act when a customer's actions change; the others on time. */
public enum RuleKind {
    TAG(true), CLASSIFY(true), TALK_TRACK(true), ESCALATE(false), IDLE(false), POOL(false), COLLECTION(false);

    private final boolean eventDriven;

    RuleKind(boolean eventDriven) {
        this.eventDriven = eventDriven;
    }

    /** TAG, CLASSIFY and TALK_TRACK: evaluated at each action of a customer. */
    public boolean eventDriven() {
        return eventDriven;
    }
}
