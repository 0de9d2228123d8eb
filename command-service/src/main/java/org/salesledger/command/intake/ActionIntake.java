package org.salesledger.command.intake;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.salesledger.command.customer.ActionOutcome;
import org.salesledger.command.customer.RecordActions;
import org.salesledger.command.store.ActionReceipts;
import org.salesledger.command.store.HeldCustomers;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records validated actions: claims their ids, lets each Customer aggregate decide, and stores the events, all in
 * one transaction — for one customer (an action sent alone) or for several (a chunk of an import). Writers of the
 * same customer take turns on a PostgreSQL advisory lock held to the end of the transaction (across threads and
 * nodes); should two still collide on the event store's unique sequence, everything is rolled back and tried
 * again, so two concurrent actions never lose one.
 *
 * <p>Round trips per transaction, whatever the number of customers: one to lock the customers and claim the ids,
 * one to append every event (the customers' commands run in one outer unit of work, whose events Axon appends in
 * one batch when it commits), one to commit; plus two per customer that is not in the aggregate cache.
 */
@Service
public class ActionIntake {

    private static final Logger log = LoggerFactory.getLogger(ActionIntake.class);
    private static final int ATTEMPTS = 8;

    private final CommandGateway commands;
    private final ActionReceipts receipts;
    private final TransactionTemplate transaction;
    private final HeldCustomers customers;

    ActionIntake(CommandGateway commands, ActionReceipts receipts, TransactionTemplate transaction,
                 HeldCustomers customers) {
        this.commands = commands;
        this.receipts = receipts;
        this.transaction = transaction;
        this.customers = customers;
    }

    /** Records the actions, which must all be for one customer, in order; one outcome per action, in order. */
    public List<IntakeOutcome> record(List<IncomingAction> actions) {
        return recordAll(List.of(actions)).get(0);
    }

    /**
     * Records the actions of several customers in one transaction: one list per customer (each customer in one list
     * only), each in order. Answers the outcomes in the same shape. All or nothing: when it throws, nothing is
     * stored.
     */
    public List<List<IntakeOutcome>> recordAll(List<List<IncomingAction>> byCustomer) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.execute(status -> recordOnce(byCustomer));
            } catch (RuntimeException e) {
                if (!isConflict(e) || attempt == ATTEMPTS) {
                    throw e;
                }
                log.debug("conflict on customers {}, attempt {}: {}", byCustomer.size() == 1
                        ? byCustomer.get(0).get(0).customerId() : byCustomer.size() + " customers", attempt, e.toString());
                pause(attempt);
            }
        }
    }

    private List<List<IntakeOutcome>> recordOnce(List<List<IncomingAction>> byCustomer) {
        Set<String> customerIds = new LinkedHashSet<>();
        Map<String, String> customerById = new LinkedHashMap<>();
        for (List<IncomingAction> actions : byCustomer) {
            String customerId = actions.get(0).customerId().value();
            if (!customerIds.add(customerId)) {
                throw new IllegalArgumentException("customer " + customerId + " is given twice");
            }
            for (IncomingAction action : actions) {
                customerById.putIfAbsent(action.id(), customerId);
            }
        }
        customers.forgetOnRollback(customerIds);
        Set<String> free = receipts.lockAndClaim(customerIds, customerById);
        checkCustomers(byCustomer);
        Map<String, ActionOutcome> decided = new HashMap<>();
        List<String> refused = new ArrayList<>();
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(new GenericMessage<>("record " + customerIds.size()
                + " customers"));
        try {
            for (List<IncomingAction> actions : byCustomer) {
                List<RecordActions.Action> toRecord = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (IncomingAction action : actions) {
                    if (seen.add(action.id()) && free.contains(action.id())
                            && customerById.get(action.id()).equals(action.customerId().value())) {
                        toRecord.add(new RecordActions.Action(action.id(), action.payload(), action.metadata(),
                                action.scope()));
                    }
                }
                if (toRecord.isEmpty()) {
                    continue;
                }
                List<ActionOutcome> outcomes = commands.sendAndWait(
                        new RecordActions(actions.get(0).customerId().value(), toRecord));
                for (ActionOutcome outcome : outcomes) {
                    decided.put(outcome.actionId(), outcome);
                    if (!outcome.recorded()) {
                        refused.add(outcome.actionId());
                    }
                }
            }
            // Axon appends the events of every customer here, in one batch
            batch.commit();
        } catch (RuntimeException e) {
            if (batch.isActive()) {
                batch.rollback(e);
            }
            throw e;
        }
        receipts.release(refused);
        List<List<IntakeOutcome>> result = new ArrayList<>(byCustomer.size());
        for (List<IncomingAction> actions : byCustomer) {
            result.add(outcomesOf(actions, decided));
        }
        return result;
    }

    /**
     * Checks the customers held in memory against the store, and marks as new those whose first action registers
     * them (see {@link HeldCustomers#checkAll}). Skipped when no customer is in memory or being registered (nothing
     * to check or save then).
     */
    private void checkCustomers(List<List<IncomingAction>> byCustomer) {
        List<String> toCheck = new ArrayList<>();
        Set<String> registering = new HashSet<>();
        for (List<IncomingAction> actions : byCustomer) {
            String customerId = actions.get(0).customerId().value();
            boolean registers = actions.get(0).payload() instanceof CustomerRegistered;
            if (customers.holds(customerId) || registers) {
                toCheck.add(customerId);
            }
            if (registers) {
                registering.add(customerId);
            }
        }
        customers.checkAll(toCheck, registering);
    }

    private static List<IntakeOutcome> outcomesOf(List<IncomingAction> actions, Map<String, ActionOutcome> decided) {
        List<IntakeOutcome> result = new ArrayList<>(actions.size());
        Set<String> answered = new HashSet<>();
        for (IncomingAction action : actions) {
            ActionOutcome outcome = decided.get(action.id());
            boolean repeat = !answered.add(action.id());
            if (outcome == null || (repeat && outcome.recorded())) {
                result.add(IntakeOutcome.duplicate(action.id()));
            } else if (outcome.recorded()) {
                result.add(IntakeOutcome.recorded(action.id()));
            } else {
                result.add(IntakeOutcome.refused(action.id(), outcome.field(), outcome.reason(),
                        switch (outcome.refusal()) {
                            case NOT_FOUND -> 404;
                            case FORBIDDEN -> 403;
                            case INVALID -> 400;
                        }));
            }
        }
        return result;
    }

    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
                return true;
            }
            // deadlock detected, serialization failure: PostgreSQL rolled back one side; trying again is safe
            if (t instanceof SQLException sql && ("40P01".equals(sql.getSQLState())
                    || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(200, 5L << attempt) + (long) (Math.random() * 10));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a conflicting write", interrupted);
        }
    }
}
