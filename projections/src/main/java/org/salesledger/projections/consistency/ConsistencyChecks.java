package org.salesledger.projections.consistency;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.serialization.Serializer;
import org.jooq.DSLContext;
import org.salesledger.projections.consistency.ConsistencyReport.ReadModelSummary;
import org.salesledger.projections.consistency.EventHistory.CustomerHistory;
import org.salesledger.projections.consistency.EventHistory.Page;
import org.salesledger.projections.rebuild.ReadModelRebuilds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compares every read model with the event store and names each difference (docs/adr/0025): the history is read
 * customer by customer in key order ({@link EventHistory}), a page of whole customers at a time, and each read
 * model's rows of the same range of customer ids are read beside it, so memory holds one page whatever the size
 * of the history. A customer is compared only where the read model must hold it: its events parked in the read
 * model's dead-letter queue are an expected difference (counted, and listed apart as parked), and a customer with events past the
 * position the read model's processor had applied when the check started is still being applied (counted).
 *
 * <p>One check at a time, in the background; {@link #latest()} is its progress and, once finished, its report.
 */
@EnableConfigurationProperties(ConsistencySettings.class)
@Service
public class ConsistencyChecks {

    private static final Logger log = LoggerFactory.getLogger(ConsistencyChecks.class);
    /** Differences listed in a report unless asked otherwise (all are counted). */
    public static final int DEFAULT_LIMIT = 1000;
    /** The most a report may list. */
    public static final int MAX_LIMIT = 100_000;

    private final EventHistory history;
    private final List<ReadModelComparison> comparisons;
    private final ReadModelRebuilds rebuilds;
    private final DSLContext db;
    private final Clock clock;
    private final int pageEvents;
    private final TransactionTemplate snapshot;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "consistency-check");
        thread.setDaemon(true);
        return thread;
    });
    private volatile ConsistencyReport latest;

    public ConsistencyChecks(DSLContext db, @Qualifier("eventSerializer") Serializer serializer,
                             ReadModelRebuilds rebuilds, Clock clock, PlatformTransactionManager transactions,
                             ConsistencySettings settings) {
        int pageEvents = settings.pageEvents();
        this.history = new EventHistory(db, serializer);
        this.comparisons = ReadModelComparison.all(db);
        this.rebuilds = rebuilds;
        this.db = db;
        this.clock = clock;
        this.pageEvents = pageEvents;
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    /** Starts a check listing at most {@code limit} differences; answers the running one if one is running. */
    public synchronized ConsistencyReport start(int limit) {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 0 and " + MAX_LIMIT + "; got " + limit);
        }
        if (latest != null && !latest.finished()) {
            return latest;
        }
        Run run = new Run(UUID.randomUUID().toString(), limit, clock.instant());
        latest = run.report(ConsistencyReport.State.RUNNING, null, "reading the event store");
        runner.submit(run::execute);
        return latest;
    }

    /** The running check's progress, or the last check's report. */
    public Optional<ConsistencyReport> latest() {
        return Optional.ofNullable(latest);
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    /** One check: its counters, and its differences so far. */
    private final class Run {
        private final String id;
        private final int limit;
        private final Instant started;
        private final List<Difference> listed = new ArrayList<>();
        private final List<ConsistencyReport.Parked> parked = new ArrayList<>();
        private final AtomicLong differences = new AtomicLong();
        private final Map<String, Tally> tallies = new LinkedHashMap<>();
        private long eventsDone;
        private long eventsTotal;
        private long customersDone;

        Run(String id, int limit, Instant started) {
            this.id = id;
            this.limit = limit;
            this.started = started;
        }

        void execute() {
            try {
                eventsTotal = history.count();
                for (ReadModelComparison comparison : comparisons) {
                    String name = comparison.readModel();
                    Tally tally = new Tally(name);
                    if (rebuilds.rebuilding(name)) {
                        tally.skipped = "a rebuild is running; check again when it is done";
                    } else {
                        tally.position = rebuilds.appliedPosition(name);
                        tally.parked = parkedCustomers(comparison.processingGroup());
                    }
                    tallies.put(name, tally);
                }
                EventHistory.Cursor cursor = history.cursor(pageEvents);
                while (true) {
                    // a page of events and the read models' rows of its customers are read in one snapshot: a
                    // read model writes its rows with its token, so a row can never be newer than the page
                    Page page = snapshot.execute(status -> {
                        Page next = cursor.next();
                        if (next != null) {
                            compare(next);
                        }
                        return next;
                    });
                    if (page == null) {
                        break;
                    }
                    eventsDone += page.events();
                    customersDone += page.customers().size();
                    publish(ConsistencyReport.State.RUNNING, null, "comparing the read models with the event store");
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException("stopped");
                    }
                }
                // what a read model keeps over many customers is compared whole, in one snapshot: a read model
                // writes it with the rows it counts
                publish(ConsistencyReport.State.RUNNING, null, "comparing the read models' tallies with their rows");
                for (ReadModelComparison comparison : comparisons) {
                    Tally tally = tallies.get(comparison.readModel());
                    if (tally.skipped == null) {
                        snapshot.executeWithoutResult(status -> comparison.compareWhole(d -> found(tally, d)));
                    }
                }
                long skipped = tallies.values().stream().filter(t -> t.skipped != null).count();
                String message = differences.get() > 0 ? differences.get() + " difference(s) found"
                        : skipped > 0 ? "no difference in the read models compared; " + skipped + " not compared"
                        : "every read model holds what the event store holds";
                publish(ConsistencyReport.State.DONE, clock.instant(), message);
                log.info("consistency check {}: {} ({} customers, {} events)", id, message, customersDone,
                        eventsDone);
            } catch (Exception | Error e) {
                // an Error too: a check left RUNNING would be answered to every later start until a restart
                log.error("consistency check {} failed", id, e);
                publish(ConsistencyReport.State.FAILED, clock.instant(), "the check failed: " + e.getMessage());
            }
        }

        private void compare(Page page) {
            if (!page.coversRange()) {
                return;
            }
            Map<String, CustomerHistory> customers = new LinkedHashMap<>();
            page.customers().forEach(c -> customers.put(c.customerId(), c));
            for (ReadModelComparison comparison : comparisons) {
                Tally tally = tallies.get(comparison.readModel());
                if (tally.skipped != null) {
                    continue;
                }
                comparison.compare(page, customers, customerId -> {
                    if (tally.parked.contains(customerId)) {
                        return false;
                    }
                    CustomerHistory stored = customers.get(customerId);
                    if (stored == null) {
                        // held by the read model, not in the page: unknown, unless stored since the page was read
                        return !history.hasActions(customerId);
                    }
                    return stored.lastGlobalIndex() <= tally.position;
                }, difference -> found(tally, difference));
                for (CustomerHistory customer : page.customers()) {
                    if (tally.parked.contains(customer.customerId())) {
                        tally.parkedSeen++;
                        if (parked.size() < limit) {
                            parked.add(new ConsistencyReport.Parked(tally.readModel, customer.customerId()));
                        }
                    } else if (customer.lastGlobalIndex() > tally.position) {
                        tally.catchingUp++;
                    } else {
                        tally.compared++;
                    }
                }
            }
        }

        private void found(Tally tally, Difference difference) {
            tally.differences++;
            if (differences.getAndIncrement() < limit) {
                listed.add(difference);
            }
        }

        private void publish(ConsistencyReport.State state, Instant finished, String message) {
            latest = report(state, finished, message);
        }

        ConsistencyReport report(ConsistencyReport.State state, Instant finished, String message) {
            List<ReadModelSummary> summaries = tallies.values().stream()
                    .map(t -> new ReadModelSummary(t.readModel, t.position, t.compared, t.parkedSeen, t.catchingUp,
                            t.differences, t.skipped))
                    .toList();
            return new ConsistencyReport(id, state, started, finished, eventsDone, eventsTotal, customersDone,
                    summaries, differences.get(), limit, List.copyOf(listed), List.copyOf(parked), message);
        }
    }

    /** The customers with events parked in the processing group's dead-letter queue. */
    private Set<String> parkedCustomers(String processingGroup) {
        return new HashSet<>(db.fetch("select distinct aggregate_identifier from dead_letter_entry "
                        + "where processing_group = {0} and aggregate_identifier is not null",
                org.jooq.impl.DSL.val(processingGroup)).getValues(0, String.class));
    }

    private static final class Tally {
        final String readModel;
        long position;
        Set<String> parked = Set.of();
        long compared;
        long parkedSeen;
        long catchingUp;
        long differences;
        String skipped;

        Tally(String readModel) {
            this.readModel = readModel;
        }
    }
}
