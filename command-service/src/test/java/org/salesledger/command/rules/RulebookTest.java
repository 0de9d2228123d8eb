package org.salesledger.command.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.rules.RulePublished;
import org.salesledger.kernel.rules.RuleRetired;

/** The rulebook's decisions: versions, retirement, and the conflicts between active rules. */
class RulebookTest {

    private static final String ID = Rulebook.ID;
    private static final Map<String, Object> TAG = Map.of("kind", "TAG", "tag", "high-bargaining",
            "when", "events.size() > 1");
    private static final Map<String, Object> TAG_V2 = Map.of("kind", "TAG", "tag", "high-bargaining",
            "when", "events.size() > 2");
    private static final Map<String, Object> CLASSIFY = Map.of("kind", "CLASSIFY",
            "classes", java.util.List.of(Map.of("class", "A", "when", "true")));

    private static final Map<String, Object> PLAN = Map.of("kind", "INCENTIVE", "baseRate", "0.05");
    private static final Map<String, Object> PLAN_V2 = Map.of("kind", "INCENTIVE", "baseRate", "0.06");

    private AggregateTestFixture<Rulebook> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Rulebook.class);
    }

    private static PublishRule publish(String ruleId, Map<String, Object> body) {
        RuleKind kind = RuleKind.valueOf((String) body.get("kind"));
        return new PublishRule(ID, ruleId, kind, (String) body.get("tag"), body, "manager-1", "why not");
    }

    @Test
    void canPublishANewRuleAsVersionOne() {
        fixture.givenNoPriorActivity()
                .when(publish("r-1", TAG))
                .expectEvents(new RulePublished("r-1", 1, null, "manager-1", "why not", TAG))
                .expectResultMessagePayload(RulebookDecision.of(RulebookDecision.Status.PUBLISHED, "r-1", 1, null));
    }

    @Test
    void replacingARuleMakesTheNextVersionAndRecordsThePrevious() {
        fixture.given(new RulePublished("r-1", 1, null, "m", null, TAG))
                .when(publish("r-1", TAG_V2))
                .expectEvents(new RulePublished("r-1", 2, 1, "manager-1", "why not", TAG_V2))
                .expectResultMessagePayload(RulebookDecision.of(RulebookDecision.Status.PUBLISHED, "r-1", 2, 1));
    }

    @Test
    void publishingTheActiveBodyAgainStoresNothing() {
        fixture.given(new RulePublished("r-1", 1, null, "m", null, TAG))
                .when(publish("r-1", TAG))
                .expectNoEvents()
                .expectResultMessagePayload(RulebookDecision.of(RulebookDecision.Status.UNCHANGED, "r-1", 1, 1));
    }

    @Test
    void canRetireARuleAsItsNextVersion() {
        fixture.given(new RulePublished("r-1", 1, null, "m", null, TAG), new RulePublished("r-1", 2, 1, "m", null, TAG_V2))
                .when(new RetireRule(ID, "r-1", "manager-2", "season over"))
                .expectEvents(new RuleRetired("r-1", 3, 2, "manager-2", "season over"))
                .expectResultMessagePayload(RulebookDecision.of(RulebookDecision.Status.RETIRED, "r-1", 3, 2));
    }

    @Test
    void cannotRetireAnUnknownRule() {
        fixture.givenNoPriorActivity()
                .when(new RetireRule(ID, "nope", "m", null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayloadMatching(decision(d -> {
                    assertThat(d.status()).isEqualTo(RulebookDecision.Status.NOT_FOUND);
                    assertThat(d.reason()).contains("nope");
                }));
    }

    @Test
    void cannotRetireARetiredRule() {
        fixture.given(new RulePublished("r-1", 1, null, "m", null, TAG), new RuleRetired("r-1", 2, 1, "m", null))
                .when(new RetireRule(ID, "r-1", "m", null))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(decision(d -> {
                    assertThat(d.status()).isEqualTo(RulebookDecision.Status.ALREADY_RETIRED);
                    assertThat(d.reason()).contains("already retired", "version 2");
                }));
    }

    @Test
    void aRetiredRulePublishedAgainContinuesItsVersions() {
        fixture.given(new RulePublished("r-1", 1, null, "m", null, TAG), new RuleRetired("r-1", 2, 1, "m", null))
                .when(publish("r-1", TAG))
                .expectEvents(new RulePublished("r-1", 3, 2, "manager-1", "why not", TAG));
    }

    @Test
    void cannotPublishASecondClassificationScheme() {
        fixture.given(new RulePublished("classes", 1, null, "m", null, CLASSIFY))
                .when(publish("classes-2", CLASSIFY))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(decision(d -> {
                    assertThat(d.status()).isEqualTo(RulebookDecision.Status.REFUSED);
                    assertThat(d.field()).isEqualTo("kind");
                    assertThat(d.reason()).contains("'classes'");
                }));
    }

    @Test
    void cannotSetOneTagByTwoActiveRulesButMayOnceTheFirstIsRetired() {
        fixture.given(new RulePublished("r-1", 1, null, "m", null, TAG))
                .when(publish("r-2", TAG_V2))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(decision(d -> {
                    assertThat(d.field()).isEqualTo("tag");
                    assertThat(d.reason()).contains("high-bargaining", "'r-1'");
                }));
        fixture.given(new RulePublished("r-1", 1, null, "m", null, TAG), new RuleRetired("r-1", 2, 1, "m", null))
                .when(publish("r-2", TAG_V2))
                .expectEvents(new RulePublished("r-2", 1, null, "manager-1", "why not", TAG_V2));
    }

    @Test
    void cannotPublishASecondIncentivePlanUnderAnotherIdWhileOneIsActive() {
        fixture.given(new RulePublished("plan-2027", 1, null, "m", null, PLAN))
                .when(publish("plan-2028", PLAN_V2))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(decision(d -> {
                    assertThat(d.status()).isEqualTo(RulebookDecision.Status.REFUSED);
                    assertThat(d.field()).isEqualTo("kind");
                    assertThat(d.reason()).contains("'plan-2027'", "retire it", "new version",
                            "PUT /api/v1/rules/plan-2027");
                }));
    }

    @Test
    void anIncentivePlanGetsNewVersionsUnderItsIdAndAnotherPlanMayFollowItsRetirement() {
        fixture.given(new RulePublished("plan-2027", 1, null, "m", null, PLAN))
                .when(publish("plan-2027", PLAN_V2))
                .expectEvents(new RulePublished("plan-2027", 2, 1, "manager-1", "why not", PLAN_V2));
        fixture.given(new RulePublished("plan-2027", 1, null, "m", null, PLAN),
                        new RuleRetired("plan-2027", 2, 1, "m", null))
                .when(publish("plan-2028", PLAN_V2))
                .expectEvents(new RulePublished("plan-2028", 1, null, "manager-1", "why not", PLAN_V2));
    }

    @Test
    void anIncentivePlanDoesNotConflictWithRulesOfOtherKinds() {
        fixture.given(new RulePublished("classes", 1, null, "m", null, CLASSIFY),
                        new RulePublished("r-1", 1, null, "m", null, TAG))
                .when(publish("plan-2027", PLAN))
                .expectEvents(new RulePublished("plan-2027", 1, null, "manager-1", "why not", PLAN));
    }

    private static org.hamcrest.Matcher<RulebookDecision> decision(java.util.function.Consumer<RulebookDecision> check) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(RulebookDecision item) {
                check.accept(item);
                return true;
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText("a decision as specified");
            }
        };
    }
}
