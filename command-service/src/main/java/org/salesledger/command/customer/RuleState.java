package org.salesledger.command.customer;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.rules.CustomerClassified;
import org.salesledger.kernel.rules.CustomerTagged;
import org.salesledger.kernel.rules.CustomerUntagged;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.talktrack.TalkTrackIgnored;
import org.salesledger.kernel.talktrack.TalkTracksSuggested;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.RepId;

/**
 * What the event-driven rules have recorded on one customer — its tags (per TAG rule), its class, and per
 * TALK_TRACK rule the suggestions and how many in a row went unused — and the one decision of what an evaluation
 * changes. Pure: the {@link Customer} holds the authoritative copy; the rule evaluator folds the customer's events
 * into its own copy only to skip evaluations that would change nothing.
 *
 * <p>A suggestion counts as unused once it is answered {@code NOT_APPLICABLE}, or once the same rule suggests
 * again without a {@code USED} answer in between. A {@code USED} answer (to any suggestion of the rule) resets the
 * count; so does the alert.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class RuleState {

    private Map<String, String> tagByRule = new LinkedHashMap<>();
    private String customerClass;
    private Map<String, TalkTrackCounter> talkTracks = new LinkedHashMap<>();
    private Map<String, String> suggestionRule = new LinkedHashMap<>();
    private long lastTriggerSeq = -1;

    /** Unused suggestions of one TALK_TRACK rule on this customer. */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    static final class TalkTrackCounter {
        private String pending;
        private boolean pendingAnswered;
        private int unusedInARow;

        @Override
        public boolean equals(Object other) {
            return other instanceof TalkTrackCounter c && Objects.equals(pending, c.pending)
                    && pendingAnswered == c.pendingAnswered && unusedInARow == c.unusedInARow;
        }

        @Override
        public int hashCode() {
            return Objects.hash(pending, pendingAnswered, unusedInARow);
        }

        TalkTrackCounter copy() {
            TalkTrackCounter c = new TalkTrackCounter();
            c.pending = pending;
            c.pendingAnswered = pendingAnswered;
            c.unusedInARow = unusedInARow;
            return c;
        }
    }

    public RuleState copy() {
        RuleState copy = new RuleState();
        copy.tagByRule = new LinkedHashMap<>(tagByRule);
        copy.customerClass = customerClass;
        talkTracks.forEach((rule, counter) -> copy.talkTracks.put(rule, counter.copy()));
        copy.suggestionRule = new LinkedHashMap<>(suggestionRule);
        copy.lastTriggerSeq = lastTriggerSeq;
        return copy;
    }

    /** The tags the customer carries now, sorted. */
    public Set<String> tags() {
        return new TreeSet<>(tagByRule.values());
    }

    /** The class the customer is of now, {@code null} when none. */
    public String customerClass() {
        return customerClass;
    }

    /** The sequence number of the last action whose evaluation recorded something, {@code -1} before any. */
    public long lastTriggerSeq() {
        return lastTriggerSeq;
    }

    public boolean knowsSuggestion(String suggestionId) {
        return suggestionRule.containsKey(suggestionId);
    }

    /** How many suggestions of the rule went unused in a row so far. */
    public int unusedInARow(String ruleId) {
        TalkTrackCounter counter = talkTracks.get(ruleId);
        return counter == null ? 0 : counter.unusedInARow;
    }

    /** Takes an action into account: rule-made ones and talk-track feedback change the state, others do not. */
    public void apply(CustomerAction action) {
        if (action instanceof CustomerTagged tagged) {
            tagByRule.put(tagged.ruleId(), tagged.tag());
        } else if (action instanceof CustomerUntagged untagged) {
            tagByRule.remove(untagged.ruleId(), untagged.tag());
        } else if (action instanceof CustomerClassified classified) {
            customerClass = classified.customerClass();
        } else if (action instanceof TalkTracksSuggested suggested) {
            TalkTrackCounter counter = talkTracks.computeIfAbsent(suggested.ruleId(), r -> new TalkTrackCounter());
            if (counter.pending != null && !counter.pendingAnswered) {
                counter.unusedInARow++;
            }
            counter.pending = suggested.suggestionId();
            counter.pendingAnswered = false;
            suggestionRule.put(suggested.suggestionId(), suggested.ruleId());
        } else if (action instanceof TalkTrackIgnored ignored) {
            TalkTrackCounter counter = talkTracks.get(ignored.ruleId());
            if (counter != null) {
                counter.unusedInARow = 0;
            }
        } else if (action instanceof TalkTrackFeedbackGiven feedback) {
            String rule = suggestionRule.get(feedback.suggestionId());
            TalkTrackCounter counter = rule == null ? null : talkTracks.get(rule);
            if (counter == null) {
                return;
            }
            boolean answersPending = feedback.suggestionId().equals(counter.pending) && !counter.pendingAnswered;
            if (feedback.feedback() == TalkTrackFeedback.USED) {
                counter.unusedInARow = 0;
                if (answersPending) {
                    counter.pendingAnswered = true;
                }
            } else if (answersPending) {
                counter.unusedInARow++;
                counter.pendingAnswered = true;
            }
        }
    }

    /** Records that the evaluation at this sequence number was applied. */
    public void evaluated(long triggerSeq) {
        lastTriggerSeq = Math.max(lastTriggerSeq, triggerSeq);
    }

    /**
     * What an evaluation changes, in the order to record it (untag, tag, classify, suggest, alert). Each is
     * recorded once per change of outcome: nothing while a tag holds or a class stays the same.
     *
     * @param owner the customer's owner, named in a {@code TalkTrackIgnored}
     */
    public List<RuleMade> decide(CustomerId customer, String triggerActionId, RepId owner, RuleOutcome outcome) {
        RuleState next = copy();
        List<RuleMade> changes = new ArrayList<>();
        Set<String> tagRules = new java.util.HashSet<>();
        for (RuleOutcome.TagResult result : outcome.tags()) {
            tagRules.add(result.ruleId());
        }
        for (Map.Entry<String, String> held : new ArrayList<>(next.tagByRule.entrySet())) {
            if (!tagRules.contains(held.getKey())) {
                int version = outcome.ruleVersions().getOrDefault(held.getKey(), 0);
                next.record(changes, new CustomerUntagged(customer, held.getValue(), held.getKey(), version, null));
            }
        }
        for (RuleOutcome.TagResult result : outcome.tags()) {
            String held = next.tagByRule.get(result.ruleId());
            if (held != null && (!result.holds() || !held.equals(result.tag()))) {
                next.record(changes, new CustomerUntagged(customer, held, result.ruleId(), result.version(), null));
                held = null;
            }
            if (held == null && result.holds()) {
                next.record(changes, new CustomerTagged(customer, result.tag(), result.ruleId(), result.version(), null));
            }
        }
        RuleOutcome.ClassResult classification = outcome.classification();
        if (classification != null && !Objects.equals(classification.customerClass(), next.customerClass)) {
            next.record(changes, new CustomerClassified(customer, classification.customerClass(), next.customerClass,
                    classification.ruleId(), classification.version(), null));
        }
        for (RuleOutcome.TalkTrackMatch match : outcome.talkTracks()) {
            String suggestionId = actionId(triggerActionId, match.ruleId(), TalkTracksSuggested.class);
            if (!next.suggestionRule.containsKey(suggestionId)) {
                next.record(changes, new TalkTracksSuggested(customer, suggestionId, triggerActionId, match.scripts(),
                        match.ruleId(), match.version(), null));
            }
        }
        for (RuleOutcome.TalkTrackRule rule : outcome.talkTrackRules()) {
            TalkTrackCounter counter = next.talkTracks.get(rule.ruleId());
            if (rule.alertAfterUnused() != null && counter != null && counter.unusedInARow >= rule.alertAfterUnused()) {
                next.record(changes, new TalkTrackIgnored(customer, rule.to(), owner, counter.unusedInARow,
                        counter.pending, rule.ruleId(), rule.version(), null));
            }
        }
        return changes;
    }

    private void record(List<RuleMade> changes, RuleMade change) {
        changes.add(change);
        apply(change);
    }

    /**
     * The envelope id of a rule-made action: derived from the action that caused it, the rule and the type, so
     * that the same evaluation always names its actions alike (a suggestion's id is what feedback answers).
     */
    public static String actionId(String triggerActionId, String ruleId, Class<? extends RuleMade> type) {
        String name = triggerActionId + "\u0000" + ruleId + "\u0000" + type.getSimpleName();
        return "rule-" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** The envelope id of a rule-made action (see {@link #actionId(String, String, Class)}). */
    public static String actionId(String triggerActionId, RuleMade action) {
        return actionId(triggerActionId, action.ruleId(), action.getClass());
    }
}
