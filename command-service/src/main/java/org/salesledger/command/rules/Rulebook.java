package org.salesledger.command.rules;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashMap;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.salesledger.kernel.rules.RulePublished;
import org.salesledger.kernel.rules.RuleRetired;

/**
 * The rulebook: every rule and every change to it, as events ({@code RulePublished}, {@code RuleRetired}) with
 * author, version, previous version and reason. It decides the versions (a new rule is version 1, every change
 * the previous + 1, a retirement too), that a retired or unknown rule cannot be retired, that one CLASSIFY rule
 * and one INCENTIVE rule (the incentive plan, contract §8) are active at a time and that no two active TAG rules set
 * the same tag. One aggregate, {@value #ID}, holds them
 * all: rules are few, and one stream keeps their order.
 */
@Aggregate
class Rulebook {

    static final String ID = "salesledger:rulebook";

    @AggregateIdentifier
    private String rulebookId;
    private final Map<String, Entry> rules = new HashMap<>();

    /** The latest version of one rule. */
    private record Entry(int version, boolean retired, RuleKind kind, String tag, Map<String, Object> body) {
    }

    Rulebook() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    RulebookDecision handle(PublishRule command) {
        Entry current = rules.get(command.ruleId());
        if (current != null && !current.retired() && current.body().equals(command.rule())) {
            return RulebookDecision.of(RulebookDecision.Status.UNCHANGED, command.ruleId(), current.version(),
                    current.version());
        }
        for (Map.Entry<String, Entry> other : rules.entrySet()) {
            Entry rule = other.getValue();
            if (other.getKey().equals(command.ruleId()) || rule.retired() || rule.kind() != command.kind()) {
                continue;
            }
            if (command.kind() == RuleKind.INCENTIVE) {
                return RulebookDecision.refused(RulebookDecision.Status.REFUSED, command.ruleId(), "kind",
                        "rule '" + other.getKey() + "' is the active incentive plan (one INCENTIVE rule is active at a "
                                + "time); retire it or publish a new version of it with PUT /api/v1/rules/"
                                + other.getKey());
            }
            if (command.kind() == RuleKind.CLASSIFY) {
                return RulebookDecision.refused(RulebookDecision.Status.REFUSED, command.ruleId(), "kind",
                        "rule '" + other.getKey() + "' already classifies customers (one CLASSIFY rule is active at "
                                + "a time); replace it with PUT /api/v1/rules/" + other.getKey() + " or retire it first");
            }
            if (command.kind() == RuleKind.TAG && rule.tag().equals(command.tag())) {
                return RulebookDecision.refused(RulebookDecision.Status.REFUSED, command.ruleId(), "tag",
                        "tag '" + command.tag() + "' is already set by rule '" + other.getKey()
                                + "'; change that rule, or retire it first");
            }
        }
        Integer previous = current == null ? null : current.version();
        int version = current == null ? 1 : current.version() + 1;
        apply(new RulePublished(command.ruleId(), version, previous, command.author(), command.reason(),
                command.rule()));
        return RulebookDecision.of(RulebookDecision.Status.PUBLISHED, command.ruleId(), version, previous);
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    RulebookDecision handle(RetireRule command) {
        Entry current = rules.get(command.ruleId());
        if (current == null) {
            return RulebookDecision.refused(RulebookDecision.Status.NOT_FOUND, command.ruleId(), "ruleId",
                    "no rule '" + command.ruleId() + "' was ever published");
        }
        if (current.retired()) {
            return RulebookDecision.refused(RulebookDecision.Status.ALREADY_RETIRED, command.ruleId(), "ruleId",
                    "rule '" + command.ruleId() + "' is already retired (version " + current.version()
                            + "); publish it again with PUT to bring it back");
        }
        apply(new RuleRetired(command.ruleId(), current.version() + 1, current.version(), command.author(),
                command.reason()));
        return RulebookDecision.of(RulebookDecision.Status.RETIRED, command.ruleId(), current.version() + 1,
                current.version());
    }

    @EventSourcingHandler
    void on(RulePublished published) {
        rulebookId = ID;
        RuleKind kind = RuleKind.valueOf(String.valueOf(published.rule().get("kind")));
        Object tag = published.rule().get("tag");
        rules.put(published.ruleId(), new Entry(published.version(), false, kind, tag == null ? null : tag.toString(),
                published.rule()));
    }

    @EventSourcingHandler
    void on(RuleRetired retired) {
        rulebookId = ID;
        Entry current = rules.get(retired.ruleId());
        rules.put(retired.ruleId(), new Entry(retired.version(), true, current.kind(), current.tag(), Map.of()));
    }
}
