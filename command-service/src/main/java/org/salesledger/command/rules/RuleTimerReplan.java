package org.salesledger.command.rules;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.salesledger.command.store.StoredEvents;

/**
 * Re-plans every customer's deadline after a change of the time-driven rules (a rule published, changed or
 * retired): a customer without actions since would otherwise wait for a deadline of the old rule, or for none. Each
 * node watches its {@link RuleCatalog} (every {@code salesledger.rules.refresh-interval}); the first to see a change
 * claims it in {@code rule_timer_replan} and schedules the sweep as a db-scheduler task, which then runs on one node:
 * customers in id order, {@code salesledger.rules.timers.replan-batch} per transaction, each chunk scheduling the
 * next, so a sweep cut short by a restart goes on where it stopped. A sweep gives way to the sweep of a newer change.
 * Pending deadlines of the old rules are not waited for: a deadline that fires re-checks the current rules anyway.
 */
@Component
public class RuleTimerReplan {

    static final String TASK_NAME = "rule-timer-replan";
    static final TaskDescriptor<Chunk> TASK = TaskDescriptor.of(TASK_NAME, Chunk.class);
    private static final Logger log = LoggerFactory.getLogger(RuleTimerReplan.class);

    /** One chunk of a sweep: the rulebook position it re-plans for, and the last customer id done. */
    public record Chunk(long position, String after) {
    }

    private final RuleCatalog catalog;
    private final RuleTimers timers;
    private final JdbcTemplate jdbc;
    private final StoredEvents stored;
    private final TransactionTemplate transaction;
    private final ObjectProvider<Scheduler> scheduler;
    private final int batch;
    private final ScheduledExecutorService watcher;
    private volatile long seen = Long.MIN_VALUE;

    RuleTimerReplan(RuleCatalog catalog, RuleTimers timers, JdbcTemplate jdbc, StoredEvents stored, TransactionTemplate transaction,
                    ObjectProvider<Scheduler> scheduler,
                    RulesSettings settings) {
        int batch = settings.timers().replanBatch();
        Duration every = settings.refreshInterval();
        this.catalog = catalog;
        this.timers = timers;
        this.jdbc = jdbc;
        this.stored = stored;
        this.transaction = transaction;
        this.scheduler = scheduler;
        this.batch = batch;
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "rule-timer-replan");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(this::watchQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Task<Chunk> task(Supplier<RuleTimerReplan> replan) {
        return Tasks.oneTime(TASK).execute((instance, context) -> replan.get().run(instance.getData()));
    }

    private void watchQuietly() {
        try {
            watch();
        } catch (RuntimeException e) {
            log.warn("could not look for changed time rules; trying again shortly: {}", e.toString());
        }
    }

    /** Starts the sweep of the latest change of the time-driven rules, if no node has yet. */
    void watch() {
        long position = catalog.rules().timePosition();
        if (position < 0 || position == seen) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            int claimed = jdbc.update("INSERT INTO rule_timer_replan (rulebook_position) VALUES (?) "
                    + "ON CONFLICT DO NOTHING", position);
            if (claimed == 1) {
                scheduler.getObject().schedule(TASK.instance(position + ":").data(new Chunk(position, ""))
                        .scheduledTo(Instant.now()));
                log.info("time-driven rules changed (rulebook position {}): re-planning every customer's deadline",
                        position);
            }
        });
        seen = position;
    }

    /** Re-plans one chunk of customers and schedules the next. */
    void run(Chunk chunk) {
        // The sweep may run on a node whose catalog has not yet read the change that started it: planning with
        // the rules it still holds would plan every customer by the old ones.
        if (catalog.rules().timePosition() < chunk.position()) {
            catalog.refresh();
        }
        if (catalog.rules().timePosition() > chunk.position()) {
            jdbc.update("UPDATE rule_timer_replan SET finished_at = now() WHERE rulebook_position = ?",
                    chunk.position());
            return;
        }
        List<String> customers = stored.customersAfter(chunk.after(), batch);
        transaction.executeWithoutResult(status -> {
            for (String customer : customers) {
                timers.plan(customer);
            }
            jdbc.update("UPDATE rule_timer_replan SET customers = customers + ?, finished_at = CASE WHEN ? THEN now() "
                    + "END WHERE rulebook_position = ?", customers.size(), customers.size() < batch, chunk.position());
            if (customers.size() == batch) {
                String last = customers.get(customers.size() - 1);
                scheduler.getObject().schedule(TASK.instance(chunk.position() + ":" + last)
                        .data(new Chunk(chunk.position(), last)).scheduledTo(Instant.now()));
            }
        });
    }

    @PreDestroy
    void stop() {
        watcher.shutdownNow();
    }
}
