package org.salesledger.command.intake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * Group commit for actions sent one at a time ({@code POST /api/v1/actions}): the actions of concurrent requests
 * share one transaction ({@link ActionIntake#recordAll}), and each request is answered only once that transaction
 * has committed, so a {@code 202} still means "durable". Nothing waits for company: a request that finds fewer than
 * {@code maxTransactions} transactions under way starts one with whatever is queued (alone, at one client); the
 * requests that arrive while all of them run go together in the next. (More than one at a time, so that a customer
 * whose lock another node holds for long stalls only the requests in its own transaction.) A transaction takes
 * queued requests in arrival order, at most one per customer (a later request of that customer waits for another
 * transaction; transactions of one customer take turns on its lock, as concurrent requests always did) and at most
 * {@code maxCustomers}. Should a shared transaction fail as a whole (not a refusal, which is an answer, nor a
 * conflict, which the intake retries), each of its requests is tried alone, so one cannot sink the others. ADR 0038.
 */
@Service
@EnableConfigurationProperties(GroupCommitSettings.class)
public class GroupCommit {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final ActionIntake intake;
    private final int maxCustomers;
    private final int maxTransactions;
    private final Deque<Waiting> queue = new ArrayDeque<>();
    private int running;

    GroupCommit(ActionIntake intake, GroupCommitSettings settings) {
        this.intake = intake;
        this.maxCustomers = settings.maxCustomers();
        this.maxTransactions = settings.maxTransactions();
    }

    /** One request's action, until its transaction has ended. */
    private static final class Waiting {
        final IncomingAction action;
        /** In a transaction under way (taken off the queue). */
        boolean taken;
        boolean done;
        IntakeOutcome outcome;
        RuntimeException failure;

        Waiting(IncomingAction action) {
            this.action = action;
        }

        String customer() {
            return action.customerId().value();
        }
    }

    /** Records the action, in a transaction it may share with concurrent requests; answers once that has committed. */
    public IntakeOutcome record(IncomingAction action) {
        Waiting mine = new Waiting(action);
        boolean interrupted = false;
        try {
            synchronized (this) {
                queue.addLast(mine);
            }
            while (true) {
                List<Waiting> group;
                synchronized (this) {
                    while (!mine.done && (mine.taken || running >= maxTransactions)) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                            if (!mine.taken && queue.remove(mine)) {
                                throw new IntakeInterruptedException(action.id(), e);
                            }
                            // already in a transaction: its answer comes when that one ends
                        }
                    }
                    if (mine.done) {
                        if (mine.failure != null) {
                            throw mine.failure;
                        }
                        return mine.outcome;
                    }
                    running++;
                    group = take();
                }
                try {
                    store(group);
                } finally {
                    synchronized (this) {
                        for (Waiting waiting : group) {
                            if (!waiting.done) {
                                waiting.failure = new IllegalStateException("the transaction of action "
                                        + waiting.action.id() + " ended without an answer");
                                waiting.done = true;
                            }
                        }
                        running--;
                        notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The queued requests of the next transaction: in arrival order, one per customer, at most maxCustomers. */
    private List<Waiting> take() {
        List<Waiting> group = new ArrayList<>();
        Set<String> customers = new HashSet<>();
        for (Iterator<Waiting> it = queue.iterator(); it.hasNext() && group.size() < maxCustomers; ) {
            Waiting next = it.next();
            if (customers.add(next.customer())) {
                next.taken = true;
                group.add(next);
                it.remove();
            }
        }
        return group;
    }

    private void store(List<Waiting> group) {
        List<List<IntakeOutcome>> outcomes;
        try {
            outcomes = intake.recordAll(group.stream().map(w -> List.of(w.action)).toList());
        } catch (RuntimeException failed) {
            if (group.size() == 1) {
                finish(group.get(0), null, failed);
                return;
            }
            log.warn("could not store {} actions in one transaction ({}); storing them one by one", group.size(),
                    failed.toString());
            for (Waiting waiting : group) {
                try {
                    finish(waiting, intake.record(List.of(waiting.action)).get(0), null);
                } catch (RuntimeException alone) {
                    finish(waiting, null, alone);
                }
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            finish(group.get(i), outcomes.get(i).get(0), null);
        }
    }

    private synchronized void finish(Waiting waiting, IntakeOutcome outcome, RuntimeException failure) {
        waiting.outcome = outcome;
        waiting.failure = failure;
        waiting.done = true;
    }
}
