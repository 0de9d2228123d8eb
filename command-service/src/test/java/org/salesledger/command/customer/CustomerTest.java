package org.salesledger.command.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.command.testdata.Actions.contract;
import static org.salesledger.command.testdata.Actions.cost;
import static org.salesledger.command.testdata.Actions.lost;
import static org.salesledger.command.testdata.Actions.needsConfirmed;
import static org.salesledger.command.testdata.Actions.objection;
import static org.salesledger.command.testdata.Actions.observed;
import static org.salesledger.command.testdata.Actions.payment;
import static org.salesledger.command.testdata.Actions.proposal;
import static org.salesledger.command.testdata.Actions.registered;
import static org.salesledger.command.testdata.Actions.touchpoint;
import static org.salesledger.command.testdata.Actions.trial;
import static org.salesledger.command.testdata.Actions.visit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.ObjectionType;

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
                .expectEvents(registered(C))
                .expectResultMessagePayload(List.of(ActionOutcome.recorded("a-1")));
    }

    @Test
    void cannotRegisterTwice() {
        fixture.given(registered(C))
                .when(record(registered(C)))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(refused("subject", "already registered"));
    }

    @Test
    void cannotRecordActionForUnknownCustomer() {
        fixture.givenNoPriorActivity()
                .when(record(visit(C)))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(refused("subject", "not registered"));
    }

    @Test
    void recordsEveryActionTypeOnARegisteredCustomer() {
        CustomerAction[] actions = {visit(C), needsConfirmed(C), proposal(C), objection(C, ObjectionType.PRICE),
                trial(C), touchpoint(C), cost(C), observed(C), contract(C, "K-1"), payment(C, "K-1")};
        fixture.given(registered(C))
                .when(record(actions))
                .expectEvents((Object[]) actions);
    }

    @Test
    void registrationAndFollowUpsCanArriveInOneBatch() {
        fixture.givenNoPriorActivity()
                .when(record(registered(C), visit(C), proposal(C)))
                .expectEvents(registered(C), visit(C), proposal(C));
    }

    @Test
    void oneRefusedActionDoesNotStopTheOthers() {
        fixture.given(registered(C))
                .when(record(visit(C), payment(C, "K-404"), proposal(C)))
                .expectEvents(visit(C), proposal(C))
                .expectResultMessagePayloadMatching(new org.hamcrest.CustomTypeSafeMatcher<List<ActionOutcome>>(
                        "recorded, refused, recorded") {
                    @Override
                    protected boolean matchesSafely(List<ActionOutcome> outcomes) {
                        return outcomes.size() == 3 && outcomes.get(0).recorded() && !outcomes.get(1).recorded()
                                && outcomes.get(1).actionId().equals("a-2") && outcomes.get(2).recorded();
                    }
                });
    }

    @Test
    void cannotRecordPaymentWithoutContract() {
        fixture.given(registered(C))
                .when(record(payment(C, "K-1")))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(refused("data.contractId", "no contract 'K-1'"));
    }

    @Test
    void canRecordPaymentForASignedContract() {
        fixture.given(registered(C), contract(C, "K-1"))
                .when(record(payment(C, "K-1")))
                .expectEvents(payment(C, "K-1"));
    }

    @Test
    void cannotSignTheSameContractTwice() {
        fixture.given(registered(C), contract(C, "K-1"))
                .when(record(contract(C, "K-1")))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(refused("data.contractId", "already signed"));
    }

    @Test
    void canSignAnotherContractAfterWinning() {
        fixture.given(registered(C), contract(C, "K-1"))
                .when(record(contract(C, "K-2")))
                .expectEvents(contract(C, "K-2"));
    }

    @Test
    void cannotLoseAWonCustomer() {
        fixture.given(registered(C), contract(C, "K-1"))
                .when(record(lost(C)))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(refused("type", "stays won"));
    }

    @Test
    void canLoseAnOpenDeal() {
        fixture.given(registered(C), proposal(C))
                .when(record(lost(C)))
                .expectEvents(lost(C));
    }

    @Test
    void recordsAPriceObjectionBeforeAProposalWithoutChangingItsMeaning() {
        fixture.given(registered(C))
                .when(record(objection(C, ObjectionType.PRICE)))
                .expectEvents(objection(C, ObjectionType.PRICE));
    }

    @Test
    void refusesAProposalWithoutThreeKeyParameters() {
        fixture.given(registered(C))
                .when(record(proposal(C, new Document("s3://p/1.pdf", Document.PDF), List.of("price", "delivery"))))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(refused("data.keyParameters", "required"));
    }

    @Test
    void refusesAProposalThatIsNotAPdf() {
        fixture.given(registered(C))
                .when(record(proposal(C, new Document("s3://p/1.doc", "application/msword"),
                        List.of("price", "delivery", "warranty"))))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(refused("data.document.mediaType", "required"));
    }

    @Test
    void eventsCarryTheirEnvelopeMetadata() {
        fixture.given(registered(C))
                .when(record(visit(C)))
                .expectEventsMatching(new org.hamcrest.CustomTypeSafeMatcher<List<? super EventMessage<?>>>(
                        "one visit with its envelope metadata") {
                    @Override
                    protected boolean matchesSafely(List<? super EventMessage<?>> events) {
                        EventMessage<?> event = (EventMessage<?>) events.get(0);
                        return events.size() == 1
                                && "a-1".equals(event.getMetaData().get(ActionMetadata.ACTION_ID))
                                && "/test".equals(event.getMetaData().get(ActionMetadata.SOURCE))
                                && "rep-07".equals(event.getMetaData().get(ActionMetadata.ACTOR))
                                && "2025-03-01T09:30:00+08:00".equals(event.getMetaData().get(ActionMetadata.OCCURRED_AT));
                    }
                });
    }

    @Test
    void theOutcomesSayWhichActionWasRefusedAndWhy() {
        List<ActionOutcome> outcomes = new ArrayList<>();
        fixture.given(registered(C))
                .when(record(payment(C, "K-9")))
                .expectResultMessagePayloadMatching(new org.hamcrest.CustomTypeSafeMatcher<List<ActionOutcome>>("any") {
                    @Override
                    protected boolean matchesSafely(List<ActionOutcome> item) {
                        outcomes.addAll(item);
                        return true;
                    }
                });
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.recorded()).isFalse();
            assertThat(o.actionId()).isEqualTo("a-1");
            assertThat(o.field()).isEqualTo("data.contractId");
            assertThat(o.reason()).contains("K-9", "ContractSigned");
        });
    }

    // ---- helpers ----

    /** A RecordActions for customer C with ids a-1, a-2, … and test metadata. */
    private static RecordActions record(CustomerAction... actions) {
        List<RecordActions.Action> list = new ArrayList<>();
        for (int i = 0; i < actions.length; i++) {
            String id = "a-" + (i + 1);
            list.add(new RecordActions.Action(id, actions[i], Map.of(ActionMetadata.ACTION_ID, id,
                    ActionMetadata.SOURCE, "/test", ActionMetadata.ACTOR, "rep-07",
                    ActionMetadata.OCCURRED_AT, "2025-03-01T09:30:00+08:00")));
        }
        return new RecordActions(C, list);
    }

    private static org.hamcrest.Matcher<List<ActionOutcome>> refused(String field, String reasonPart) {
        return new org.hamcrest.CustomTypeSafeMatcher<>("one action refused on " + field + " (" + reasonPart + ")") {
            @Override
            protected boolean matchesSafely(List<ActionOutcome> outcomes) {
                return outcomes.size() == 1 && !outcomes.get(0).recorded() && field.equals(outcomes.get(0).field())
                        && outcomes.get(0).reason().contains(reasonPart);
            }
        };
    }
}
