package org.salesledger.command.rules;

/**
 * The kinds of rule of contract §6. Event-driven kinds act when a customer's actions change, time-driven kinds on
 * deadlines; {@code INCENTIVE} (contract §8) does not act on customers at all: it is the incentive plan the health
 * read model computes with, kept in the rulebook to be versioned and retired like any rule.
 */
public enum RuleKind {
    TAG(Acts.ON_EVENTS), CLASSIFY(Acts.ON_EVENTS), TALK_TRACK(Acts.ON_EVENTS), ESCALATE(Acts.ON_TIME),
    IDLE(Acts.ON_TIME), POOL(Acts.ON_TIME), COLLECTION(Acts.ON_TIME), INCENTIVE(Acts.NEVER);

    /** When a kind acts on customers. */
    private enum Acts { ON_EVENTS, ON_TIME, NEVER }

    private final Acts acts;

    RuleKind(Acts acts) {
        this.acts = acts;
    }

    /** TAG, CLASSIFY and TALK_TRACK: evaluated at each action of a customer. */
    public boolean eventDriven() {
        return acts == Acts.ON_EVENTS;
    }

    /** ESCALATE, IDLE, POOL and COLLECTION: acting on deadlines, planned per customer. */
    public boolean timeDriven() {
        return acts == Acts.ON_TIME;
    }
}
