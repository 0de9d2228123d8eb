package org.salesledger.command.rules;

import java.util.List;
import org.salesledger.command.rules.RuleConditions.Condition;

/** One version of a rule, its conditions compiled: {@code when} (may be absent) and, for CLASSIFY, one per class. */
public record CompiledRule(String ruleId, int version, RuleDefinition definition, Condition when,
                           List<Condition> classes) {

    public CompiledRule {
        classes = List.copyOf(classes);
    }

    public RuleKind kind() {
        return definition.kind();
    }
}
