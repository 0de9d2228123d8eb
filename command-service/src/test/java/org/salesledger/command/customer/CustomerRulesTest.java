package org.salesledger.command.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.command.testdata.Actions.id;
import static org.salesledger.command.testdata.Actions.record;
import static org.salesledger.command.testdata.Actions.registered;

import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.rules.CustomerClassified;
import org.salesledger.kernel.rules.CustomerTagged;
import org.salesledger.kernel.rules.CustomerUntagged;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.talktrack.TalkTrackIgnored;
import org.salesledger.kernel.talktrack.TalkTracksSuggested;
import org.salesledger.kernel.value.RepId;

/** How the Customer records what the event-driven rules say: once per change of outcome, never twice. */
class CustomerRulesTest {

    private static final String C = "c-1";
    private static final String NOW = "2025-03-05T10:00:00+08:00";
    private static final RuleOutcome.TalkTrackRule TT_RULE = new RuleOutcome.TalkTrackRule("tt", 1, 2, "supervisor");

    private AggregateTestFixture<Customer> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Customer.class);
    }

    // ---- outcomes ----

    private static RuleOutcome tag(boolean holds) {
        return tag(holds, 1);
    }

    private static RuleOutcome tag(boolean holds, int version) {
        return new RuleOutcome(List.of(new RuleOutcome.TagResult("bargain", version, "high-bargaining", holds)),
                null, List.of(), List.of(), Map.of("bargain", version));
    }

    private static RuleOutcome classified(String customerClass) {
        return new RuleOutcome(List.of(), new RuleOutcome.ClassResult("classes", 1, customerClass), List.of(),
                List.of(), Map.of("classes", 1));
    }

    private static RuleOutcome visitMatched(boolean matched) {
        return new RuleOutcome(List.of(), null, List.of(TT_RULE),
                matched ? List.of(new RuleOutcome.TalkTrackMatch("tt", 1, List.of("s-1", "s-2", "s-3"))) : List.of(),
                Map.of("tt", 1));
    }

    private static EvaluateRules evaluate(long seq, RuleOutcome outcome) {
        return new EvaluateRules(C, seq, "a-" + seq, NOW, outcome);
    }

    /** A rule-made event as the aggregate stored it for the evaluation at {@code seq}. */
    private static Object made(Object event, long seq) {
        return GenericEventMessage.asEventMessage(event).withMetaData(MetaData.with(
                ActionMetadata.RULE_TRIGGER_SEQ, Long.toString(seq)));
    }

    /**
     * The envelope id the rules give the suggestion made at {@code seq}: "rule-" and the name-based (MD5, version 3)
     * UUID of "a-SEQ\0tt\0TalkTracksSuggested", worked out outside this code base (Python's hashlib), so a change
     * in how ids are derived fails here.
     */
    private static String suggestion(long seq) {
        return switch ((int) seq) {
            case 1 -> "rule-47df0d42-c0a4-3cab-819b-85f43159b1ec";
            case 2 -> "rule-70a95aab-073f-3bd0-9157-cc0bb3ccc43d";
            case 3 -> "rule-e80ce036-8082-37cf-9220-6eeecd0f242d";
            case 4 -> "rule-c7a7f01c-e161-30ef-bf38-ecad5d95c966";
            default -> throw new IllegalArgumentException("no suggestion id worked out for seq " + seq);
        };
    }

    private static TalkTracksSuggested suggested(long seq) {
        return new TalkTracksSuggested(id(C), suggestion(seq), "a-" + seq, List.of("s-1", "s-2", "s-3"), "tt", 1, null);
    }

    private static TalkTrackFeedbackGiven feedback(long seq, TalkTrackFeedback answer) {
        return new TalkTrackFeedbackGiven(id(C), suggestion(seq), "s-1", answer, Map.of());
    }

    // ---- TAG ----

    @Test
    void aTagConditionTurningTrueTagsTheCustomerAsTheSystemNamingTheRule() {
        fixture.given(registered(C))
                .when(evaluate(3, tag(true)))
                .expectEvents(GenericEventMessage.asEventMessage(new CustomerTagged(id(C), "high-bargaining", "bargain", 1,
                        null)).withMetaData(Map.of(
                        ActionMetadata.ACTION_ID, "rule-88679d41-99a8-3297-b65a-c5d1d9cea504", // a-3\0bargain\0CustomerTagged
                        ActionMetadata.SOURCE, "/rules/bargain", ActionMetadata.ACTOR, "system",
                        ActionMetadata.OCCURRED_AT, NOW, ActionMetadata.RULE_ID, "bargain",
                        ActionMetadata.RULE_VERSION, "1", ActionMetadata.CAUSED_BY, "a-3",
                        ActionMetadata.RULE_TRIGGER_SEQ, "3")));
    }

    @Test
    void noRepeatedTagWhileTheConditionHolds() {
        fixture.given(registered(C), made(new CustomerTagged(id(C), "high-bargaining", "bargain", 1, null), 3))
                .when(evaluate(4, tag(true)))
                .expectNoEvents();
    }

    @Test
    void aTagConditionTurningFalseUntagsAndTurningTrueAgainTagsAgain() {
        fixture.given(registered(C), made(new CustomerTagged(id(C), "high-bargaining", "bargain", 1, null), 3))
                .when(evaluate(5, tag(false)))
                .expectEvents(new CustomerUntagged(id(C), "high-bargaining", "bargain", 1, null));
        fixture.given(registered(C), made(new CustomerTagged(id(C), "high-bargaining", "bargain", 1, null), 3),
                        made(new CustomerUntagged(id(C), "high-bargaining", "bargain", 1, null), 5))
                .when(evaluate(6, tag(true)))
                .expectEvents(new CustomerTagged(id(C), "high-bargaining", "bargain", 1, null));
    }

    @Test
    void aFalseConditionOnAnUntaggedCustomerRecordsNothing() {
        fixture.given(registered(C))
                .when(evaluate(3, tag(false)))
                .expectNoEvents();
    }

    @Test
    void anEvaluationAtOrBeforeOneAlreadyAppliedRecordsNothing() {
        fixture.given(registered(C), made(new CustomerTagged(id(C), "high-bargaining", "bargain", 1, null), 7))
                .when(evaluate(7, tag(false)))
                .expectNoEvents()
                .expectResultMessagePayload(List.of());
        fixture.given(registered(C), made(new CustomerTagged(id(C), "high-bargaining", "bargain", 1, null), 7))
                .when(evaluate(6, tag(false)))
                .expectNoEvents();
    }

    @Test
    void aRetiredTagRuleRemovesItsTagUnderTheRetiringVersion() {
        RuleOutcome retired = new RuleOutcome(List.of(), null, List.of(), List.of(), Map.of("bargain", 3));

        fixture.given(registered(C), made(new CustomerTagged(id(C), "high-bargaining", "bargain", 2, null), 3))
                .when(evaluate(4, retired))
                .expectEvents(new CustomerUntagged(id(C), "high-bargaining", "bargain", 3, null));
    }

    @Test
    void aRuleChangingItsTagMovesTheCustomerFromTheOldTagToTheNew() {
        RuleOutcome renamed = new RuleOutcome(List.of(new RuleOutcome.TagResult("bargain", 2, "hard-bargainer", true)),
                null, List.of(), List.of(), Map.of("bargain", 2));

        fixture.given(registered(C), made(new CustomerTagged(id(C), "high-bargaining", "bargain", 1, null), 3))
                .when(evaluate(4, renamed))
                .expectEvents(new CustomerUntagged(id(C), "high-bargaining", "bargain", 2, null),
                        new CustomerTagged(id(C), "hard-bargainer", "bargain", 2, null));
    }

    // ---- CLASSIFY ----

    @Test
    void aChangedFirstMatchingClassClassifiesTheCustomerWithItsPreviousClass() {
        fixture.given(registered(C), made(new CustomerClassified(id(C), "B", null, "classes", 1, null), 2))
                .when(evaluate(3, classified("A")))
                .expectEvents(new CustomerClassified(id(C), "A", "B", "classes", 1, null));
    }

    @Test
    void theSameClassAgainRecordsNothing() {
        fixture.given(registered(C), made(new CustomerClassified(id(C), "B", null, "classes", 1, null), 2))
                .when(evaluate(3, classified("B")))
                .expectNoEvents();
    }

    @Test
    void noMatchingClassAnyMoreLeavesTheCustomerUnclassified() {
        fixture.given(registered(C), made(new CustomerClassified(id(C), "B", null, "classes", 1, null), 2))
                .when(evaluate(3, classified(null)))
                .expectEvents(new CustomerClassified(id(C), null, "B", "classes", 1, null));
    }

    // ---- TALK_TRACK ----

    @Test
    void aMatchingVisitGetsItsScriptsSuggested() {
        fixture.given(registered(C))
                .when(evaluate(1, visitMatched(true)))
                .expectEvents(suggested(1));
    }

    @Test
    void afterTwoSuggestionsInARowNotUsedTheSupervisorIsAlertedOnce() {
        fixture.given(registered(C), made(suggested(1), 1), made(suggested(2), 2))
                .when(evaluate(3, visitMatched(true)))
                .expectEvents(suggested(3), new TalkTrackIgnored(id(C), "supervisor", RepId.of("rep-07"), 2,
                        suggestion(3), "tt", 1, null));
        fixture.given(registered(C), made(suggested(1), 1), made(suggested(2), 2), made(suggested(3), 3),
                        made(new TalkTrackIgnored(id(C), "supervisor", RepId.of("rep-07"), 2, suggestion(3), "tt", 1,
                                null), 3))
                .when(evaluate(4, visitMatched(false)))
                .expectNoEvents();
    }

    @Test
    void aUsedSuggestionResetsTheCount() {
        fixture.given(registered(C), made(suggested(1), 1), feedback(1, TalkTrackFeedback.USED), made(suggested(3), 3))
                .when(evaluate(4, visitMatched(true)))
                .expectEvents(suggested(4));
    }

    @Test
    void notApplicableAnswersCountAsUnusedAtOnce() {
        fixture.given(registered(C), made(suggested(1), 1), feedback(1, TalkTrackFeedback.NOT_APPLICABLE),
                        made(suggested(3), 3), feedback(3, TalkTrackFeedback.NOT_APPLICABLE))
                .when(evaluate(5, visitMatched(false)))
                .expectEvents(new TalkTrackIgnored(id(C), "supervisor", RepId.of("rep-07"), 2, suggestion(3), "tt", 1,
                        null));
    }

    @Test
    void feedbackMustAnswerASuggestionMadeToTheCustomer() {
        fixture.given(registered(C))
                .when(record(new TalkTrackFeedbackGiven(id(C), "rule-unknown", "s-1", TalkTrackFeedback.USED, Map.of())))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(Matchers.matches(result -> {
                    @SuppressWarnings("unchecked")
                    List<ActionOutcome> outcomes = (List<ActionOutcome>) result;
                    assertThat(outcomes).singleElement().satisfies(o -> {
                        assertThat(o.recorded()).isFalse();
                        assertThat(o.field()).isEqualTo("data.suggestionId");
                        assertThat(o.reason()).contains("rule-unknown");
                    });
                    return true;
                }));
        fixture.given(registered(C), made(suggested(1), 1))
                .when(record(feedback(1, TalkTrackFeedback.USED)))
                .expectEvents(feedback(1, TalkTrackFeedback.USED));
    }

    @Test
    void evaluatingAnUnknownCustomerIsRefused() {
        fixture.givenNoPriorActivity()
                .when(evaluate(1, tag(true)))
                .expectException(AggregateNotFoundException.class);
    }
}
