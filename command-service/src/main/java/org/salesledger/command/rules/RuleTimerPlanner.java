package org.salesledger.command.rules;

import java.util.HashSet;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.salesledger.kernel.CustomerAction;
import org.springframework.stereotype.Component;

/**
 * Plans the customers' rule deadlines as their actions come in, in the {@value #GROUP} processing group: a pooled
 * streaming processor of the command side (token in PostgreSQL), so after a restart planning goes on where it
 * stopped. Every action can move a waiting period — a stage entered, an action that clears an escalation, a
 * follow-up that extends the pool protection, a payment, a class, a release or a claim — so after each processor
 * batch every customer it touched is planned once ({@link RuleTimers#plan}), from the customer's current state, in
 * the batch's transaction.
 */
@Component
@ProcessingGroup(RuleTimerPlanner.GROUP)
class RuleTimerPlanner {

    static final String GROUP = "timers";
    private static final String PLANNED = RuleTimerPlanner.class.getName() + ".planned";

    private final RuleTimers timers;

    RuleTimerPlanner(RuleTimers timers) {
        this.timers = timers;
    }

    @EventHandler
    void on(CustomerAction action) {
        Set<String> planned = planned();
        if (planned.isEmpty()) {
            // the rules as of now, read after this batch's actions were stored: a rule published before an action
            // plans it here; one published after it, by the re-plan sweep (see RuleTimerReplan)
            timers.refreshRules();
            planned.add("");
        }
        if (!timers.active()) {
            return;
        }
        String customerId = action.customerId().value();
        if (planned.add(customerId)) {
            timers.plan(customerId);
        }
    }

    /** The customers planned in this processor batch: their current state already covers the batch. */
    private static Set<String> planned() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new HashSet<>();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(PLANNED, key -> new HashSet<>());
    }
}
