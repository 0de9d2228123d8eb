package org.salesledger.command.customer;

import static org.salesledger.command.testdata.Actions.contract;
import static org.salesledger.command.testdata.Actions.id;
import static org.salesledger.command.testdata.Actions.observed;
import static org.salesledger.command.testdata.Actions.payment;
import static org.salesledger.command.testdata.Actions.proposal;
import static org.salesledger.command.testdata.Actions.registered;
import static org.salesledger.command.testdata.Actions.touchpoint;
import static org.salesledger.command.testdata.Actions.visit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.pool.PoolReleaseReminded;
import org.salesledger.kernel.rules.CollectionDue;
import org.salesledger.kernel.rules.CustomerClassified;
import org.salesledger.kernel.rules.EscalationRaised;
import org.salesledger.kernel.rules.FollowUpDue;
import org.salesledger.kernel.value.RepId;

/**
 * How the Customer measures the waiting periods of the time-driven rules and records what is due when a deadline
 * fires: each period once, nothing before its time, nothing once the awaited action came.
 */
class CustomerTimersTest {

    private static final String C = "c-1";
    private static final String OWNER = "rep-07";
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final Duration H72 = Duration.ofHours(72);

    private static final TimeRule ESCALATE = new TimeRule("no-reply", 1, TimeRule.Kind.ESCALATE, Stage.PROPOSAL_SENT,
            H72, "regional-director", List.of("CustomerActionObserved"), null, null, null, true);
    private static final TimeRule IDLE = new TimeRule("idle", 1, TimeRule.Kind.IDLE, null, Duration.ofDays(7),
            "supervisor", null, null, null, null, true);
    private static final TimeRule POOL = new TimeRule("pool", 1, TimeRule.Kind.POOL, null, Duration.ofDays(30), null,
            null, Duration.ofDays(60), Map.of("A", Duration.ofDays(45)), Duration.ofDays(3), true);
    private static final TimeRule COLLECTION = new TimeRule("collect", 1, TimeRule.Kind.COLLECTION, null,
            Duration.ofDays(7), null, null, null, null, null, true);

    private AggregateTestFixture<Customer> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Customer.class);
    }

    private static EventMessage<?> at(CustomerAction action, Instant time) {
        return at(action, time, OWNER);
    }

    private static EventMessage<?> at(CustomerAction action, Instant time, String actor) {
        return GenericEventMessage.asEventMessage(action).withMetaData(MetaData.with(ActionMetadata.OCCURRED_AT,
                time.toString()).and(ActionMetadata.ACTOR, actor));
    }

    private static Instant day(int days) {
        return T0.plus(Duration.ofDays(days));
    }

    private static RepId owner() {
        return RepId.of(OWNER);
    }

    // ---- ESCALATE ----

    @Test
    void givenProposalSent_whenNoReplyFor72h_thenEscalates() {
        Instant sent = T0.plusSeconds(3600);
        EscalationRaised raised = new EscalationRaised(id(C), "PROPOSAL_SENT", sent, "P3D", "regional-director",
                owner(), List.of("CustomerActionObserved"), "no-reply", 1, null);

        fixture.given(at(registered(C), T0), at(proposal(C), sent))
                .when(new FireTimers(C, sent.plus(H72), List.of(ESCALATE)))
                .expectEvents(raised)
                .expectResultMessagePayload(new TimerOutcome(List.of(raised), null));
    }

    @Test
    void theEscalationGoesToTheOwnersSupervisorOrTheRegionsDirector_throughTheOrganisation() {
        Instant sent = T0.plusSeconds(3600);
        TimeRule toSupervisor = new TimeRule("no-reply", 1, TimeRule.Kind.ESCALATE, Stage.PROPOSAL_SENT, H72,
                "owner.supervisor", List.of("CustomerActionObserved"), null, null, null, true);
        TimeRule toDirector = new TimeRule("no-reply-2", 1, TimeRule.Kind.ESCALATE, Stage.PROPOSAL_SENT, H72,
                "region.director", List.of(), null, null, null, true);
        org.salesledger.kernel.access.OrgChart chart = new org.salesledger.kernel.access.OrgChart(
                Map.of(OWNER, "sup-east-1", "rep-99", "sup-west"), Map.of("east", "dir-east", "west", "dir-west"));
        EscalationRaised toSup = new EscalationRaised(id(C), "PROPOSAL_SENT", sent, "P3D", "sup-east-1",
                owner(), List.of("CustomerActionObserved"), "no-reply", 1, null);
        EscalationRaised toDir = new EscalationRaised(id(C), "PROPOSAL_SENT", sent, "P3D", "dir-east",
                owner(), List.of(), "no-reply-2", 1, null);

        fixture.given(at(registered(C), T0), at(proposal(C), sent))
                .when(new FireTimers(C, sent.plus(H72), List.of(toSupervisor, toDirector), chart))
                .expectEvents(toSup, toDir);
    }

    @Test
    void aFollowUpsCopyGoesToTheOwnersSupervisor_andACodeTheOrganisationCannotResolveIsKeptAsWritten() {
        TimeRule idle = new TimeRule("idle", 1, TimeRule.Kind.IDLE, null, Duration.ofDays(7), "owner.supervisor",
                null, null, null, null, true);
        FollowUpDue resolved = new FollowUpDue(id(C), owner(), "sup-east-1", T0, "P7D", "idle", 1, null);
        FollowUpDue unresolved = new FollowUpDue(id(C), owner(), "owner.supervisor", T0, "P7D", "idle", 1, null);

        fixture.given(at(registered(C), T0))
                .when(new FireTimers(C, day(8), List.of(idle), new org.salesledger.kernel.access.OrgChart(
                        Map.of(OWNER, "sup-east-1"), Map.of())))
                .expectEvents(resolved);
        setUp();
        fixture.given(at(registered(C), T0))
                .when(new FireTimers(C, day(8), List.of(idle), org.salesledger.kernel.access.OrgChart.EMPTY))
                .expectEvents(unresolved);
    }

    @Test
    void givenProposalSent_whenTheDeadlineFiresEarly_thenNothingIsRecordedAndTheDueMomentIsNamed() {
        fixture.given(at(registered(C), T0), at(proposal(C), T0))
                .when(new FireTimers(C, T0.plusSeconds(60), List.of(ESCALATE)))
                .expectNoEvents()
                .expectResultMessagePayload(new TimerOutcome(List.of(), T0.plus(H72)));
    }

    @Test
    void givenACustomerReply_thenTheEscalationIsCancelled() {
        fixture.given(at(registered(C), T0), at(proposal(C), T0), at(observed(C), T0.plusSeconds(60)))
                .when(new FireTimers(C, T0.plus(H72), List.of(ESCALATE)))
                .expectNoEvents()
                .expectResultMessagePayload(new TimerOutcome(List.of(), null));
    }

    @Test
    void givenAnEscalationRaised_thenTheSameStayIsNotEscalatedAgain_evenUnderANewVersion() {
        TimeRule v2 = new TimeRule("no-reply", 2, TimeRule.Kind.ESCALATE, Stage.PROPOSAL_SENT, Duration.ofHours(24),
                "ceo", List.of(), null, null, null, true);
        fixture.given(at(registered(C), T0), at(proposal(C), T0),
                        at(new EscalationRaised(id(C), "PROPOSAL_SENT", T0, "PT72H", "regional-director", owner(),
                                List.of(), "no-reply", 1, null), T0.plus(H72), "system"))
                .when(new FireTimers(C, T0.plus(Duration.ofDays(10)), List.of(v2)))
                .expectNoEvents()
                .expectResultMessagePayload(new TimerOutcome(List.of(), null));
    }

    @Test
    void givenTheRulesConditionDoesNotHoldWhenItFires_thenNothingIsRecordedAndOnlyLaterDeadlinesCount() {
        fixture.given(at(registered(C), T0), at(proposal(C), T0))
                .when(new FireTimers(C, T0.plus(H72), List.of(ESCALATE.withWhenHolds(false), IDLE)))
                .expectNoEvents()
                .expectResultMessagePayload(new TimerOutcome(List.of(), T0.plus(Duration.ofDays(7))));
    }

    @Test
    void whenAskedToPlan_thenTheEarliestDeadlineOfAllRulesIsNamed() {
        fixture.given(at(registered(C), T0), at(proposal(C), day(1)))
                .when(new PlanTimers(C, List.of(IDLE, ESCALATE, POOL)))
                .expectNoEvents()
                .expectResultMessagePayload(day(1).plus(H72));
    }

    // ---- IDLE ----

    @Test
    void givenNoActionFor7Days_thenAFollowUpIsDueForTheOwnerWithACopy_measuredFromTheLatestAction() {
        FollowUpDue due = new FollowUpDue(id(C), owner(), "supervisor", day(2), "P7D", "idle", 1, null);

        fixture.given(at(registered(C), T0), at(visit(C), day(2)), at(touchpoint(C), day(1)))
                .when(new FireTimers(C, day(9), List.of(IDLE)))
                .expectEvents(due)
                .expectResultMessagePayload(new TimerOutcome(List.of(due), null));
    }

    @Test
    void givenAFollowUpDue_thenANewActionStartsANewWait() {
        fixture.given(at(registered(C), T0),
                        at(new FollowUpDue(id(C), owner(), "supervisor", T0, "P7D", "idle", 1, null), day(7), "system"),
                        at(visit(C), day(8)))
                .when(new PlanTimers(C, List.of(IDLE)))
                .expectResultMessagePayload(day(15));
    }

    // ---- POOL ----

    @Test
    void givenFollowUpsByTheOwner_thenTheProtectionIsExtended_upToTheHardMaximum() {
        fixture.given(at(registered(C), T0), at(visit(C), day(20)), at(touchpoint(C), day(25), "rep-99"),
                        at(visit(C), day(45)))
                .when(new FireTimers(C, day(60), List.of(POOL)))
                .expectEvents(new CustomerReleasedToPool(id(C), owner(), day(45), "P30D", "pool", 1, null));
    }

    @Test
    void givenAFollowUpBySomeoneElse_thenTheProtectionIsNotExtended() {
        fixture.given(at(registered(C), T0), at(visit(C), day(10), "rep-99"))
                .when(new PlanTimers(C, List.of(POOL)))
                .expectResultMessagePayload(day(27));
    }

    @Test
    void givenAClass_thenItsOwnProtectionPeriodApplies() {
        TimeRule noMax = new TimeRule("pool", 1, TimeRule.Kind.POOL, null, Duration.ofDays(30), null, null, null,
                Map.of("A", Duration.ofDays(45)), null, true);
        fixture.given(at(registered(C), T0),
                        at(new CustomerClassified(id(C), "A", null, "classes", 1, null), T0, "system"))
                .when(new FireTimers(C, day(44), List.of(noMax)))
                .expectNoEvents()
                .expectResultMessagePayload(new TimerOutcome(List.of(), day(45)));
    }

    @Test
    void givenTheReminderMoment_thenTheOwnerIsRemindedOnce_andThenReleased() {
        PoolReleaseReminded reminder = new PoolReleaseReminded(id(C), owner(), day(30), T0, "P3D", "pool", 1, null);

        fixture.given(at(registered(C), T0))
                .when(new FireTimers(C, day(27), List.of(POOL)))
                .expectEvents(reminder)
                .expectResultMessagePayload(new TimerOutcome(List.of(reminder), day(30)));
        fixture.given(at(registered(C), T0), at(reminder, day(27), "system"))
                .when(new FireTimers(C, day(30), List.of(POOL)))
                .expectEvents(new CustomerReleasedToPool(id(C), owner(), T0, "P30D", "pool", 1, null));
    }

    @Test
    void givenTheReleaseAlreadyDue_thenNoReminderIsRecordedBeforeIt() {
        fixture.given(at(registered(C), T0))
                .when(new FireTimers(C, day(40), List.of(POOL)))
                .expectEvents(new CustomerReleasedToPool(id(C), owner(), T0, "P30D", "pool", 1, null));
    }

    @Test
    void givenACustomerInThePoolOrWon_thenNothingWaitsForItsRelease() {
        fixture.given(at(registered(C), T0),
                        at(new CustomerReleasedToPool(id(C), owner(), T0, "P30D", "pool", 1, null), day(30), "system"))
                .when(new PlanTimers(C, List.of(POOL, IDLE)))
                .expectResultMessagePayload(null);
        fixture.given(at(registered(C), T0), at(contract(C, "K-1"), day(1)), at(payment(C, "K-1"), day(2)))
                .when(new PlanTimers(C, List.of(POOL)))
                .expectResultMessagePayload(null);
    }

    // ---- COLLECTION ----

    @Test
    void givenAContractWithoutPaymentFor7Days_thenItIsDueForCollection_andAPaidContractIsNot() {
        CollectionDue due = new CollectionDue(id(C), "K-1", contract(C, "K-1").amount(), day(1), "P7D", owner(),
                "collect", 1, null);

        fixture.given(at(registered(C), T0), at(contract(C, "K-1"), day(1)), at(contract(C, "K-2"), day(2)),
                        at(payment(C, "K-2"), day(3)))
                .when(new FireTimers(C, day(8), List.of(COLLECTION)))
                .expectEvents(due)
                .expectResultMessagePayload(new TimerOutcome(List.of(due), null));
    }

    @Test
    void givenACollectionDue_thenTheSameContractIsNotListedAgain() {
        fixture.given(at(registered(C), T0), at(contract(C, "K-1"), day(1)),
                        at(new CollectionDue(id(C), "K-1", null, day(1), "P7D", owner(), "collect", 1, null), day(8),
                                "system"))
                .when(new FireTimers(C, day(30), List.of(COLLECTION)))
                .expectNoEvents();
    }
}
