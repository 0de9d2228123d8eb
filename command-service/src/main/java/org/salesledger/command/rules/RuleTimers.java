package org.salesledger.command.rules;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.ScopeAware;
import org.axonframework.messaging.ScopeDescriptor;
import org.salesledger.command.customer.FireTimers;
import org.salesledger.command.customer.PlanTimers;
import org.salesledger.command.customer.TimeRule;
import org.salesledger.command.customer.TimerOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.salesledger.command.store.CustomerLocks;

/**
 * Owns the deadlines of the time-driven rules (ESCALATE, IDLE, POOL, COLLECTION): one pending deadline per customer,
 * at the moment its next waiting period runs out, kept in PostgreSQL by Axon's {@code DbSchedulerDeadlineManager}
 * (table {@code scheduled_tasks}) and remembered in {@code rule_timer} (which deadline, which plan, when), both
 * changed in one transaction.
 *
 * <ul>
 *   <li>{@link #plan}: asks the Customer when its next deadline falls under the active rules ({@code PlanTimers})
 *       and makes the pending deadline match: nothing when it already does, otherwise the old one is cancelled and
 *       a new one scheduled. Called after every batch of a customer's actions (the {@code timers} processor),
 *       after a change of the time-driven rules for every customer (the re-plan sweep) and after each firing.</li>
 *   <li>{@link #send}: the deadline fired (on one node: db-scheduler picks each row once). A deadline whose plan was
 *       replaced is stale and does nothing. Otherwise, under the customer's write lock, the <em>current</em> rules
 *       are read, each rule's {@code when} is evaluated with {@code now} = the firing moment, and the Customer
 *       records what is due ({@code FireTimers}) — once per waiting period — and names its next deadline, which is
 *       scheduled in the same transaction.</li>
 * </ul>
 * The deadline is a message to this component (its scope, {@link CustomerTimerScope}), not to the aggregate: firing
 * needs the current rules and the customer's history for {@code when}, which the aggregate must not read itself.
 */
@Component
public class RuleTimers implements ScopeAware {

    static final String DEADLINE = "rule-timer";
    private static final Logger log = LoggerFactory.getLogger(RuleTimers.class);

    /** The scope of a customer's rule deadline. */
    public record CustomerTimerScope(String customerId) implements ScopeDescriptor {
        @Override
        public String scopeDescription() {
            return "rule deadline of customer " + customerId;
        }
    }

    /** The payload of a rule deadline: whose, which plan, and the moment it was planned for. */
    public record TimerDue(String customerId, String planId, Instant dueAt) {
    }

    private final CommandGateway commands;
    private final RuleCatalog catalog;
    private final RuleConditions cel;
    private final RuleEvaluation evaluation;
    private final EventStore events;
    private final JdbcTemplate jdbc;
    private final CustomerLocks locks;
    private final ObjectProvider<DbSchedulerDeadlineManager> deadlines;
    private final MeterRegistry meters;

    RuleTimers(CommandGateway commands, RuleCatalog catalog, RuleConditions cel, EventStore events, JdbcTemplate jdbc, CustomerLocks locks,
               ObjectProvider<DbSchedulerDeadlineManager> deadlines, MeterRegistry meters) {
        this.commands = commands;
        this.catalog = catalog;
        this.cel = cel;
        this.evaluation = new RuleEvaluation(cel);
        this.events = events;
        this.jdbc = jdbc;
        this.locks = locks;
        this.deadlines = deadlines;
        this.meters = meters;
    }

    /**
     * The organisation as the rules' {@code to} is resolved through (contract §7): each user's supervisor, and per
     * region its director — the first active director of the region by user id. Read afresh at each firing (one
     * query over the users, a few hundred rows).
     */
    org.salesledger.kernel.access.OrgChart chart() {
        Map<String, String> supervisorOf = new HashMap<>();
        Map<String, String> directorOf = new HashMap<>();
        jdbc.query("SELECT user_id, supervisor_id, region, 'director' = ANY(roles) AS director, active FROM org_user "
                + "ORDER BY user_id", rs -> {
                    if (rs.getString("supervisor_id") != null) {
                        supervisorOf.put(rs.getString("user_id"), rs.getString("supervisor_id"));
                    }
                    if (rs.getBoolean("director") && rs.getBoolean("active") && rs.getString("region") != null) {
                        directorOf.putIfAbsent(rs.getString("region"), rs.getString("user_id"));
                    }
                });
        return new org.salesledger.kernel.access.OrgChart(supervisorOf, directorOf);
    }

    /** The active time-driven rules as the Customer takes them ({@code when} not evaluated: it holds). */
    static List<TimeRule> timeRules(RuleSet rules) {
        List<TimeRule> timeRules = new ArrayList<>();
        for (CompiledRule rule : rules.timeDriven()) {
            timeRules.add(timeRule(rule));
        }
        return timeRules;
    }

    static TimeRule timeRule(CompiledRule rule) {
        RuleDefinition d = rule.definition();
        if (d instanceof RuleDefinition.Escalate e) {
            return new TimeRule(rule.ruleId(), rule.version(), TimeRule.Kind.ESCALATE, e.stage(), e.after(), e.to(),
                    e.unless(), null, null, null, true);
        }
        if (d instanceof RuleDefinition.Idle i) {
            return new TimeRule(rule.ruleId(), rule.version(), TimeRule.Kind.IDLE, null, i.after(), i.to(), null,
                    null, null, null, true);
        }
        if (d instanceof RuleDefinition.Pool p) {
            return new TimeRule(rule.ruleId(), rule.version(), TimeRule.Kind.POOL, null, p.after(), null, null,
                    p.maxAfter(), p.afterByClass(), p.remindBefore(), true);
        }
        if (d instanceof RuleDefinition.Collection c) {
            return new TimeRule(rule.ruleId(), rule.version(), TimeRule.Kind.COLLECTION, null, c.after(), null, null,
                    null, null, null, true);
        }
        throw new IllegalArgumentException("not a time-driven rule: " + rule.kind());
    }

    /** Reads rule changes made on any node (one indexed query when there are none). */
    void refreshRules() {
        catalog.refresh();
    }

    /** Whether any time-driven rule is active now. */
    boolean active() {
        return !catalog.rules().timeDriven().isEmpty();
    }

    /** Plans the customer's deadline under the active rules, in the caller's transaction. */
    public void plan(String customerId) {
        List<TimeRule> rules = timeRules(catalog.rules());
        lockTimer(customerId);
        Instant due = commands.sendAndWait(new PlanTimers(customerId, rules));
        reconcile(customerId, due, null);
    }

    @Override
    public boolean canResolve(ScopeDescriptor scope) {
        return scope instanceof CustomerTimerScope;
    }

    /** A deadline fired: see the class comment. Runs in the deadline's transaction. */
    @Override
    public void send(Message<?> message, ScopeDescriptor scope) {
        if (!(message.getPayload() instanceof TimerDue due) || !(scope instanceof CustomerTimerScope)) {
            return;
        }
        Instant firedAt = message instanceof EventMessage<?> event ? event.getTimestamp() : due.dueAt();
        String customerId = due.customerId();
        lockCustomer(customerId);
        lockTimer(customerId);
        String current = jdbc.query("SELECT plan_id FROM rule_timer WHERE customer_id = ?",
                rs -> rs.next() ? rs.getString(1) : null, customerId);
        if (!due.planId().equals(current)) {
            meters.counter("salesledger.rules.deadlines", "outcome", "stale").increment();
            return;
        }
        catalog.refresh();
        RuleSet rules = catalog.rules();
        List<TimeRule> timeRules = withConditions(rules, customerId, firedAt);
        TimerOutcome outcome = commands.sendAndWait(new FireTimers(customerId, firedAt, timeRules, chart()));
        reconcile(customerId, outcome.nextDue(), due.planId());
        meters.counter("salesledger.rules.deadlines", "outcome", outcome.recorded().isEmpty() ? "nothing-due"
                : "recorded").increment();
        if (!outcome.recorded().isEmpty()) {
            meters.counter("salesledger.rules.actions.recorded").increment(outcome.recorded().size());
        }
        log.debug("deadline of customer {} fired at {} (planned {}): {} recorded, next {}", customerId, firedAt,
                due.dueAt(), outcome.recorded().size(), outcome.nextDue());
    }

    /** The time rules, each with whether its {@code when} holds for the customer now ({@code now} = firedAt). */
    private List<TimeRule> withConditions(RuleSet rules, String customerId, Instant firedAt) {
        List<TimeRule> timeRules = new ArrayList<>();
        Map<String, Object> variables = null;
        for (CompiledRule rule : rules.timeDriven()) {
            TimeRule timeRule = timeRule(rule);
            if (rule.when() != null) {
                if (variables == null) {
                    variables = variablesNow(customerId, firedAt);
                }
                boolean holds = variables != null && evaluation.holds(rule, "when", rule.when(), variables,
                        (r, failure) -> {
                            meters.counter("salesledger.rules.evaluation.failures", "ruleId", r.ruleId()).increment();
                            log.debug("rule {} v{} could not be evaluated for customer {} ({}): {}", r.ruleId(),
                                    r.version(), customerId, failure.field(), failure.message());
                        });
                timeRule = timeRule.withWhenHolds(holds);
            }
            timeRules.add(timeRule);
        }
        return timeRules;
    }

    private Map<String, Object> variablesNow(String customerId, Instant now) {
        CustomerHistory history = CustomerHistory.read(events, customerId);
        if (history.entries().isEmpty()) {
            return null;
        }
        Map<String, Object> variables = new HashMap<>(history.variablesAt(
                history.entries().get(history.entries().size() - 1), cel.limits().maxEvents()));
        variables.put("now", now);
        return variables;
    }

    /**
     * Makes the customer's pending deadline match {@code due} ({@code null}: none). {@code firingPlan} is the plan of
     * the deadline firing now, if any: it is being executed and is removed by the scheduler when done.
     */
    private void reconcile(String customerId, Instant due, String firingPlan) {
        Map<String, Object> row = jdbc.query("SELECT schedule_id, plan_id, due_at FROM rule_timer WHERE customer_id = ?",
                rs -> {
                    if (!rs.next()) {
                        return null;
                    }
                    Map<String, Object> r = new HashMap<>();
                    r.put("schedule", rs.getString(1));
                    r.put("plan", rs.getString(2));
                    r.put("due", rs.getTimestamp(3).toInstant());
                    return r;
                }, customerId);
        boolean pending = row != null && !row.get("plan").equals(firingPlan);
        Instant at = due == null ? null : ceilToMicros(due);
        if (pending && at != null && at.equals(row.get("due"))) {
            return;
        }
        if (pending) {
            cancel((String) row.get("schedule"));
        }
        if (at == null) {
            if (row != null) {
                jdbc.update("DELETE FROM rule_timer WHERE customer_id = ?", customerId);
            }
            return;
        }
        String planId = UUID.randomUUID().toString();
        String scheduleId = deadlines.getObject().schedule(at, DEADLINE, new TimerDue(customerId, planId, at),
                new CustomerTimerScope(customerId));
        jdbc.update("INSERT INTO rule_timer (customer_id, schedule_id, plan_id, due_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (customer_id) DO UPDATE SET schedule_id = EXCLUDED.schedule_id, "
                        + "plan_id = EXCLUDED.plan_id, due_at = EXCLUDED.due_at",
                customerId, scheduleId, planId, java.sql.Timestamp.from(at));
    }

    /**
     * Cancels a pending deadline in this transaction. Not through {@code DeadlineManager.cancelSchedule}: db-scheduler's
     * cancel throws for a deadline that is executing right now or already gone, and neither needs cancelling (an
     * executing one whose plan was replaced is stale and does nothing).
     */
    private void cancel(String scheduleId) {
        jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? AND NOT picked",
                TimersConfiguration.TASK_NAME, scheduleId);
    }

    /** The customer's write lock (the one every writer of a customer takes), to the end of the transaction. */
    private void lockCustomer(String customerId) {
        locks.lockCustomer(customerId);
    }

    /** The lock of the customer's deadline row: planners of one customer take turns. */
    private void lockTimer(String customerId) {
        locks.lockTimerOf(customerId);
    }

    static Instant ceilToMicros(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.MICROS);
        return floor.equals(t) ? t : floor.plus(Duration.ofNanos(1000));
    }
}
