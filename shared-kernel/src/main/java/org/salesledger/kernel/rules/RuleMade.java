package org.salesledger.kernel.rules;

import org.salesledger.kernel.CustomerAction;

/**
 * An action on a customer that a rule recorded, not a person: its envelope {@code actor} is {@code "system"} and
 * it names the rule and the version that made it. Rule-made actions never move the lifecycle stage and are not
 * interactions with the customer (they do not count as its last action).
 */
public interface RuleMade extends CustomerAction {

    String ruleId();

    int ruleVersion();
}
