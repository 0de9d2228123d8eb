package org.salesledger.projections.isolation;

import static org.salesledger.infra.platform.ProcessorFailures.describe;
import static org.salesledger.infra.platform.ProcessorFailures.lostClaim;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How every read model applies a processor batch so that it never moves past an event it did not apply (ADR 0022).
 *
 * <p>A projection hands each event to {@link #handle}: its batch's events are kept and written together by the
 * projection's {@link Writer} when the unit of work prepares its commit, in the transaction that stores the token —
 * one write per batch, no savepoint, nothing more when nothing fails. When a processor batch is rolled back instead
 * (its write failed, a check deferred to the commit failed, the commit itself failed), the batch is probed after the
 * rollback, in a transaction of its own that is always rolled back: its customers are written in halves, each under a
 * savepoint and with deferred checks made immediate, until the customers whose write fails are known, and for each
 * the first of its events whose write fails. Axon then redelivers the batch (its token did not move); this time the
 * handler refuses those customers' events from the failing one on, so Axon's dead-lettering parks them in order, in
 * the transaction that applies every other customer of the batch — where Axon's dead-letter cache sees them.
 *
 * <p>A failure that cannot be isolated — the probe fails for every customer, or cannot run (the database is away) —
 * parks nothing: the batch is retried (Axon backs off up to a minute), its segment is reported stopped with the cause
 * ({@link #stopped}) and counted in the lag, until a batch of that segment commits again.
 *
 * <p>Outside a processor's batch (a rebuild's replay, a dead letter retried, a call without a unit of work) events are
 * written the same way but nothing is refused or probed: a failure fails that unit of work, as before.
 */
@Component
public class BatchIsolation {

    private static final Logger log = LoggerFactory.getLogger(BatchIsolation.class);
    private static final String BATCH = BatchIsolation.class.getName() + ".batch";
    /** Past this many events of one customer in a batch, its first one is parked rather than searched for. */
    private static final int MAX_SEARCHED_PREFIX = 64;

    /** Writes (applies) a projection's events, in the order given, in the current transaction. */
    @FunctionalInterface
    public interface Writer<E> {
        void write(List<E> events);
    }

    private final DSLContext db;
    private final TransactionTemplate probes;
    private final Map<String, Group> groups = new ConcurrentHashMap<>();

    public BatchIsolation(DSLContext db, PlatformTransactionManager transactions) {
        this.db = db;
        this.probes = new TransactionTemplate(transactions);
        probes.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Takes one event of {@code customer} ({@code sequence}: its aggregate sequence number) for the processing group
     * {@code group}: written with its batch when the unit of work commits, at once without one. Throws
     * {@link EventIsolatedException} for an event the last probe of its batch isolated, so that it is dead-lettered.
     */
    public <E> void handle(String group, String customer, long sequence, E event, Writer<E> writer) {
        if (!CurrentUnitOfWork.isStarted()) {
            writer.write(List.of(event));
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        // the batch, its segment and its group's state are looked up once per batch, not per event
        @SuppressWarnings("unchecked")
        Batch<E> batch = (Batch<E>) root.getOrComputeResource(BATCH, key -> open(root, group, writer));
        Group state = batch.state;
        if (state != null && !state.isolated.isEmpty()) {
            Isolated isolated = state.isolated.get(customer);
            if (isolated != null && sequence >= isolated.fromSequence()) {
                // once this batch commits the letter is stored and Axon's dead-letter cache knows the customer
                root.afterCommit(u -> state.isolated.remove(customer, isolated));
                throw new EventIsolatedException(group, customer, sequence, isolated.cause());
            }
        }
        batch.events.add(new Item<>(customer, sequence, event));
    }

    /** Segments of {@code group} whose batch could not be written nor isolated, and why; empty while it runs. */
    public Map<Integer, Stopped> stopped(String group) {
        Group state = groups.get(group);
        return state == null ? Map.of() : Map.copyOf(state.stopped);
    }

    /** Customers of {@code group} whose events are to be parked when their batch is delivered again. */
    public Map<String, Isolated> isolated(String group) {
        Group state = groups.get(group);
        return state == null ? Map.of() : Map.copyOf(state.isolated);
    }

    /**
     * Forgets the customers isolated for {@code group} whose events have not been refused yet: before a retry of its
     * dead letters, whose events must reach the projection.
     */
    public void forgetIsolated(String group) {
        Group state = groups.get(group);
        if (state != null) {
            state.isolated.clear();
        }
    }

    private Group group(String group) {
        return groups.computeIfAbsent(group, g -> new Group());
    }

    private static Integer segmentOf(UnitOfWork<?> root, String group) {
        Object segment = root.resources().get("Processor[" + group + "]/SegmentId");
        return segment instanceof Integer id ? id : null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <E> Batch<E> open(UnitOfWork<?> root, String group, Writer<E> writer) {
        Integer segment = segmentOf(root, group);
        Group state = segment == null ? null : group(group);
        Batch<E> batch = new Batch<>(writer, state);
        UnitOfWork raw = root;
        raw.onPrepareCommit(u -> batch.writer.write(batch.values()));
        if (state != null) {
            long before = positionBefore(root);
            raw.afterCommit(u -> state.stopped.remove(segment));
            raw.onCleanup(u -> {
                if (((UnitOfWork<?>) u).isRolledBack()) {
                    Throwable cause = ((UnitOfWork<?>) u).getExecutionResult() == null ? null
                            : ((UnitOfWork<?>) u).getExecutionResult().getExceptionResult();
                    isolate(group, segment, state, batch, cause, before);
                }
            });
        }
        return batch;
    }

    /** The position of the event store just before the batch's first event: where its segment's token stands. */
    private static long positionBefore(UnitOfWork<?> root) {
        if (root instanceof BatchingUnitOfWork<?> batching && !batching.getMessages().isEmpty()
                && batching.getMessages().get(0) instanceof TrackedEventMessage<?> first) {
            return first.trackingToken().position().orElse(0L) - 1;
        }
        return -1;
    }

    private <E> void isolate(String group, int segment, Group state, Batch<E> batch, Throwable cause, long before) {
        Probe probe;
        try {
            probe = probes.execute(status -> {
                status.setRollbackOnly();
                return probe(batch, status);
            });
        } catch (RuntimeException e) {
            state.stopped.put(segment, new Stopped(Instant.now(), before, describe(cause != null ? cause : e)));
            log.warn("{}: a batch of segment {} failed and could not be probed; retrying it (nothing skipped)",
                    group, segment, e);
            return;
        }
        int customers = batch.byCustomer().size();
        // a deadlock, a lock or statement timeout, a lost connection says nothing about the customer's data: such a
        // failure in the probe is retried with the whole batch, never parked
        boolean transientFailure = probe.failing.values().stream().anyMatch(f -> isTransient(f.failure()));
        boolean isolatable = !probe.failing.isEmpty() && !transientFailure && (probe.failing.size() < customers
                || (customers == 1 && !isSqlFailure(probe.failing.values().iterator().next().failure())));
        if (probe.failing.isEmpty() && lostClaim(cause)) {
            // another node holds the segment now: nothing of this batch is this node's to report
            return;
        }
        if (!isolatable) {
            Throwable shown = probe.failing.isEmpty() ? cause : probe.failing.values().iterator().next().failure();
            state.stopped.put(segment, new Stopped(Instant.now(), before, describe(shown)));
            log.warn("{}: a batch of segment {} ({} customers) failed and the failure could not be isolated to a "
                            + "customer ({} failing alone); retrying it, nothing skipped: {}", group, segment, customers,
                    probe.failing.size(), describe(shown));
            return;
        }
        state.isolated.putAll(probe.failing);
        state.stopped.remove(segment);
        log.warn("{}: a batch of segment {} failed; isolated {} — their events from the failing one on go to the "
                + "dead-letter queue when the batch is delivered again", group, segment, probe.failing);
    }

    private <E> Probe probe(Batch<E> batch, TransactionStatus status) {
        Map<String, List<Item<E>>> byCustomer = batch.byCustomer();
        Probe probe = new Probe();
        bisect(new ArrayList<>(byCustomer.keySet()), byCustomer, batch.writer, status, probe);
        return probe;
    }

    /** Writes the customers' events (kept when they succeed); halves a failing group down to single customers. */
    private <E> void bisect(List<String> customers, Map<String, List<Item<E>>> byCustomer, Writer<E> writer,
                            TransactionStatus status, Probe probe) {
        List<E> events = new ArrayList<>();
        for (String customer : customers) {
            byCustomer.get(customer).forEach(i -> events.add(i.event()));
        }
        Throwable failure = attempt(events, writer, status, true);
        if (failure == null) {
            return;
        }
        if (customers.size() == 1) {
            String customer = customers.get(0);
            probe.failing.put(customer, firstFailing(byCustomer.get(customer), writer, status, failure));
            return;
        }
        int half = customers.size() / 2;
        bisect(customers.subList(0, half), byCustomer, writer, status, probe);
        bisect(customers.subList(half, customers.size()), byCustomer, writer, status, probe);
    }

    /** The customer's first event whose write fails (written after its earlier ones of the batch). */
    private <E> Isolated firstFailing(List<Item<E>> items, Writer<E> writer, TransactionStatus status,
                                      Throwable whole) {
        if (items.size() > 1 && items.size() <= MAX_SEARCHED_PREFIX) {
            for (int n = 1; n <= items.size(); n++) {
                List<E> prefix = new ArrayList<>();
                items.subList(0, n).forEach(i -> prefix.add(i.event()));
                Throwable failure = attempt(prefix, writer, status, false);
                if (failure != null) {
                    return new Isolated(items.get(n - 1).sequence(), describe(failure), failure);
                }
            }
        }
        return new Isolated(items.get(0).sequence(), describe(whole), whole);
    }

    /** Writes the events under a savepoint, deferred checks made to fire; kept or undone; the failure if any. */
    private Throwable attempt(List<?> events, Writer<?> writer, TransactionStatus status, boolean keep) {
        Object savepoint = status.createSavepoint();
        try {
            @SuppressWarnings("unchecked")
            Writer<Object> w = (Writer<Object>) writer;
            w.write(new ArrayList<>(events));
            db.execute("SET CONSTRAINTS ALL IMMEDIATE");
            if (keep) {
                status.releaseSavepoint(savepoint);
            } else {
                status.rollbackToSavepoint(savepoint);
            }
            return null;
        } catch (RuntimeException e) {
            status.rollbackToSavepoint(savepoint);
            return e;
        }
    }

    /**
     * A failure that may not happen again: PostgreSQL's SQLSTATE classes 08 (connection), 40 (transaction rollback:
     * serialization failure, deadlock), 53 (insufficient resources), 57 (operator intervention: statement timeout,
     * shutdown) and 55P03 (lock not available), or what Spring counts as transient.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.springframework.dao.TransientDataAccessException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53")
                        || state.startsWith("57") || state.equals("55P03")) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A failure of PostgreSQL or of reaching it, as opposed to the projection's own code failing on an event. */
    private static boolean isSqlFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof org.springframework.dao.DataAccessException
                    || t instanceof org.jooq.exception.DataAccessException) {
                return true;
            }
        }
        return false;
    }

    /** A customer isolated by a probe: its events from {@code fromSequence} on are parked on redelivery. */
    public record Isolated(long fromSequence, String cause, Throwable failure) {
        @Override
        public String toString() {
            return "from sequence " + fromSequence + " (" + cause + ")";
        }
    }

    /** A segment stopped since {@code since} at {@code position} (its token), by {@code cause}. */
    public record Stopped(Instant since, long position, String cause) {
    }

    private record Item<E>(String customer, long sequence, E event) {
    }

    private static final class Probe {
        final Map<String, Isolated> failing = new LinkedHashMap<>();
    }

    private static final class Group {
        final Map<String, Isolated> isolated = new ConcurrentHashMap<>();
        final Map<Integer, Stopped> stopped = new ConcurrentHashMap<>();
    }

    private static final class Batch<E> {
        final Writer<E> writer;
        /** The group's isolation state in a processor's batch; {@code null} outside one (nothing refused, probed). */
        final Group state;
        final List<Item<E>> events = new ArrayList<>();

        Batch(Writer<E> writer, Group state) {
            this.writer = writer;
            this.state = state;
        }

        List<E> values() {
            List<E> values = new ArrayList<>(events.size());
            events.forEach(i -> values.add(i.event()));
            return values;
        }

        Map<String, List<Item<E>>> byCustomer() {
            Map<String, List<Item<E>>> byCustomer = new LinkedHashMap<>();
            events.forEach(i -> byCustomer.computeIfAbsent(i.customer(), c -> new ArrayList<>()).add(i));
            return byCustomer;
        }
    }
}
