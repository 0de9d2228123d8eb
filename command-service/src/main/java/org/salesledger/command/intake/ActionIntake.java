package org.salesledger.command.intake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.salesledger.command.customer.ActionOutcome;
import org.salesledger.command.customer.RecordActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records validated actions of one customer: claims their ids, lets the Customer aggregate decide, and stores the
 * events, all in one transaction. Writers of the same customer take turns on a PostgreSQL advisory lock held to
 * the end of the transaction (across threads and nodes); should two still collide on the event store's unique
 * sequence, everything is rolled back and tried again, so two concurrent actions never lose one.
 */
@Service
public class ActionIntake {

    private static final Logger log = LoggerFactory.getLogger(ActionIntake.class);
    private static final int ATTEMPTS = 8;

    private final CommandGateway commands;
    private final ActionReceipts receipts;
    private final TransactionTemplate transaction;

    ActionIntake(CommandGateway commands, ActionReceipts receipts, TransactionTemplate transaction) {
        this.commands = commands;
        this.receipts = receipts;
        this.transaction = transaction;
    }

    /** Records the actions, which must all be for one customer, in order; one outcome per action, in order. */
    public List<IntakeOutcome> record(List<IncomingAction> actions) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.execute(status -> recordOnce(actions));
            } catch (RuntimeException e) {
                if (!isConflict(e) || attempt == ATTEMPTS) {
                    throw e;
                }
                log.debug("conflict on customer {}, attempt {}: {}", actions.get(0).customerId(), attempt,
                        e.toString());
                pause(attempt);
            }
        }
    }

    private List<IntakeOutcome> recordOnce(List<IncomingAction> actions) {
        String customerId = actions.get(0).customerId().value();
        Map<String, IncomingAction> firstById = new LinkedHashMap<>();
        Map<String, String> customerById = new LinkedHashMap<>();
        for (IncomingAction action : actions) {
            firstById.putIfAbsent(action.id(), action);
            customerById.putIfAbsent(action.id(), customerId);
        }
        Set<String> free = receipts.lockAndClaim(List.of(customerId), customerById);
        List<RecordActions.Action> toRecord = new ArrayList<>();
        for (IncomingAction action : firstById.values()) {
            if (free.contains(action.id())) {
                toRecord.add(new RecordActions.Action(action.id(), action.payload(), action.metadata()));
            }
        }
        Map<String, ActionOutcome> decided = new HashMap<>();
        if (!toRecord.isEmpty()) {
            List<ActionOutcome> outcomes = commands.sendAndWait(new RecordActions(customerId, toRecord));
            List<String> refused = new ArrayList<>();
            for (ActionOutcome outcome : outcomes) {
                decided.put(outcome.actionId(), outcome);
                if (!outcome.recorded()) {
                    refused.add(outcome.actionId());
                }
            }
            receipts.release(refused);
        }
        List<IntakeOutcome> result = new ArrayList<>(actions.size());
        Set<String> answered = new java.util.HashSet<>();
        for (IncomingAction action : actions) {
            ActionOutcome outcome = decided.get(action.id());
            boolean repeat = !answered.add(action.id());
            if (outcome == null || (repeat && outcome.recorded())) {
                result.add(IntakeOutcome.duplicate(action.id()));
            } else if (outcome.recorded()) {
                result.add(IntakeOutcome.recorded(action.id()));
            } else {
                result.add(IntakeOutcome.refused(action.id(), outcome.field(), outcome.reason()));
            }
        }
        return result;
    }

    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
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
