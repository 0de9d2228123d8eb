package org.salesledger.command.rules;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of a rule's history as the HTTP API shows it: a published version (with its body) or a retirement,
 * who made it, why and when.
 */
public record RuleVersion(String ruleId, int version, Integer previousVersion, Status status, String kind,
                          Map<String, Object> rule, String author, String reason, Instant at) {

    public enum Status { ACTIVE, SUPERSEDED, RETIRED }

    RuleVersion withStatus(Status newStatus) {
        return new RuleVersion(ruleId, version, previousVersion, newStatus, kind, rule, author, reason, at);
    }
}
