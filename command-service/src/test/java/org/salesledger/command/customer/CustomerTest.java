package org.salesledger.command.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.command.testdata.Actions.batch;
import static org.salesledger.command.testdata.Actions.contract;
import static org.salesledger.command.testdata.Actions.followUps;
import static org.salesledger.command.testdata.Actions.lost;
import static org.salesledger.command.testdata.Actions.payment;
import static org.salesledger.command.testdata.Actions.pdf;
import static org.salesledger.command.testdata.Actions.priceObjection;
import static org.salesledger.command.testdata.Actions.proposal;
import static org.salesledger.command.testdata.Actions.record;
import static org.salesledger.command.testdata.Actions.registered;
import static org.salesledger.command.testdata.Actions.snoozed;
import static org.salesledger.command.testdata.Actions.trial;
import static org.salesledger.command.testdata.Actions.visit;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerSnoozed;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.visit.VisitLogged;

/** The decisions of the Customer aggregate, one rule per test. */
class CustomerTest {

    private static final String C = "c-1";

    private AggregateTestFixture<Customer> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Customer.class);
    }

    @Test
    void canRegisterCustomer() {
        fixture.givenNoPriorActivity()
                .when(record(registered(C)))
                .expectSuccessfulHandlerExecution()
                .expectEvents(registered(C))
                .expectResultMessagePayload(List.of(ActionOutcome.recorded("a-1")));
    }

    @Test
    void cannotRegisterTwice() {
        fixture.given(registered(C))
                .when(record(registered(C)))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "subject", "already registered"))));
    }

    /**
     * The handler is {@code CREATE_IF_MISSING}: for an unknown customer Axon makes a fresh aggregate, and when every
     * action is refused nothing is applied. That must store nothing and answer with the refusal, not fail.
     */
    @Test
    void cannotRecordActionForUnknownCustomer() {
        fixture.givenNoPriorActivity()
                .when(record(visit(C), proposal(C)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).satisfiesExactly(
                        refused("a-1", "subject", "not registered"),
                        refused("a-2", "subject", "not registered"))));
    }

    @Test
    void recordsEveryActionTypeOnRegisteredCustomer() {
        List<CustomerAction> actions = followUps(C);

        fixture.given(registered(C))
                .when(record(actions))
                .expectEvents(actions.toArray())
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o)
                        .hasSize(actions.size())
                        .allSatisfy(outcome -> assertThat(outcome.recorded()).isTrue())
                        .extracting(ActionOutcome::actionId)
                        .containsExactly("a-1", "a-2", "a-3", "a-4", "a-5", "a-6", "a-7", "a-8", "a-9", "a-10",
                                "a-11")));
    }

    @Test
    void oneRefusedActionDoesNotStopTheOthers() {
        fixture.given(registered(C))
                .when(record(visit(C), payment(C, "K-404"), proposal(C)))
                .expectEvents(visit(C), proposal(C))
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).satisfiesExactly(
                        recorded("a-1"),
                        refused("a-2", "data.contractId", "K-404"),
                        recorded("a-3"))));
    }

    @Test
    void registrationAndFollowUpsInOneBatch() {
        fixture.givenNoPriorActivity()
                .when(record(registered(C), visit(C), proposal(C)))
                .expectEvents(registered(C), visit(C), proposal(C))
                .expectResultMessagePayload(List.of(ActionOutcome.recorded("a-1"), ActionOutcome.recorded("a-2"),
                        ActionOutcome.recorded("a-3")));
    }

    @Test
    void followUpsBeforeTheRegistrationInABatchAreRefused() {
        fixture.givenNoPriorActivity()
                .when(record(visit(C), registered(C), proposal(C)))
                .expectEvents(registered(C), proposal(C))
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).satisfiesExactly(
                        refused("a-1", "subject", "not registered"),
                        recorded("a-2"),
                        recorded("a-3"))));
    }

    @Test
    void cannotRecordPaymentWithoutContract() {
        fixture.given(registered(C))
                .when(record(payment(C, "K-1")))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "data.contractId", "K-1", "ContractSigned"))));
    }

    @Test
    void cannotRecordPaymentForContractOtherThanTheSignedOne() {
        fixture.given(registered(C), contract(C, "K-1"))
                .when(record(payment(C, "K-2")))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "data.contractId", "K-2"))));
    }

    @Test
    void canRecordPaymentForSignedContract() {
        fixture.given(registered(C), contract(C, "K-1"))
                .when(record(payment(C, "K-1")))
                .expectEvents(payment(C, "K-1"))
                .expectResultMessagePayload(List.of(ActionOutcome.recorded("a-1")));
    }

    @Test
    void canRecordPaymentForContractSignedEarlierInTheSameBatch() {
        fixture.given(registered(C))
                .when(record(contract(C, "K-1"), payment(C, "K-1")))
                .expectEvents(contract(C, "K-1"), payment(C, "K-1"));
    }

    @Test
    void cannotSignSameContractTwice() {
        fixture.given(registered(C), contract(C, "K-1"))
                .when(record(contract(C, "K-1")))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "data.contractId", "already signed"))));
    }

    @Test
    void cannotSignSameContractTwiceInOneBatch() {
        fixture.given(registered(C))
                .when(record(contract(C, "K-1"), contract(C, "K-1")))
                .expectEvents(contract(C, "K-1"))
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).satisfiesExactly(
                        recorded("a-1"),
                        refused("a-2", "data.contractId", "already signed"))));
    }

    @Test
    void canSignAnotherContractAfterWinning() {
        fixture.given(registered(C), contract(C, "K-1"))
                .when(record(contract(C, "K-2")))
                .expectEvents(contract(C, "K-2"));
    }

    @Test
    void cannotLoseWonCustomer() {
        fixture.given(registered(C), contract(C, "K-1"))
                .when(record(lost(C)))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "type", "stays won"))));
    }

    @Test
    void cannotLoseCustomerWonEarlierInTheSameBatch() {
        fixture.given(registered(C))
                .when(record(contract(C, "K-1"), lost(C)))
                .expectEvents(contract(C, "K-1"))
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).satisfiesExactly(
                        recorded("a-1"),
                        refused("a-2", "type", "stays won"))));
    }

    @Test
    void canLoseOpenDeal() {
        fixture.given(registered(C), proposal(C), priceObjection(C), trial(C))
                .when(record(lost(C)))
                .expectEvents(lost(C));
    }

    @Test
    void refusesProposalWithoutThreeKeyParameters() {
        fixture.given(registered(C))
                .when(record(proposal(C, pdf("s3://proposals/p-1.pdf"), List.of("price", "delivery"))))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "data.keyParameters"))));
    }

    @Test
    void refusesProposalThatIsNotPdf() {
        fixture.given(registered(C))
                .when(record(proposal(C, new Document("s3://proposals/p-1.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                        List.of("price", "delivery", "warranty"))))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "data.document.mediaType"))));
    }

    @Test
    void refusesActionWithoutARequiredField() {
        VisitLogged withoutLocation = new VisitLogged(visit(C).customerId(), "equipment", null, null, null, null,
                null, Map.of());

        fixture.given(registered(C))
                .when(record(withoutLocation))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "data.location", "is required"))));
    }

    // ---- snoozing ----

    @Test
    void canSnoozeRegisteredCustomer() {
        fixture.given(registered(C), proposal(C))
                .when(record(snoozed(C)))
                .expectEvents(snoozed(C))
                .expectResultMessagePayload(List.of(ActionOutcome.recorded("a-1")));
    }

    @Test
    void cannotSnoozeUnregisteredCustomer() {
        fixture.givenNoPriorActivity()
                .when(record(snoozed(C)))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "subject", "not registered"))));
    }

    /** A later snooze replaces the earlier one; until a past date it ends the snooze, which needs no clock here. */
    @Test
    void canEndASnoozeBySnoozingUntilAPastDate() {
        CustomerSnoozed wakeUp = new CustomerSnoozed(snoozed(C).customerId(), java.time.LocalDate.of(2001, 1, 1),
                "champion is back", Map.of());

        fixture.given(registered(C), snoozed(C))
                .when(record(wakeUp))
                .expectEvents(wakeUp);
    }

    @Test
    void refusesSnoozeWithoutUntilOrReason() {
        CustomerSnoozed noUntil = new CustomerSnoozed(snoozed(C).customerId(), null, "holiday", Map.of());
        CustomerSnoozed blankReason = new CustomerSnoozed(snoozed(C).customerId(), java.time.LocalDate.of(2025, 3, 20),
                " ", Map.of());

        fixture.given(registered(C))
                .when(record(noUntil, blankReason))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).satisfiesExactly(
                        refused("a-1", "data.until", "is required"),
                        refused("a-2", "data.reason", "is required"))));
    }

    @Test
    void aSnoozedWonCustomerStaysWon() {
        fixture.given(registered(C), contract(C, "K-1"), snoozed(C))
                .when(record(lost(C)))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(outcomes(o -> assertThat(o).singleElement()
                        .satisfies(refused("a-1", "type", "stays won"))));
    }

    @Test
    void eventsCarryTheirMetadata() {
        fixture.given(registered(C))
                .when(batch(C).source("/mobile/rep-09").actor("rep-09").occurredAt("2025-03-02T14:05:00-05:00")
                        .add("v-17", visit(C))
                        .add("p-3", proposal(C))
                        .build())
                .expectEvents(
                        GenericEventMessage.asEventMessage(visit(C)).withMetaData(Map.of(
                                ActionMetadata.ACTION_ID, "v-17", ActionMetadata.SOURCE, "/mobile/rep-09",
                                ActionMetadata.ACTOR, "rep-09", ActionMetadata.OCCURRED_AT,
                                "2025-03-02T14:05:00-05:00")),
                        GenericEventMessage.asEventMessage(proposal(C)).withMetaData(Map.of(
                                ActionMetadata.ACTION_ID, "p-3", ActionMetadata.SOURCE, "/mobile/rep-09",
                                ActionMetadata.ACTOR, "rep-09", ActionMetadata.OCCURRED_AT,
                                "2025-03-02T14:05:00-05:00")))
                .expectResultMessagePayload(List.of(ActionOutcome.recorded("v-17"), ActionOutcome.recorded("p-3")));
    }

    // ---- helpers: AssertJ requirements on the outcomes, run inside the fixture's matcher ----

    private static Matcher<List<ActionOutcome>> outcomes(Consumer<List<ActionOutcome>> requirements) {
        return Matchers.matches(outcomes -> {
            requirements.accept(outcomes);
            return true;
        });
    }

    private static Consumer<ActionOutcome> recorded(String actionId) {
        return outcome -> assertThat(outcome).isEqualTo(ActionOutcome.recorded(actionId));
    }

    private static Consumer<ActionOutcome> refused(String actionId, String field, String... reasonParts) {
        return outcome -> {
            assertThat(outcome.actionId()).isEqualTo(actionId);
            assertThat(outcome.recorded()).as("recorded").isFalse();
            assertThat(outcome.field()).isEqualTo(field);
            assertThat(outcome.reason()).isNotBlank();
            if (reasonParts.length > 0) {
                assertThat(outcome.reason()).contains(reasonParts);
            }
        };
    }
}
