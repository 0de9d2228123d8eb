package org.salesledger.command.rules;

/**
 * What the rulebook made of a change: the rule's version after it (and the one before), or why it refused —
 * with the body field concerned when there is one.
 */
public record RulebookDecision(Status status, String ruleId, Integer version, Integer previousVersion, String field,
                               String reason) {

    public enum Status {
        /** A new version was published. */
        PUBLISHED,
        /** The body is the one already active: nothing stored, the version stays. */
        UNCHANGED,
        /** The rule was retired. */
        RETIRED,
        /** The change conflicts with another active rule. */
        REFUSED,
        /** No rule of that id was ever published. */
        NOT_FOUND,
        /** The rule is retired already. */
        ALREADY_RETIRED
    }

    static RulebookDecision of(Status status, String ruleId, Integer version, Integer previousVersion) {
        return new RulebookDecision(status, ruleId, version, previousVersion, null, null);
    }

    static RulebookDecision refused(Status status, String ruleId, String field, String reason) {
        return new RulebookDecision(status, ruleId, null, null, field, reason);
    }
}
