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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.ObjectionType;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;

/** The stage rules of contract §2. */
class LifecycleTest {

    private static final CustomerId C = CustomerId.of("c-1");
    private static final Money MONEY = new Money(BigDecimal.TEN, "CNY");

    static Stage after(CustomerAction... actions) {
        Stage stage = null;
        for (CustomerAction action : actions) {
            stage = Lifecycle.next(stage, action);
        }
        return stage;
    }

    static CustomerRegistered registered() {
        return new CustomerRegistered(C, "n", "r", RepId.of("rep"), "web", null, null, null, null, null, Map.of());
    }

    static NeedsConfirmed needs() {
        return new NeedsConfirmed(C, null, Map.of());
    }

    static ProposalSent proposal() {
        return new ProposalSent(C, null, null, null, null, Map.of());
    }

    static ObjectionRaised objection(ObjectionType type) {
        return new ObjectionRaised(C, type, null, Map.of());
    }

    static TrialRequested trial() {
        return new TrialRequested(C, null, Map.of());
    }

    static ContractSigned contract() {
        return new ContractSigned(C, "K", MONEY, null, null, Map.of());
    }

    static DealLost lost() {
        return new DealLost(C, "r", Map.of());
    }

    @Test
    void registrationEntersFirstContact() {
        assertThat(after(registered())).isEqualTo(FIRST_CONTACT);
    }

    @Test
    void eachSignalEntersItsStage() {
        assertThat(after(registered(), needs())).isEqualTo(NEEDS_CONFIRMED);
        assertThat(after(registered(), needs(), proposal())).isEqualTo(PROPOSAL_SENT);
        assertThat(after(registered(), needs(), proposal(), objection(ObjectionType.PRICE))).isEqualTo(PRICE_OBJECTION);
        assertThat(after(registered(), needs(), proposal(), objection(ObjectionType.PRICE), trial()))
                .isEqualTo(TRIAL_REQUESTED);
        assertThat(after(registered(), needs(), proposal(), trial(), contract())).isEqualTo(CONTRACT_SIGNED);
    }

    @Test
    void anActionThatSkipsStagesMovesStraightToTheLaterStage() {
        assertThat(after(registered(), proposal())).isEqualTo(PROPOSAL_SENT);
        assertThat(after(registered(), trial())).isEqualTo(TRIAL_REQUESTED);
        assertThat(after(registered(), contract())).isEqualTo(CONTRACT_SIGNED);
    }

    @Test
    void aStageNeverMovesBack() {
        assertThat(after(registered(), proposal(), needs())).isEqualTo(PROPOSAL_SENT);
        assertThat(after(registered(), trial(), proposal())).isEqualTo(TRIAL_REQUESTED);
    }

    @Test
    void aPriceObjectionBeforeAProposalDoesNotEnterPriceObjection() {
        assertThat(after(registered(), objection(ObjectionType.PRICE))).isEqualTo(FIRST_CONTACT);
        assertThat(after(registered(), needs(), objection(ObjectionType.PRICE))).isEqualTo(NEEDS_CONFIRMED);
    }

    @Test
    void aPriceObjectionAfterATrialRequestDoesNotMoveBack() {
        assertThat(after(registered(), proposal(), trial(), objection(ObjectionType.PRICE))).isEqualTo(TRIAL_REQUESTED);
    }

    @ParameterizedTest
    @EnumSource(value = ObjectionType.class, names = "PRICE", mode = EnumSource.Mode.EXCLUDE)
    void otherObjectionsNeverMoveTheStage(ObjectionType type) {
        assertThat(after(registered(), proposal(), objection(type))).isEqualTo(PROPOSAL_SENT);
    }

    @Test
    void aDealIsLostFromAnyOpenStage() {
        assertThat(after(registered(), lost())).isEqualTo(LOST);
        assertThat(after(registered(), proposal(), objection(ObjectionType.PRICE), lost())).isEqualTo(LOST);
    }

    @Test
    void wonAndLostAreFinal() {
        assertThat(after(registered(), contract(), lost())).isEqualTo(CONTRACT_SIGNED);
        assertThat(after(registered(), contract(), proposal(), needs())).isEqualTo(CONTRACT_SIGNED);
        assertThat(after(registered(), lost(), contract())).isEqualTo(LOST);
        assertThat(after(registered(), lost(), proposal())).isEqualTo(LOST);
    }

    @Test
    void actionsThatSignalNoStageLeaveItAsItIs() {
        List<CustomerAction> neutral = List.of(
                new VisitLogged(C, "role", null, null, null, null, null, Map.of()),
                new PaymentReceived(C, "K", MONEY, Map.of()),
                new TouchpointRecorded(C, "web", null, null, Map.of()));
        for (CustomerAction action : neutral) {
            assertThat(after(registered(), proposal(), action)).as(action.getClass().getSimpleName())
                    .isEqualTo(PROPOSAL_SENT);
        }
    }

    @Test
    void nothingButARegistrationStartsALifecycle() {
        assertThat(after(proposal())).isNull();
        assertThat(after(registered(), registered())).isEqualTo(FIRST_CONTACT);
    }
}
