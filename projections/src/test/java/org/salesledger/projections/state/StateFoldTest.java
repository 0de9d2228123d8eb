package org.salesledger.projections.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.customer.CustomerSnoozed;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.rules.CustomerTagged;
import org.salesledger.kernel.rules.CustomerUntagged;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;

/** The fold's rules one by one, on actions given in the order the read model would give them. */
class StateFoldTest {

    private static final CustomerId C = CustomerId.of("c-1");
    private static final Money CNY_100 = new Money(new BigDecimal("100"), "CNY");

    private final List<StoredAction> actions = new ArrayList<>();

    private void then(String id, String type, int minute, CustomerAction event) {
        Instant at = Instant.parse("2025-03-01T09:00:00Z").plusSeconds(60L * minute);
        actions.add(new StoredAction(id, type, at.toString(), at.plusSeconds(3600).atOffset(ZoneOffset.UTC), event));
    }

    private CustomerState fold() {
        StateFold fold = new StateFold();
        actions.forEach(fold::apply);
        return fold.state("c-1", "T", "K");
    }

    private void registered() {
        then("a-1", "CustomerRegistered", 0, new CustomerRegistered(C, "Acme", "east", RepId.of("rep-1"), "web", "t1",
                null, null, null, null, null));
    }

    @Test
    void anUntagRemovesATagOnlyWhenItNamesTheRuleThatSetIt() {
        registered();
        then("a-2", "CustomerTagged", 1, new CustomerTagged(C, "vip", "r1", 1, null));
        then("a-3", "CustomerTagged", 2, new CustomerTagged(C, "vip", "r2", 1, null));
        then("a-4", "CustomerTagged", 3, new CustomerTagged(C, "hot", "r3", 1, null));
        then("a-5", "CustomerUntagged", 4, new CustomerUntagged(C, "vip", "r1", 1, null));
        then("a-6", "CustomerUntagged", 5, new CustomerUntagged(C, "hot", "r1", 1, null));

        assertThat(fold().tags()).containsExactly("hot", "vip");
    }

    @Test
    void aPaymentAppliedBeforeItsContractsSigningStillPaysIt() {
        registered();
        then("a-2", "PaymentReceived", 1, new PaymentReceived(C, "K-1", CNY_100, null));
        then("a-3", "ContractSigned", 2, new ContractSigned(C, "K-1", CNY_100, null, null, null));
        then("a-4", "ContractSigned", 3, new ContractSigned(C, "K-2", CNY_100, null, null, null));

        assertThat(fold().contracts()).containsExactly(new CustomerState.Contract("K-1", CNY_100, true),
                new CustomerState.Contract("K-2", CNY_100, false));
        assertThat(fold().stage()).isEqualTo("CONTRACT_SIGNED");
    }

    @Test
    void snoozesReassignmentsAndRuleMadeActionsAreNoInteractions() {
        registered();
        then("a-2", "VisitLogged", 1, null);
        then("a-3", "CustomerSnoozed", 2, new CustomerSnoozed(C, LocalDate.parse("2025-04-01"), "holiday", null));
        then("a-4", "CustomerReleasedToPool", 3, new CustomerReleasedToPool(C, RepId.of("rep-1"), null, "P7D", "pool",
                1, null));
        then("a-5", "CustomerReassigned", 4, new CustomerReassigned(C, RepId.of("rep-1"), RepId.of("rep-2"),
                "POOL_CLAIM", null, null));

        CustomerState state = fold();
        assertThat(state.lastActionType()).isEqualTo("VisitLogged");
        assertThat(state.lastActionAt()).isEqualTo("2025-03-01T09:01:00Z");
        assertThat(state.lastActionId()).isEqualTo("a-5");
        assertThat(state.actionsApplied()).isEqualTo(5);
        assertThat(state.ownerRepId()).isEqualTo("rep-2");
        assertThat(state.snoozedUntil()).isEqualTo("2025-04-01");
    }

    @Test
    void aCustomerInThePoolHasNoOwner() {
        registered();
        then("a-2", "CustomerReleasedToPool", 1, new CustomerReleasedToPool(C, RepId.of("rep-1"), null, "P7D", "pool",
                1, null));

        assertThat(fold().ownerRepId()).isNull();
        assertThat(fold().inPool()).isTrue();
    }

    @Test
    void changesNameEachContractAndLeaveOutActionsApplied() {
        registered();
        then("a-2", "ContractSigned", 1, new ContractSigned(C, "K-1", CNY_100, null, null, null));
        then("a-3", "PaymentReceived", 2, new PaymentReceived(C, "K-1", CNY_100, null));
        then("a-4", "CustomerSnoozed", 3, new CustomerSnoozed(C, LocalDate.parse("2025-04-01"), "later", null));
        then("a-5", "CustomerSnoozed", 4, new CustomerSnoozed(C, LocalDate.parse("2025-04-01"), "again", null));

        List<ActionChanges> changes = StateFold.changesOf(actions);

        assertThat(changes.get(1).changes()).containsExactly(
                new ActionChanges.FieldChange("stage", "FIRST_CONTACT", "CONTRACT_SIGNED"),
                new ActionChanges.FieldChange("lastActionAt", "2025-03-01T09:00:00Z", "2025-03-01T09:01:00Z"),
                new ActionChanges.FieldChange("lastActionType", "CustomerRegistered", "ContractSigned"),
                new ActionChanges.FieldChange("contracts[K-1]", null,
                        new CustomerState.Contract("K-1", CNY_100, false)));
        assertThat(changes.get(2).changes()).containsExactly(
                new ActionChanges.FieldChange("lastActionAt", "2025-03-01T09:01:00Z", "2025-03-01T09:02:00Z"),
                new ActionChanges.FieldChange("lastActionType", "ContractSigned", "PaymentReceived"),
                new ActionChanges.FieldChange("contracts[K-1]", new CustomerState.Contract("K-1", CNY_100, false),
                        new CustomerState.Contract("K-1", CNY_100, true)));
        assertThat(changes.get(3).changes()).containsExactly(
                new ActionChanges.FieldChange("snoozedUntil", null, "2025-04-01"));
        assertThat(changes.get(4).changes()).as("the same date again").isEmpty();
        assertThat(changes).extracting(ActionChanges::actionId).containsExactly("a-1", "a-2", "a-3", "a-4", "a-5");
    }
}
