package org.salesledger.command.customer;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.rules.CustomerClassified;
import org.salesledger.kernel.rules.CustomerTagged;
import org.salesledger.kernel.rules.CustomerUntagged;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.talktrack.TalkTrackIgnored;
import org.salesledger.kernel.talktrack.TalkTracksSuggested;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.RepId;

/**
 * One customer and everything done with it. It decides whether each action may be recorded: a customer is
 * registered exactly once and before anything else, the contract's required fields are present, payments refer
 * to a signed contract, and a won customer is never lost. The stage follows {@link Lifecycle}.
 *
 * <p>It also keeps what the event-driven rules recorded on it ({@link RuleState}: tags, class, talk-track
 * counters) and decides, on {@link EvaluateRules}, which rule-made actions an evaluation changes — once each.
 *
 * <p>The command handlers decide; the event sourcing handlers only assign.
 */
@Aggregate(snapshotTriggerDefinition = "customerSnapshotTrigger", cache = "customerCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Customer {

    @AggregateIdentifier
    private String customerId;
    private Stage stage;
    private Set<String> contracts = new HashSet<>();
    private String owner;
    private RuleState rules = new RuleState();

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

    /**
     * Records what the event-driven rules change on this customer (see {@link RuleState#decide}), as actions of
     * the actor {@code system} that name the rule, its version and the action that caused them. An evaluation at
     * or before one already applied records nothing. Answers the actions recorded.
     */
    @CommandHandler
    List<RuleMade> handle(EvaluateRules command) {
        if (stage == null || command.triggerSeq() <= rules.lastTriggerSeq()) {
            return List.of();
        }
        List<RuleMade> changes = rules.decide(CustomerId.of(customerId), command.triggerActionId(),
                owner == null ? null : RepId.of(owner), command.outcome());
        for (RuleMade change : changes) {
            Map<String, String> metadata = new HashMap<>();
            metadata.put(ActionMetadata.ACTION_ID, RuleState.actionId(command.triggerActionId(), change));
            metadata.put(ActionMetadata.SOURCE, "/rules/" + change.ruleId());
            metadata.put(ActionMetadata.ACTOR, ActionMetadata.SYSTEM_ACTOR);
            metadata.put(ActionMetadata.OCCURRED_AT, command.now());
            metadata.put(ActionMetadata.RULE_ID, change.ruleId());
            metadata.put(ActionMetadata.RULE_VERSION, Integer.toString(change.ruleVersion()));
            metadata.put(ActionMetadata.CAUSED_BY, command.triggerActionId());
            metadata.put(ActionMetadata.RULE_TRIGGER_SEQ, Long.toString(command.triggerSeq()));
            apply(change, MetaData.from(metadata));
        }
        return changes;
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
        if (payload instanceof TalkTrackFeedbackGiven feedback && !rules.knowsSuggestion(feedback.suggestionId())) {
            return ActionOutcome.refused(action.id(), "data.suggestionId", "no talk-track suggestion '"
                    + feedback.suggestionId() + "' was made to customer '" + id + "'");
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
        owner = registered.ownerRepId() == null ? null : registered.ownerRepId().value();
    }

    @EventSourcingHandler
    void on(CustomerReassigned reassigned) {
        owner = reassigned.toRepId() == null ? owner : reassigned.toRepId().value();
    }

    @EventSourcingHandler
    void on(TalkTrackFeedbackGiven feedback) {
        rules.apply(feedback);
    }

    @EventSourcingHandler
    void on(CustomerTagged change, MetaData metadata) {
        ruleMade(change, metadata);
    }

    @EventSourcingHandler
    void on(CustomerUntagged change, MetaData metadata) {
        ruleMade(change, metadata);
    }

    @EventSourcingHandler
    void on(CustomerClassified change, MetaData metadata) {
        ruleMade(change, metadata);
    }

    @EventSourcingHandler
    void on(TalkTracksSuggested change, MetaData metadata) {
        ruleMade(change, metadata);
    }

    @EventSourcingHandler
    void on(TalkTrackIgnored change, MetaData metadata) {
        ruleMade(change, metadata);
    }

    private void ruleMade(RuleMade change, MetaData metadata) {
        rules.apply(change);
        Object seq = metadata.get(ActionMetadata.RULE_TRIGGER_SEQ);
        if (seq != null) {
            rules.evaluated(Long.parseLong(seq.toString()));
        }
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
