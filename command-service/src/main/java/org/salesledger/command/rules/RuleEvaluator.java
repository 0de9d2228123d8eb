package org.salesledger.command.rules;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.salesledger.command.customer.EvaluateRules;
import org.salesledger.command.customer.RuleOutcome;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.rules.RuleMade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.salesledger.command.store.CustomerLocks;

/**
 * Evaluates the event-driven rules at every action a person (or an import) recorded on a customer, in the
 * {@value #GROUP} processing group: a pooled streaming processor of the command side whose token is in PostgreSQL,
 * so each action is evaluated after a restart exactly where the last node stopped, and each customer by one node
 * at a time (its segment).
 *
 * <p>The customer's stream is read once per processor batch; each action of the batch is evaluated as of itself
 * ({@link RuleEvaluation}). Only when that would change something ({@link org.salesledger.command.customer.RuleState#decide})
 * is {@link EvaluateRules} sent — in the batch's transaction, under the customer's write lock — and the Customer
 * decides again and records the change once. Rule-made actions are not evaluated: one action causes at most one
 * round of rule-made actions, never a loop.
 */
@Component
@ProcessingGroup(RuleEvaluator.GROUP)
class RuleEvaluator {

    static final String GROUP = "rules";
    private static final Logger log = LoggerFactory.getLogger(RuleEvaluator.class);
    private static final String HISTORIES = RuleEvaluator.class.getName() + ".histories";

    private final RuleCatalog catalog;
    private final RuleEvaluation evaluation;
    private final EventStore events;
    private final CommandGateway commands;
    private final CustomerLocks locks;
    private final MeterRegistry meters;

    RuleEvaluator(RuleCatalog catalog, RuleConditions cel, EventStore events, CommandGateway commands,
                  CustomerLocks locks, MeterRegistry meters) {
        this.catalog = catalog;
        this.evaluation = new RuleEvaluation(cel);
        this.events = events;
        this.commands = commands;
        this.locks = locks;
        this.meters = meters;
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, MetaData metadata) {
        if (action instanceof RuleMade) {
            return;
        }
        RuleSet rules = catalog.rules();
        if (!rules.hasEventDriven()) {
            return;
        }
        String customerId = action.customerId().value();
        CustomerHistory history = histories().computeIfAbsent(customerId, id -> CustomerHistory.read(events, id));
        CustomerHistory.Entry trigger = history.at(sequence);
        if (trigger == null) {
            history = CustomerHistory.read(events, customerId);
            histories().put(customerId, history);
            trigger = history.at(sequence);
        }
        if (trigger == null || !history.registeredAt(sequence) || sequence <= history.state().lastTriggerSeq()) {
            return;
        }
        RuleOutcome outcome = evaluation.evaluate(rules, history, trigger, (rule, failure) -> {
            meters.counter("salesledger.rules.evaluation.failures", "ruleId", rule.ruleId()).increment();
            log.debug("rule {} v{} could not be evaluated for customer {} ({}): {}", rule.ruleId(), rule.version(),
                    customerId, failure.field(), failure.message());
        });
        if (history.state().decide(action.customerId(), trigger.actionId(), null, outcome).isEmpty()) {
            return;
        }
        if (!history.locked()) {
            lock(customerId);
            history.markLocked();
        }
        List<RuleMade> recorded = commands.sendAndWait(new EvaluateRules(customerId, sequence, trigger.actionId(),
                trigger.time(), outcome));
        for (RuleMade change : recorded) {
            history.state().apply(change);
        }
        if (!recorded.isEmpty()) {
            history.state().evaluated(sequence);
            meters.counter("salesledger.rules.actions.recorded").increment(recorded.size());
        }
    }

    /** The customers' histories read in this processor batch. */
    private static Map<String, CustomerHistory> histories() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new HashMap<>();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(HISTORIES, key -> new HashMap<>());
    }

    /**
     * The customer's write lock until the batch commits — the lock every writer of a customer takes (see
     * ActionIntake), so the evaluation and a concurrent action on the same customer take turns instead of failing.
     */
    private void lock(String customerId) {
        locks.lockCustomer(customerId);
    }
}
