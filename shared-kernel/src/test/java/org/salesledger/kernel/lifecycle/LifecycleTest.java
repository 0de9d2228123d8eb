package org.salesledger.kernel.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.kernel.lifecycle.Stage.CONTRACT_SIGNED;
import static org.salesledger.kernel.lifecycle.Stage.FIRST_CONTACT;
import static org.salesledger.kernel.lifecycle.Stage.LOST;
import static org.salesledger.kernel.lifecycle.Stage.NEEDS_CONFIRMED;
import static org.salesledger.kernel.lifecycle.Stage.PRICE_OBJECTION;
import static org.salesledger.kernel.lifecycle.Stage.PROPOSAL_SENT;
import static org.salesledger.kernel.lifecycle.Stage.TRIAL_REQUESTED;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.message.MessageSent;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.GeoPoint;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.ObjectionType;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;

/** The stage rules of contract §2. */
class LifecycleTest {

    private static final CustomerId C = CustomerId.of("c-1");
    private static final Money MONEY = new Money(new BigDecimal("1000.00"), "CNY");

    // ---- actions ----

    static CustomerRegistered registered() {
        return new CustomerRegistered(C, "Acme Medical", "east", RepId.of("rep-07"), "web", null, null, null, null,
                null, Map.of());
    }

    static NeedsConfirmed needsConfirmed() {
        return new NeedsConfirmed(C, List.of("CT scanner"), Map.of());
    }

    static ProposalSent proposal() {
        return new ProposalSent(C, new Document("s3://p/1.pdf", Document.PDF), LocalDate.of(2025, 4, 1),
                List.of("price", "delivery", "warranty"), null, Map.of());
    }

    static ObjectionRaised objection(ObjectionType type) {
        return new ObjectionRaised(C, type, null, Map.of());
    }

    static ObjectionRaised priceObjection() {
        return objection(ObjectionType.PRICE);
    }

    static TrialRequested trial() {
        return new TrialRequested(C, "X-ray", Map.of());
    }

    static ContractSigned contract() {
        return new ContractSigned(C, "K-1", MONEY, null, null, Map.of());
    }

    static DealLost lost() {
        return new DealLost(C, "budget cut", Map.of());
    }

    /** The actions that signal no stage. */
    static Stream<CustomerAction> neutralActions() {
        return Stream.of(
                new VisitLogged(C, "equipment", new GeoPoint(31.2, 121.5), null, null, null, null, Map.of()),
                new PaymentReceived(C, "K-1", MONEY, Map.of()),
                new TouchpointRecorded(C, "wechat", null, null, Map.of()),
                new CostIncurred(C, "SAMPLES", MONEY, null, null, Map.of()),
                new CustomerActionObserved(C, "MESSAGE_READ", "a-1", Map.of()),
                new MessageSent(C, "wechat", "tpl-1", "a-1", "price list", Map.of()),
                new CustomerActionObserved(C, "message_read", "msg-1", Map.of()));
    }

    /** Every action type, with a PRICE objection standing for the objections. */
    static Stream<Named<CustomerAction>> everyAction() {
        return Stream.concat(Stream.of(registered(), needsConfirmed(), proposal(), priceObjection(), trial(),
                contract(), lost()), neutralActions()).map(LifecycleTest::named);
    }

    static Named<CustomerAction> named(CustomerAction action) {
        return Named.of(action.getClass().getSimpleName(), action);
    }

    // ---- helpers ----

    static Stage after(CustomerAction... actions) {
        return after(Arrays.asList(actions));
    }

    static Stage after(List<CustomerAction> actions) {
        Stage stage = null;
        for (CustomerAction action : actions) {
            stage = Lifecycle.next(stage, action);
        }
        return stage;
    }

    /** The usual way of a registered customer to {@code stage}, step by step. */
    static List<CustomerAction> pathTo(Stage stage) {
        List<CustomerAction> path = new ArrayList<>(List.of(registered()));
        switch (stage) {
            case FIRST_CONTACT -> { }
            case NEEDS_CONFIRMED -> path.add(needsConfirmed());
            case PROPOSAL_SENT -> path.addAll(List.of(needsConfirmed(), proposal()));
            case PRICE_OBJECTION -> path.addAll(List.of(needsConfirmed(), proposal(), priceObjection()));
            case TRIAL_REQUESTED -> path.addAll(List.of(needsConfirmed(), proposal(), priceObjection(), trial()));
            case CONTRACT_SIGNED -> path.addAll(List.of(needsConfirmed(), proposal(), trial(), contract()));
            case LOST -> path.addAll(List.of(needsConfirmed(), lost()));
        }
        return path;
    }

    static Stage afterPathTo(Stage stage, CustomerAction... then) {
        List<CustomerAction> actions = pathTo(stage);
        actions.addAll(Arrays.asList(then));
        return after(actions);
    }

    // ---- registration ----

    @Test
    void registrationEntersFirstContact() {
        assertThat(after(registered())).isEqualTo(FIRST_CONTACT);
    }

    @Test
    void nothingButARegistrationStartsALifecycle() {
        assertThat(after(proposal())).isNull();
        assertThat(after(contract(), needsConfirmed())).isNull();
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void aSecondRegistrationLeavesTheStage(Stage stage) {
        assertThat(afterPathTo(stage, registered())).isEqualTo(stage);
    }

    // ---- moving forward ----

    @ParameterizedTest
    @EnumSource(Stage.class)
    void eachStageIsReachedByItsSignal(Stage stage) {
        assertThat(after(pathTo(stage))).isEqualTo(stage);
    }

    static Stream<Arguments> skips() {
        return Stream.of(
                Arguments.of(FIRST_CONTACT, named(proposal()), PROPOSAL_SENT),
                Arguments.of(FIRST_CONTACT, named(trial()), TRIAL_REQUESTED),
                Arguments.of(FIRST_CONTACT, named(contract()), CONTRACT_SIGNED),
                Arguments.of(NEEDS_CONFIRMED, named(trial()), TRIAL_REQUESTED),
                Arguments.of(NEEDS_CONFIRMED, named(contract()), CONTRACT_SIGNED),
                Arguments.of(PROPOSAL_SENT, named(trial()), TRIAL_REQUESTED),
                Arguments.of(PROPOSAL_SENT, named(contract()), CONTRACT_SIGNED),
                Arguments.of(PRICE_OBJECTION, named(contract()), CONTRACT_SIGNED));
    }

    @ParameterizedTest(name = "{0} then {1} gives {2}")
    @MethodSource("skips")
    void anActionThatSkipsStagesMovesStraightToTheLaterStage(Stage from, CustomerAction action, Stage to) {
        assertThat(afterPathTo(from, action)).isEqualTo(to);
    }

    @Test
    void needsConfirmedAfterProposalSentKeepsProposalSent() {
        assertThat(after(registered(), proposal(), needsConfirmed())).isEqualTo(PROPOSAL_SENT);
    }

    static Stream<Arguments> signalsOfEarlierStages() {
        return Stream.of(
                Arguments.of(NEEDS_CONFIRMED, named(needsConfirmed())),
                Arguments.of(PROPOSAL_SENT, named(needsConfirmed())),
                Arguments.of(PROPOSAL_SENT, named(proposal())),
                Arguments.of(PRICE_OBJECTION, named(needsConfirmed())),
                Arguments.of(PRICE_OBJECTION, named(proposal())),
                Arguments.of(PRICE_OBJECTION, named(priceObjection())),
                Arguments.of(TRIAL_REQUESTED, named(needsConfirmed())),
                Arguments.of(TRIAL_REQUESTED, named(proposal())),
                Arguments.of(TRIAL_REQUESTED, named(priceObjection())),
                Arguments.of(TRIAL_REQUESTED, named(trial())));
    }

    @ParameterizedTest(name = "{0} then {1}")
    @MethodSource("signalsOfEarlierStages")
    void aStageNeverMovesBack(Stage stage, CustomerAction signalOfAnEarlierOrTheSameStage) {
        assertThat(afterPathTo(stage, signalOfAnEarlierOrTheSameStage)).isEqualTo(stage);
    }

    // ---- objections ----

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"FIRST_CONTACT", "NEEDS_CONFIRMED"})
    void priceObjectionBeforeAProposalDoesNotEnterPriceObjection(Stage beforeProposal) {
        assertThat(afterPathTo(beforeProposal, priceObjection())).isEqualTo(beforeProposal);
    }

    @Test
    void priceObjectionAfterAProposalEntersPriceObjection() {
        assertThat(after(registered(), proposal(), priceObjection())).isEqualTo(PRICE_OBJECTION);
    }

    @Test
    void priceObjectionAfterATrialRequestDoesNotMoveBack() {
        assertThat(after(registered(), proposal(), trial(), priceObjection())).isEqualTo(TRIAL_REQUESTED);
    }

    @Test
    void priceObjectionBeforeAProposalDoesNotCountOnceTheProposalIsSent() {
        assertThat(after(registered(), priceObjection(), proposal())).isEqualTo(PROPOSAL_SENT);
    }

    static Stream<Arguments> otherObjectionsInOpenStages() {
        return Stream.of(ObjectionType.values())
                .filter(type -> type != ObjectionType.PRICE)
                .flatMap(type -> Stream.of(Stage.values())
                        .filter(stage -> !stage.isFinal())
                        .map(stage -> Arguments.of(type, stage)));
    }

    @ParameterizedTest(name = "{0} objection at {1}")
    @MethodSource("otherObjectionsInOpenStages")
    void objectionsOtherThanPriceNeverMoveTheStage(ObjectionType type, Stage stage) {
        assertThat(afterPathTo(stage, objection(type))).isEqualTo(stage);
    }

    // ---- won and lost ----

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"CONTRACT_SIGNED", "LOST"}, mode = EnumSource.Mode.EXCLUDE)
    void contractSignedFromAnyOpenStageWins(Stage open) {
        assertThat(afterPathTo(open, contract())).isEqualTo(CONTRACT_SIGNED);
    }

    @ParameterizedTest
    @EnumSource(value = Stage.class, names = {"CONTRACT_SIGNED", "LOST"}, mode = EnumSource.Mode.EXCLUDE)
    void dealLostFromAnyOpenStageLoses(Stage open) {
        assertThat(afterPathTo(open, lost())).isEqualTo(LOST);
    }

    @Test
    void contractSignedAfterLostStaysLost() {
        assertThat(after(registered(), proposal(), lost(), contract())).isEqualTo(LOST);
    }

    @Test
    void dealLostAfterContractSignedStaysWon() {
        assertThat(after(registered(), contract(), lost())).isEqualTo(CONTRACT_SIGNED);
    }

    @ParameterizedTest
    @MethodSource("everyAction")
    void everythingAfterContractSignedStaysContractSigned(CustomerAction action) {
        assertThat(afterPathTo(CONTRACT_SIGNED, action)).isEqualTo(CONTRACT_SIGNED);
    }

    @ParameterizedTest
    @MethodSource("everyAction")
    void everythingAfterLostStaysLost(CustomerAction action) {
        assertThat(afterPathTo(LOST, action)).isEqualTo(LOST);
    }

    @Test
    void wonAndLostAreTheOnlyFinalStages() {
        assertThat(Stream.of(Stage.values()).filter(Stage::isFinal)).containsExactlyInAnyOrder(CONTRACT_SIGNED, LOST);
    }

    // ---- actions that signal no stage ----

    static Stream<Arguments> neutralActionsAtEveryStage() {
        return neutralActions().flatMap(action -> Stream.of(Stage.values())
                .map(stage -> Arguments.of(named(action), stage)));
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("neutralActionsAtEveryStage")
    void actionsThatSignalNoStageLeaveIt(CustomerAction action, Stage stage) {
        assertThat(afterPathTo(stage, action)).isEqualTo(stage);
    }
}
