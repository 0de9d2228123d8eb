package org.salesledger.command.customer;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;

/**
 * One customer and everything done with it. It decides whether each action may be recorded: a customer is
 * registered exactly once and before anything else, the contract's required fields are present, payments refer
 * to a signed contract, and a won customer is never lost. The stage follows {@link Lifecycle}.
 *
 * <p>The command handler decides; the event sourcing handlers only assign.
 */
@Aggregate(snapshotTriggerDefinition = "customerSnapshotTrigger", cache = "customerCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Customer {

    @AggregateIdentifier
    private String customerId;
    private Stage stage;
    private Set<String> contracts = new HashSet<>();

    Customer() {
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    List<ActionOutcome> handle(RecordActions command) {
        List<ActionOutcome> outcomes = new ArrayList<>(command.actions().size());
        for (RecordActions.Action action : command.actions()) {
            ActionOutcome refusal = refusalOf(command.customerId(), action);
            if (refusal != null) {
                outcomes.add(refusal);
            } else {
                apply(action.payload(), MetaData.from(action.metadata()));
                outcomes.add(ActionOutcome.recorded(action.id()));
            }
        }
        return outcomes;
    }

    private ActionOutcome refusalOf(String id, RecordActions.Action action) {
        CustomerAction payload = action.payload();
        RequiredFields.Gap gap = RequiredFields.firstGap(payload);
        if (gap != null) {
            return ActionOutcome.refused(action.id(), "data." + gap.field(), gap.reason());
        }
        boolean registered = stage != null;
        if (payload instanceof CustomerRegistered) {
            return registered
                    ? ActionOutcome.refused(action.id(), "subject", "customer '" + id
                    + "' is already registered; a customer is registered once")
                    : null;
        }
        if (!registered) {
            return ActionOutcome.refused(action.id(), "subject", "customer '" + id
                    + "' is not registered; send its CustomerRegistered action first");
        }
        if (payload instanceof DealLost && stage == Stage.CONTRACT_SIGNED) {
            return ActionOutcome.refused(action.id(), "type", "customer '" + id
                    + "' has signed a contract; a won customer stays won and cannot be lost");
        }
        if (payload instanceof ContractSigned signed && contracts.contains(signed.contractId())) {
            return ActionOutcome.refused(action.id(), "data.contractId", "contract '" + signed.contractId()
                    + "' is already signed for customer '" + id + "'");
        }
        if (payload instanceof PaymentReceived payment && !contracts.contains(payment.contractId())) {
            return ActionOutcome.refused(action.id(), "data.contractId", "no contract '" + payment.contractId()
                    + "' was signed for customer '" + id + "'; record its ContractSigned first");
        }
        return null;
    }

    @EventSourcingHandler
    void on(CustomerRegistered registered) {
        customerId = registered.customerId().value();
        stage = Lifecycle.next(stage, registered);
    }

    @EventSourcingHandler
    void on(ContractSigned signed) {
        contracts.add(signed.contractId());
        stage = Lifecycle.next(stage, signed);
    }

    @EventSourcingHandler
    void on(CustomerAction action) {
        stage = Lifecycle.next(stage, action);
    }
}
