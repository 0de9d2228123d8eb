package org.salesledger.command.customer;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
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
import org.salesledger.kernel.envelope.StoredTimes;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.RepId;

/**
 * One customer and everything done with it. It decides whether each action may be recorded: a customer is
 * registered exactly once and before anything else, the contract's required fields are present, payments refer
 * to a signed contract, and a won customer is never lost. The stage follows {@link Lifecycle}.
 *
 * <p>It also keeps what the event-driven rules recorded on it ({@link RuleState}: tags, class, talk-track
 * counters) and decides, on {@link EvaluateRules}, which rule-made actions an evaluation changes — once each. It keeps
 * the waiting periods the time-driven rules measure ({@link TimerState}): it answers when its next deadline falls
 * ({@link PlanTimers}) and, when one fires ({@link FireTimers}), records what is due — once per period. It decides
 * pool claims and reassignments ({@link ClaimFromPool}, {@link ReassignCustomer}): of two reps claiming at once,
 * exactly one wins.
 *
 * <p>The command handlers decide; the event sourcing handlers only assign.
 */
// revision 2 keeps the region: snapshots of revision 1 (none) are not used, the customer is replayed from its events
@org.axonframework.serialization.Revision("2")
@Aggregate(snapshotTriggerDefinition = "customerSnapshotTrigger", cache = "customerCache",
        commandTargetResolver = "customerCommandTargets")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Customer {

    @AggregateIdentifier
    private String customerId;
    private Stage stage;
    private Set<String> contracts = new HashSet<>();
    private String owner;
    /** The region it was registered in: with the owner, what decides whose scope it is in (contract §7). */
    private String region;
    private RuleState rules = new RuleState();
    private TimerState timers = new TimerState();

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
        if (registered && !action.scope().covers(region, owner)) {
            return ActionOutcome.refused(action.id(), "subject", "no customer '" + id + "' is known to the sender",
                    ActionOutcome.Refusal.NOT_FOUND);
        }
        if (payload instanceof CustomerRegistered registration) {
            if (registered) {
                return ActionOutcome.refused(action.id(), "subject", "customer '" + id
                        + "' is already registered; a customer is registered once");
            }
            String newOwner = registration.ownerRepId() == null ? null : registration.ownerRepId().value();
            return action.scope().covers(registration.region(), newOwner) ? null
                    : ActionOutcome.refused(action.id(), "data.ownerRepId", "the sender may register only customers "
                    + "within " + action.scope() + "; got owner '" + newOwner + "' in region '" + registration.region()
                    + "'", ActionOutcome.Refusal.FORBIDDEN);
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

    /**
     * Where the next deadline of the time-driven rules falls for this customer ({@link TimerState#nextDue}); records
     * nothing.
     */
    @CommandHandler
    Instant handle(PlanTimers command) {
        return stage == null ? null : timers.nextDue(command.rules(), rules.customerClass(), null);
    }

    /**
     * A deadline fired: records what is due by then under the current rules (each waiting period once), as actions of
     * the actor {@code system} at the firing moment, and answers the next deadline.
     */
    @CommandHandler
    TimerOutcome handle(FireTimers command) {
        if (stage == null) {
            return new TimerOutcome(List.of(), null);
        }
        List<RuleMade> due = timers.due(CustomerId.of(customerId), command.rules(), rules.customerClass(),
                command.firedAt(), command.chart(), region);
        for (RuleMade change : due) {
            Map<String, String> metadata = new HashMap<>();
            metadata.put(ActionMetadata.ACTION_ID, timers.actionId(customerId, change));
            metadata.put(ActionMetadata.SOURCE, "/rules/" + change.ruleId());
            metadata.put(ActionMetadata.ACTOR, ActionMetadata.SYSTEM_ACTOR);
            metadata.put(ActionMetadata.OCCURRED_AT, command.firedAt().toString());
            metadata.put(ActionMetadata.RULE_ID, change.ruleId());
            metadata.put(ActionMetadata.RULE_VERSION, Integer.toString(change.ruleVersion()));
            apply(change, MetaData.from(metadata));
        }
        return new TimerOutcome(due, timers.nextDue(command.rules(), rules.customerClass(), command.firedAt()));
    }

    /**
     * A rep claims the customer from the public pool. Refused when it is not in the pool (another rep was faster),
     * when the rep released it and the lockout has not passed, or when the rep is at the daily claim limit or the cap
     * of customers (counts the caller read under the rep's lock).
     */
    @CommandHandler
    PoolDecision handle(ClaimFromPool command) {
        if (stage == null || !command.scope().covers(region, owner)) {
            return PoolDecision.refused(PoolDecision.Status.NOT_FOUND, "customerId",
                    "no customer '" + command.customerId() + "' is registered");
        }
        if (!timers.inPool()) {
            return PoolDecision.refused(PoolDecision.Status.NOT_IN_POOL, "customerId", "customer '" + customerId
                    + "' is not in the public pool" + (owner == null ? "" : "; it is owned by '" + owner + "'"));
        }
        String rep = command.repId();
        if (command.reclaimLockout() != null && rep.equals(timers.previousOwner())
                && command.at().isBefore(timers.releasedAt().plus(command.reclaimLockout()))) {
            return PoolDecision.refused(PoolDecision.Status.LOCKED_OUT, "repId", "rep '" + rep
                    + "' released customer '" + customerId + "' at " + timers.releasedAt()
                    + " and may claim it again from " + timers.releasedAt().plus(command.reclaimLockout())
                    + " (reclaimLockout " + command.reclaimLockout() + ")");
        }
        if (command.dailyClaimLimit() != null && command.claimsToday() >= command.dailyClaimLimit()) {
            return PoolDecision.refused(PoolDecision.Status.DAILY_LIMIT, "repId", "rep '" + rep + "' has claimed "
                    + command.claimsToday() + " customers on " + command.day() + " (" + command.zone()
                    + "); the daily claim limit is " + command.dailyClaimLimit());
        }
        if (command.maxCustomersPerRep() != null && command.customersOwned() >= command.maxCustomersPerRep()) {
            return PoolDecision.refused(PoolDecision.Status.CAP, "repId", "rep '" + rep + "' owns "
                    + command.customersOwned() + " customers; the cap is " + command.maxCustomersPerRep()
                    + " customers per rep");
        }
        String from = timers.previousOwner();
        reassign(command.claimId(), from, rep, "POOL_CLAIM", null, rep, command.at(), command.recordedBy());
        return PoolDecision.done(PoolDecision.Status.CLAIMED, from, rep);
    }

    /** A supervisor gives the customer to another rep (also out of the pool); no limits apply. */
    @CommandHandler
    PoolDecision handle(ReassignCustomer command) {
        if (stage == null || !command.scope().covers(region, owner)) {
            return PoolDecision.refused(PoolDecision.Status.NOT_FOUND, "customerId",
                    "no customer '" + command.customerId() + "' is registered");
        }
        if (!command.targets().covers(region, command.toRepId())) {
            return PoolDecision.refused(PoolDecision.Status.FORBIDDEN, "toRepId", "the customer may be given only "
                    + "within " + command.targets() + "; got '" + command.toRepId() + "'");
        }
        String from = timers.inPool() ? timers.previousOwner() : owner;
        if (!timers.inPool() && command.toRepId().equals(owner)) {
            return PoolDecision.refused(PoolDecision.Status.UNCHANGED, "toRepId", "customer '" + customerId
                    + "' is already owned by '" + owner + "'");
        }
        reassign(command.reassignmentId(), from, command.toRepId(), "SUPERVISOR", command.reason(), command.actor(),
                command.at(), command.recordedBy());
        return PoolDecision.done(PoolDecision.Status.REASSIGNED, from, command.toRepId());
    }

    private void reassign(String actionId, String from, String to, String via, String reason, String actor,
                          Instant at, String recordedBy) {
        Map<String, String> metadata = new HashMap<>();
        if (recordedBy != null) {
            metadata.put(ActionMetadata.RECORDED_BY, recordedBy);
        }
        metadata.put(ActionMetadata.ACTION_ID, actionId);
        metadata.put(ActionMetadata.SOURCE, "/pool");
        metadata.put(ActionMetadata.ACTOR, actor);
        metadata.put(ActionMetadata.OCCURRED_AT, at.toString());
        apply(new CustomerReassigned(CustomerId.of(customerId), from == null ? null : RepId.of(from), RepId.of(to),
                via, reason, null), MetaData.from(metadata));
    }

    /** Every stored action: the stage, the owner, the contracts, what rules recorded, and the timers' periods. */
    @EventSourcingHandler
    void on(CustomerAction action, MetaData metadata, @SequenceNumber long seq, @Timestamp Instant storedAt) {
        if (action instanceof CustomerRegistered registered) {
            customerId = registered.customerId().value();
            owner = registered.ownerRepId() == null ? null : registered.ownerRepId().value();
            region = registered.region();
        } else if (action instanceof CustomerReassigned reassigned && reassigned.toRepId() != null) {
            owner = reassigned.toRepId().value();
        } else if (action instanceof ContractSigned signed) {
            contracts.add(signed.contractId());
        } else if (action instanceof TalkTrackFeedbackGiven feedback) {
            rules.apply(feedback);
        } else if (action instanceof RuleMade change) {
            ruleMade(change, metadata);
        }
        stage = Lifecycle.next(stage, action);
        Object time = metadata.get(ActionMetadata.OCCURRED_AT);
        Instant occurredAt = time == null ? storedAt : StoredTimes.offsetDateTime(time.toString()).toInstant();
        Object actor = metadata.get(ActionMetadata.ACTOR);
        timers.apply(action, seq, occurredAt, actor == null ? null : actor.toString(), stage);
    }

    private void ruleMade(RuleMade change, MetaData metadata) {
        rules.apply(change);
        Object seq = metadata.get(ActionMetadata.RULE_TRIGGER_SEQ);
        if (seq != null) {
            rules.evaluated(Long.parseLong(seq.toString()));
        }
    }
}
