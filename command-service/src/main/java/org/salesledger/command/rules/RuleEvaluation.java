package org.salesledger.command.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.salesledger.command.customer.RuleOutcome;
import org.salesledger.command.rules.RuleConditions.Condition;
import org.salesledger.kernel.visit.VisitLogged;

/**
 * Evaluates the event-driven rules (TAG, CLASSIFY, TALK_TRACK) of a {@link RuleSet} for one customer as of one of
 * its actions. Pure: the same history, action and rules always give the same outcome — {@code now} is the time
 * the action happened, not the clock. A condition that cannot be evaluated (over a budget, or an error for these
 * values, e.g. a missing field without {@code has()}) does not match; it is reported to {@code failures}.
 */
public final class RuleEvaluation {

    private final RuleConditions cel;

    public RuleEvaluation(RuleConditions cel) {
        this.cel = cel;
    }

    /** A condition that failed: the rule, the field of the condition and why. */
    public record Failure(String ruleId, String field, String message) {
    }

    public RuleOutcome evaluate(RuleSet rules, CustomerHistory history, CustomerHistory.Entry trigger,
                                BiConsumer<CompiledRule, Failure> failures) {
        Map<String, Object> variables = history.variablesAt(trigger, cel.limits().maxEvents());
        List<RuleOutcome.TagResult> tags = new ArrayList<>();
        RuleOutcome.ClassResult classification = null;
        List<RuleOutcome.TalkTrackRule> talkTrackRules = new ArrayList<>();
        List<RuleOutcome.TalkTrackMatch> talkTracks = new ArrayList<>();
        Map<String, Object> withVisit = null;
        for (CompiledRule rule : rules.active()) {
            switch (rule.kind()) {
                case TAG -> tags.add(new RuleOutcome.TagResult(rule.ruleId(), rule.version(),
                        ((RuleDefinition.Tag) rule.definition()).tag(), holds(rule, "when", rule.when(), variables,
                        failures)));
                case CLASSIFY -> {
                    if (classification == null) {
                        classification = new RuleOutcome.ClassResult(rule.ruleId(), rule.version(),
                                firstClass(rule, variables, failures));
                    }
                }
                case TALK_TRACK -> {
                    RuleDefinition.TalkTrack definition = (RuleDefinition.TalkTrack) rule.definition();
                    talkTrackRules.add(new RuleOutcome.TalkTrackRule(rule.ruleId(), rule.version(),
                            definition.alertAfterUnused(), definition.to()));
                    if (trigger.action() instanceof VisitLogged) {
                        if (withVisit == null) {
                            withVisit = new HashMap<>(variables);
                            withVisit.put("visit", history.event(trigger));
                        }
                        if (holds(rule, "when", rule.when(), withVisit, failures)) {
                            talkTracks.add(new RuleOutcome.TalkTrackMatch(rule.ruleId(), rule.version(),
                                    definition.scripts()));
                        }
                    }
                }
                default -> {
                    // time-driven kinds act on deadlines, not here
                }
            }
        }
        return new RuleOutcome(tags, classification, talkTrackRules, talkTracks, rules.versions());
    }

    /** The first class of a CLASSIFY rule whose condition holds; {@code null} when none (or its own when fails). */
    String firstClass(CompiledRule rule, Map<String, Object> variables, BiConsumer<CompiledRule, Failure> failures) {
        if (rule.when() != null && !holds(rule, "when", rule.when(), variables, failures)) {
            return null;
        }
        List<RuleDefinition.ClassCase> cases = ((RuleDefinition.Classify) rule.definition()).classes();
        for (int i = 0; i < cases.size(); i++) {
            if (holds(rule, "classes[" + i + "].when", rule.classes().get(i), variables, failures)) {
                return cases.get(i).customerClass();
            }
        }
        return null;
    }

    boolean holds(CompiledRule rule, String field, Condition condition, Map<String, Object> variables,
                  BiConsumer<CompiledRule, Failure> failures) {
        if (condition == null) {
            return true;
        }
        try {
            return cel.test(condition, variables);
        } catch (RuleConditions.EvaluationFailed e) {
            failures.accept(rule, new Failure(rule.ruleId(), field, e.getMessage()));
            return false;
        }
    }
}
