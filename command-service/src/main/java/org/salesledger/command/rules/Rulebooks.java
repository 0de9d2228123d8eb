package org.salesledger.command.rules;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Changes the rulebook: sends the command in a transaction, tries again when another change came first (two
 * managers at once), and refreshes this node's {@link RuleCatalog} so that the change is visible here at once.
 */
@Service
public class Rulebooks {

    private static final int ATTEMPTS = 8;

    private final CommandGateway commands;
    private final TransactionTemplate transaction;
    private final RuleCatalog catalog;

    Rulebooks(CommandGateway commands, TransactionTemplate transaction, RuleCatalog catalog) {
        this.commands = commands;
        this.transaction = transaction;
        this.catalog = catalog;
    }

    /** Publishes a rule {@link RuleParser} accepted as the next version of {@code ruleId}. */
    public RulebookDecision publish(String ruleId, RuleParser.Parsed rule, String author, String reason) {
        String tag = rule.definition() instanceof RuleDefinition.Tag t ? t.tag() : null;
        return send(new PublishRule(Rulebook.ID, ruleId, rule.definition().kind(), tag, rule.body(), author, reason));
    }

    public RulebookDecision retire(String ruleId, String author, String reason) {
        return send(new RetireRule(Rulebook.ID, ruleId, author, reason));
    }

    private RulebookDecision send(Object command) {
        for (int attempt = 1; ; attempt++) {
            try {
                RulebookDecision decision = transaction.execute(status -> commands.sendAndWait(command));
                catalog.refresh();
                return decision;
            } catch (RuntimeException e) {
                if (!isConflict(e) || attempt == ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(10L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while retrying a rule change", interrupted);
                }
            }
        }
    }

    private static boolean isConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
                return true;
            }
        }
        return false;
    }
}
