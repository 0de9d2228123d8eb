package org.salesledger.command.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.salesledger.command.customer.RuleOutcome;
import org.salesledger.command.customer.TimeRule;
import org.salesledger.command.customer.TimerState;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.rules.CustomerClassified;
import org.salesledger.kernel.rules.RuleMade;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.salesledger.command.store.StoredEvents;

/**
 * What-if: evaluates a draft rule over the whole history and counts the customers it would have matched, by region
 * and by month of the matching moment (UTC). A customer matches at its first matching moment:
 * <ul>
 *   <li>TAG: the first action at which {@code when} holds (as of that action, as the live evaluator does); CLASSIFY:
 *       the first action at which one of the classes matches (counted also by that class); TALK_TRACK: the first
 *       visit that matches;</li>
 *   <li>ESCALATE, IDLE, POOL, COLLECTION: the first moment a deadline of the rule would have recorded something,
 *       replaying the customer's actions through the same waiting periods the Customer keeps ({@link TimerState}),
 *       up to now; {@code when} is evaluated at that moment with {@code now} = the moment.</li>
 * </ul>
 * Histories are streamed from the event store in customer order (one cursor, {@code fetch-size} rows at a time),
 * one customer in memory at a time. Bounded: it stops after {@code salesledger.rules.dry-run.max-duration} (default
 * 5 minutes) or {@code max-customers} customers (default 2,000,000) and then answers what it has, marked
 * {@code partial} with the reason and the last customer evaluated. Pure reading: nothing is stored.
 */
@Service
public class RuleDryRun {

    static final String DRAFT = "dry-run";

    private final StoredEvents stored;
    private final TransactionTemplate transaction;
    private final Serializer serializer;
    private final RuleConditions cel;
    private final RuleEvaluation evaluation;
    private final Duration maxDuration;
    private final long maxCustomers;
    private final int fetchSize;
    private final int threads;

    RuleDryRun(StoredEvents stored, TransactionTemplate transaction, Serializer serializer, RuleConditions cel,
               RulesSettings settings) {
        RulesSettings.DryRun dryRun = settings.dryRun();
        int threads = dryRun.threads();
        this.stored = stored;
        this.transaction = transaction;
        this.serializer = serializer;
        this.cel = cel;
        this.evaluation = new RuleEvaluation(cel);
        this.maxDuration = dryRun.maxDuration();
        this.maxCustomers = dryRun.maxCustomers();
        this.fetchSize = dryRun.fetchSize();
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** A count of matched customers under a key. */
    public record Count(String key, long customers) {
    }

    /** Matched customers of one region in one month. */
    public record Cell(String region, String month, long customers) {
    }

    /** The answer of a dry run. */
    public record Result(String kind, long customersEvaluated, long customersMatched, long eventsRead,
                         boolean partial, String stoppedBecause, String lastCustomerId, long elapsedMillis,
                         Duration maxDuration, long maxCustomers, List<Count> byRegion, List<Count> byMonth,
                         List<Cell> byRegionAndMonth, List<Count> byClass) {
    }

    /** A match: when, and (CLASSIFY) the class. */
    record Match(Instant at, String customerClass) {
    }

    /** Runs the draft rule, as of {@code now}, over at most {@code limit} customers ({@code null}: the setting). */
    public Result run(RuleParser.Parsed draft, Instant now, Long limit) {
        if (!draft.definition().kind().eventDriven() && !draft.definition().kind().timeDriven()) {
            throw new IllegalArgumentException("a " + draft.definition().kind() + " rule acts on no customer: "
                    + "there is nothing to count over the history");
        }
        CompiledRule rule = new CompiledRule(DRAFT, 0, draft.definition(), draft.when(), draft.classes());
        long customersLimit = limit == null ? maxCustomers : Math.min(limit, maxCustomers);
        long started = System.nanoTime();
        Reader reader = new Reader(rule, now, started + maxDuration.toNanos(), customersLimit);
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "rule-dry-run");
            thread.setDaemon(true);
            return thread;
        });
        try {
            reader.workers = workers;
            transaction.executeWithoutResult(status -> {
                stored.readEveryCustomer(fetchSize, reader);
                reader.finish();
            });
            return reader.result((System.nanoTime() - started) / 1_000_000);
        } finally {
            workers.shutdownNow();
        }
    }

    /** One stored event, not yet deserialized. */
    private record Row(long seq, String type, String revision, byte[] payload, byte[] metadata) {
    }

    /** One customer's stored events. */
    private record Raw(String customerId, List<Row> rows) {
    }

    /**
     * Reads the customers' events in order and hands them, {@value #CHUNK} customers at a time, to the workers
     * (deserializing and evaluating in parallel); at most two chunks per worker are in flight, and the results are
     * merged in order, so the answer names the last customer evaluated.
     */
    private final class Reader implements StoredEvents.RawEventReader {
        private static final int CHUNK = 256;
        private final CompiledRule rule;
        private final Instant now;
        private final long deadline;
        private final long limit;
        private final Tally total;
        private final java.util.ArrayDeque<java.util.concurrent.Future<Tally>> inFlight = new java.util.ArrayDeque<>();
        private java.util.concurrent.ExecutorService workers;
        private List<Raw> chunk = new ArrayList<>();
        private String customer;
        private List<Row> rows = new ArrayList<>();
        private long read;
        private String stoppedBecause;

        Reader(CompiledRule rule, Instant now, long deadline, long limit) {
            this.rule = rule;
            this.now = now;
            this.deadline = deadline;
            this.limit = limit;
            this.total = new Tally(rule, now);
        }

        public boolean stopped() {
            return stoppedBecause != null;
        }

        public void row(String id, long seq, String type, String revision, byte[] payload, byte[] metadata) {
            if (!id.equals(customer)) {
                endCustomer();
                if (stopped()) {
                    return;
                }
                customer = id;
            }
            rows.add(new Row(seq, type, revision, payload, metadata));
        }

        private void endCustomer() {
            if (customer == null) {
                return;
            }
            chunk.add(new Raw(customer, rows));
            customer = null;
            rows = new ArrayList<>();
            read++;
            if (chunk.size() == CHUNK) {
                submit();
            }
            if (read >= limit) {
                stoppedBecause = "MAX_CUSTOMERS";
            } else if (System.nanoTime() > deadline) {
                stoppedBecause = "TIME_LIMIT";
            }
        }

        private void submit() {
            List<Raw> work = chunk;
            chunk = new ArrayList<>();
            inFlight.add(workers.submit(() -> {
                Tally tally = new Tally(rule, now);
                for (Raw raw : work) {
                    tally.customer(raw);
                }
                return tally;
            }));
            while (inFlight.size() > 2 * threads) {
                merge(inFlight.poll());
            }
        }

        private void merge(java.util.concurrent.Future<Tally> future) {
            try {
                total.add(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during a dry run", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a dry run failed: " + e.getCause(), e.getCause());
            }
        }

        void finish() {
            if (!stopped()) {
                endCustomer();
            }
            if (!chunk.isEmpty()) {
                submit();
            }
            while (!inFlight.isEmpty()) {
                merge(inFlight.poll());
            }
        }

        Result result(long elapsedMillis) {
            return total.result(read, stoppedBecause, elapsedMillis);
        }
    }

    /** Counts of the customers one worker (or the whole run) evaluated. */
    private final class Tally {
        private final CompiledRule rule;
        private final Instant now;
        private final RuleSet rules;
        private final Map<String, Long> byRegion = new TreeMap<>();
        private final Map<String, Long> byMonth = new TreeMap<>();
        private final Map<String, Long> byCell = new TreeMap<>();
        private final Map<String, Long> byClass = new TreeMap<>();
        private long evaluated;
        private long matched;
        private long events;
        private String lastCustomer;

        Tally(CompiledRule rule, Instant now) {
            this.rule = rule;
            this.now = now;
            this.rules = new RuleSet(0, List.of(rule), Map.of(DRAFT, 0), -1);
        }

        /** Deserializes and evaluates one customer. */
        void customer(Raw raw) {
            List<CustomerHistory.Entry> entries = new ArrayList<>(raw.rows().size());
            for (Row row : raw.rows()) {
                events++;
                Object action = serializer.deserialize(new SimpleSerializedObject<>(row.payload(), byte[].class,
                        row.type(), row.revision()));
                if (action instanceof CustomerAction customerAction) {
                    MetaData meta = serializer.deserialize(new SerializedMetaData<>(row.metadata(), byte[].class));
                    entries.add(CustomerHistory.entry(row.seq(), customerAction, meta));
                }
            }
            lastCustomer = raw.customerId();
            if (entries.isEmpty() || !(entries.get(0).action() instanceof CustomerRegistered registered)) {
                return;
            }
            evaluated++;
            Match match = match(new CustomerHistory(raw.customerId(), entries));
            if (match != null) {
                matched++;
                String region = registered.region() == null ? "" : registered.region();
                String month = YearMonth.from(match.at().atOffset(ZoneOffset.UTC)).toString();
                byRegion.merge(region, 1L, Long::sum);
                byMonth.merge(month, 1L, Long::sum);
                byCell.merge(region + "\u0000" + month, 1L, Long::sum);
                if (match.customerClass() != null) {
                    byClass.merge(match.customerClass(), 1L, Long::sum);
                }
            }
        }

        /** Adds another tally (of later customers). */
        void add(Tally other) {
            evaluated += other.evaluated;
            matched += other.matched;
            events += other.events;
            other.byRegion.forEach((k, v) -> byRegion.merge(k, v, Long::sum));
            other.byMonth.forEach((k, v) -> byMonth.merge(k, v, Long::sum));
            other.byCell.forEach((k, v) -> byCell.merge(k, v, Long::sum));
            other.byClass.forEach((k, v) -> byClass.merge(k, v, Long::sum));
            if (other.lastCustomer != null) {
                lastCustomer = other.lastCustomer;
            }
        }

        private Match match(CustomerHistory history) {
            return rule.kind().eventDriven() ? firstEventDriven(history) : firstDeadline(history);
        }

        private final BiConsumer<CompiledRule, RuleEvaluation.Failure> ignore = (r, f) -> {
        };

        private Match firstEventDriven(CustomerHistory history) {
            for (CustomerHistory.Entry entry : history.entries()) {
                if (entry.action() instanceof RuleMade) {
                    continue;
                }
                RuleOutcome outcome = evaluation.evaluate(rules, history, entry, ignore);
                switch (rule.kind()) {
                    case TAG -> {
                        if (outcome.tags().get(0).holds()) {
                            return new Match(entry.occurredAt(), null);
                        }
                    }
                    case CLASSIFY -> {
                        if (outcome.classification() != null && outcome.classification().customerClass() != null) {
                            return new Match(entry.occurredAt(), outcome.classification().customerClass());
                        }
                    }
                    default -> {
                        if (!outcome.talkTracks().isEmpty()) {
                            return new Match(entry.occurredAt(), null);
                        }
                    }
                }
            }
            return null;
        }

        private Match firstDeadline(CustomerHistory history) {
            TimeRule timeRule = RuleTimers.timeRule(rule);
            TimerState state = new TimerState();
            Stage stage = null;
            String customerClass = null;
            CustomerHistory.Entry last = null;
            List<CustomerHistory.Entry> entries = history.entries();
            for (int i = 0; i <= entries.size(); i++) {
                Instant until = i < entries.size() ? entries.get(i).occurredAt() : now;
                Instant due = last == null ? null : state.nextDue(List.of(timeRule), customerClass, null);
                while (due != null && due.isBefore(until)) {
                    boolean holds = rule.when() == null || evaluation.holds(rule, "when", rule.when(),
                            variables(history, last, due), ignore);
                    if (!state.due(history.customerId() == null ? null
                            : org.salesledger.kernel.value.CustomerId.of(history.customerId()),
                            List.of(timeRule.withWhenHolds(holds)), customerClass, due).isEmpty()) {
                        return new Match(due, null);
                    }
                    due = state.nextDue(List.of(timeRule), customerClass, due);
                }
                if (i == entries.size()) {
                    break;
                }
                CustomerHistory.Entry entry = entries.get(i);
                stage = Lifecycle.next(stage, entry.action());
                if (entry.action() instanceof CustomerClassified classified) {
                    customerClass = classified.customerClass();
                }
                state.apply(entry.action(), entry.seq(), entry.occurredAt(), entry.actor(), stage);
                last = entry;
            }
            return null;
        }

        private Map<String, Object> variables(CustomerHistory history, CustomerHistory.Entry last, Instant at) {
            Map<String, Object> variables = new java.util.HashMap<>(history.variablesAt(last, cel.limits().maxEvents()));
            variables.put("now", at);
            return variables;
        }

        Result result(long read, String stoppedBecause, long elapsedMillis) {
            List<Count> regions = byRegion.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue())).toList();
            List<Count> months = byMonth.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue())).toList();
            List<Cell> cells = byCell.entrySet().stream().map(e -> {
                String[] key = e.getKey().split("\u0000", 2);
                return new Cell(key[0], key[1], e.getValue());
            }).toList();
            List<Count> classes = byClass.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue())).toList();
            boolean partial = stoppedBecause != null;
            return new Result(rule.kind().name(), evaluated, matched, events, partial, stoppedBecause,
                    partial ? lastCustomer : null, elapsedMillis, maxDuration, maxCustomers, regions, months, cells,
                    classes);
        }
    }
}
