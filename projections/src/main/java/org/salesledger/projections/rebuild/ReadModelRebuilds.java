package org.salesledger.projections.rebuild;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.salesledger.projections.isolation.BatchIsolation;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds a read model from the first event while the old one keeps answering queries:
 *
 * <ol>
 *   <li>shadow copies of its tables are created, empty, and its projection is pointed at them;</li>
 *   <li>its streaming processor is shut down, and the whole history is replayed into the shadow tables by its own
 *       event handlers, in large chunks ({@link BulkReplay}, ADR 0018); the live tables keep answering, as of the
 *       moment the rebuild started;</li>
 *   <li>the processor resumes from the last event replayed, on the shadow tables, and applies what was stored
 *       meanwhile; once it has caught up with the head of the event store it is paused, the shadow tables replace
 *       the live ones in one transaction, and the processor resumes on them.</li>
 * </ol>
 *
 * Progress is the position replayed (then the lowest among the processor's segments) against the head position
 * when the rebuild started. One rebuild per read model at a time.
 */
@Service
public class ReadModelRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuilds.class);
    /** Events applied per transaction by a rebuild's replay, unless {@code salesledger.rebuild.chunk-size} says. */
    public static final int DEFAULT_CHUNK_SIZE = 10_000;
    /** Threads applying a rebuild's replay, each to its segment of the customers, unless {@code salesledger.rebuild.threads} says. */
    public static final int DEFAULT_THREADS = 2;
    /** PostgreSQL's {@code maintenance_work_mem} for building a deferred index (its default is 64 MB). */
    static final String INDEX_BUILD_MEMORY = "256MB";

    private final Map<String, ReadModelTables> readModels = new LinkedHashMap<>();
    private final Map<String, RebuildStatus> statuses = new ConcurrentHashMap<>();
    private final EventProcessingConfiguration processing;
    private final EventStore events;
    private final DSLContext db;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final TokenStore tokenStore;
    private final BatchIsolation isolation;
    private final BulkReplay bulk;
    private final SchemaVersions versions;
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "read-model-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    public ReadModelRebuilds(List<ReadModelTables> readModels, EventProcessingConfiguration processing,
                             EventStore events, EventStorageEngine storage, TokenStore tokenStore, DSLContext db,
                             TransactionTemplate transaction, Clock clock, BatchIsolation isolation,
                             Environment environment,
                             @Value("${salesledger.rebuild.chunk-size:" + DEFAULT_CHUNK_SIZE + "}") int chunkSize,
                             @Value("${salesledger.rebuild.threads:" + DEFAULT_THREADS + "}") int threads) {
        readModels.forEach(m -> this.readModels.put(m.readModel(), m));
        this.processing = processing;
        this.events = events;
        this.db = db;
        this.transaction = transaction;
        this.clock = clock;
        this.tokenStore = tokenStore;
        this.isolation = isolation;
        this.bulk = new BulkReplay(storage, transaction, chunkSize, threads);
        this.versions = new SchemaVersions(db, environment, this.readModels.values());
    }

    /**
     * When the query side is ready: each read model whose declared schema version differs from the one its tables
     * were built with is rebuilt, as {@code POST /api/v1/admin/rebuilds/{readModel}} would (the old tables answer
     * meanwhile); the rebuild stores the new version when it switches the tables, so a rebuild that fails is
     * started again at the next start. A read model with no stored version is taken to be at its declared one.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void rebuildChangedSchemas() {
        for (ReadModelTables tables : readModels.values()) {
            int declared = versions.declared(tables);
            Optional<Integer> stored = transaction.execute(status -> versions.stored(tables.readModel()));
            if (stored.isEmpty()) {
                transaction.executeWithoutResult(status -> versions.record(tables.readModel(), declared));
            } else if (stored.get() != declared) {
                log.info("read model {}: schema version {} declared, its tables were built with {}: rebuilding it",
                        tables.readModel(), declared, stored.get());
                start(tables.readModel());
            }
        }
    }

    public List<String> readModels() {
        return List.copyOf(readModels.keySet());
    }

    /** Starts rebuilding; answers the current status (the running one's, if a rebuild is already running). */
    public synchronized RebuildStatus start(String readModel) {
        ReadModelTables tables = readModel(readModel);
        RebuildStatus current = statuses.get(readModel);
        if (current != null && !current.finished()) {
            return current;
        }
        long total = headPosition();
        Instant started = clock.instant();
        RebuildStatus preparing = new RebuildStatus(readModel, RebuildStatus.State.PREPARING, 0, total, 0, null,
                started, null, "creating the shadow tables");
        statuses.put(readModel, preparing);
        runner.submit(() -> run(tables, total, started));
        return preparing;
    }

    public Optional<RebuildStatus> status(String readModel) {
        readModel(readModel);
        return Optional.ofNullable(statuses.get(readModel));
    }

    /** Events stored but not yet applied by the read model's processor (its slowest segment). */
    public long lag(String readModel) {
        ReadModelTables tables = readModel(readModel);
        StreamingEventProcessor processor = processor(tables);
        long head = headPosition();
        long lag = processor.processingStatus().values().stream()
                .mapToLong(s -> head - position(s))
                .max().orElse(head);
        // a segment whose batch failed and could not be isolated has no status while Axon waits to retry it: it
        // still stands where its token is (ADR 0022)
        for (BatchIsolation.Stopped stopped : isolation.stopped(tables.processingGroup()).values()) {
            lag = Math.max(lag, head - stopped.position());
        }
        return lag;
    }

    /**
     * The position up to which the read model's processor has applied every event (its slowest segment; 0 while
     * it has claimed none): an event at or below it is in the read model or parked in its dead-letter queue.
     */
    public long appliedPosition(String readModel) {
        ReadModelTables tables = readModel(readModel);
        long applied = processor(tables).processingStatus().values().stream()
                .mapToLong(ReadModelRebuilds::position).min().orElse(0);
        // a stopped segment has no status while Axon waits to retry it, and stands where its token is (ADR 0022)
        for (BatchIsolation.Stopped stopped : isolation.stopped(tables.processingGroup()).values()) {
            applied = Math.min(applied, stopped.position());
        }
        return applied;
    }

    /** Whether a rebuild of the read model is running (its live tables are then as of the rebuild's start). */
    public boolean rebuilding(String readModel) {
        RebuildStatus status = statuses.get(readModel(readModel).readModel());
        return status != null && !status.finished();
    }

    private void run(ReadModelTables tables, long total, Instant started) {
        String name = tables.readModel();
        StreamingEventProcessor processor = processor(tables);
        // where the live tables were when the processor stopped for the rebuild: a failed rebuild resumes from there
        Map<Integer, TrackingToken> liveTokens = new LinkedHashMap<>();
        try {
            List<String> deferredIndexes = new ArrayList<>();
            transaction.executeWithoutResult(status -> {
                for (String table : tables.tables()) {
                    String shadow = ReadModelTables.shadowOf(table);
                    db.execute("DROP TABLE IF EXISTS " + DSL.name(shadow));
                    db.execute("CREATE TABLE " + DSL.name(shadow) + " (LIKE " + DSL.name(table) + " INCLUDING ALL)");
                    if (tables.deferred() == ReadModelTables.Deferred.ALL_INDEXES) {
                        deferredIndexes.addAll(dropConstraints(shadow));
                    }
                    if (tables.deferred() != ReadModelTables.Deferred.NOTHING) {
                        deferredIndexes.addAll(dropIndexes(shadow, tables.deferred()));
                    }
                }
            });
            processor.shutDown();
            liveTokens.putAll(tokens(processor));
            tables.writeToShadow(true);
            // The replay applies every event again, so the letters parked by the old tables are dropped: left in
            // place, they would park each of their customers' replayed events behind them.
            processing.deadLetterQueue(tables.processingGroup()).ifPresent(queue -> queue.clear());
            EventHandlerInvoker handlers = handlersOf(processor);
            handlers.performReset();
            log.info("rebuilding read model {} from {} stored events", name, total);
            ShadowStatistics statistics = new ShadowStatistics(tables);
            TrackingToken reached = bulk.replay(handlers, total, position -> {
                statuses.put(name, progress(name, RebuildStatus.State.REPLAYING, Math.min(position, total), total,
                        started, "replaying into the shadow tables; the live tables keep answering"));
                statistics.replayedUpTo(position);
            });
            storeTokens(processor, reached);
            // the processor goes on from the last event replayed: it applies what was stored meanwhile
            processor.start();
            while (true) {
                Map<Integer, EventTrackerStatus> segments = processor.processingStatus();
                long done = segments.isEmpty() ? 0 : segments.values().stream()
                        .mapToLong(ReadModelRebuilds::position).min().orElse(0);
                // the processor resumed after the replayed events: the rebuild is complete once every segment is
                // caught up and has passed the head position of the moment the rebuild started
                boolean caughtUp = !segments.isEmpty() && segments.values().stream()
                        .allMatch(s -> s.isCaughtUp() && s.getError() == null)
                        && done >= total;
                statuses.put(name, progress(name, RebuildStatus.State.REPLAYING, Math.min(done, total), total,
                        started, "replaying into the shadow tables; the live tables keep answering (segments "
                                + describe(segments) + ")"));
                if (caughtUp) {
                    break;
                }
                if (!processor.isRunning()) {
                    throw new IllegalStateException("the processor stopped during the replay");
                }
                segments.values().stream().filter(s -> s.getError() != null).findFirst().ifPresent(s -> {
                    throw new IllegalStateException("the processor failed: " + s.getError());
                });
                Thread.sleep(200);
            }
            statuses.put(name, progress(name, RebuildStatus.State.SWITCHING, total, total, started,
                    "building the rebuilt tables' " + deferredIndexes.size() + " deferred indexes, then switching"));
            for (String index : deferredIndexes) {
                transaction.executeWithoutResult(status -> {
                    // a sort in memory rather than on disk for indexes over millions of rows
                    db.execute("SET LOCAL maintenance_work_mem = '" + INDEX_BUILD_MEMORY + "'");
                    db.execute(index);
                });
            }
            statuses.put(name, progress(name, RebuildStatus.State.SWITCHING, total, total, started,
                    "switching to the rebuilt tables"));
            processor.shutDown();
            try {
                transaction.executeWithoutResult(status -> {
                    tables.complete(db);
                    // the tables switched to are built with the version the projection declares
                    versions.record(name, versions.declared(tables));
                    // the planner's statistics of the finished tables, which the queries will be planned with
                    analyzeShadowTables(tables);
                    for (String table : tables.tables()) {
                        String old = table + "__old";
                        db.execute("ALTER TABLE " + DSL.name(table) + " RENAME TO " + DSL.name(old));
                        db.execute("ALTER TABLE " + DSL.name(ReadModelTables.shadowOf(table)) + " RENAME TO "
                                + DSL.name(table));
                        db.execute("DROP TABLE " + DSL.name(old));
                    }
                });
                tables.writeToShadow(false);
            } finally {
                processor.start();
            }
            Instant finished = clock.instant();
            RebuildStatus done = progress(name, RebuildStatus.State.DONE, total, total, started, "rebuilt from "
                    + total + " events in " + Duration.between(started, finished).toMillis() + " ms");
            statuses.put(name, new RebuildStatus(name, done.state(), total, total, done.eventsPerSecond(), 0L,
                    started, finished, done.message()));
            log.info("read model {}: {}", name, done.message());
        } catch (Exception e) {
            log.error("rebuilding read model {} failed", name, e);
            RebuildStatus last = statuses.get(name);
            statuses.put(name, new RebuildStatus(name, RebuildStatus.State.FAILED, last.eventsDone(), total,
                    last.eventsPerSecond(), null, started, clock.instant(), "the rebuild failed: " + e.getMessage()
                    + "; the live tables were left as they were and go on from where they were, start the rebuild "
                    + "again"));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (tables.writingToShadow()) {
                // the processor wrote the shadow tables since the rebuild began: it goes back to the live ones and
                // to where they were, and applies again what was stored since (the projections are replay-safe)
                processor.shutDown();
                tables.writeToShadow(false);
                restoreTokens(processor, liveTokens);
            }
            if (!processor.isRunning()) {
                processor.start();
            }
        }
    }

    /** The processor's token of every segment (the processor shut down). */
    private Map<Integer, TrackingToken> tokens(StreamingEventProcessor processor) {
        Map<Integer, TrackingToken> tokens = new LinkedHashMap<>();
        transaction.executeWithoutResult(status -> {
            for (int segment : tokenStore.fetchSegments(processor.getName())) {
                tokens.put(segment, tokenStore.fetchToken(processor.getName(), segment));
                tokenStore.releaseClaim(processor.getName(), segment);
            }
        });
        return tokens;
    }

    private void restoreTokens(StreamingEventProcessor processor, Map<Integer, TrackingToken> tokens) {
        transaction.executeWithoutResult(status -> tokens.forEach((segment, token) -> {
            tokenStore.storeToken(token, processor.getName(), segment);
            tokenStore.releaseClaim(processor.getName(), segment);
        }));
    }

    /**
     * Drops the shadow table's indexes that serve only queries — not its primary key or unique constraints, which the
     * projections' upserts need — or, for {@link ReadModelTables.Deferred#ALL_INDEXES}, every index left once its
     * constraints are dropped; answers their definitions. They are built once the replay is done: one sorted build
     * per index instead of an index update for every row written during the replay.
     */
    private List<String> dropIndexes(String shadow, ReadModelTables.Deferred deferred) {
        List<String> definitions = new ArrayList<>();
        db.fetch("SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition "
                        + "FROM pg_index i WHERE i.indrelid = ?::regclass "
                        + (deferred == ReadModelTables.Deferred.ALL_INDEXES ? ""
                        : "AND NOT i.indisunique AND NOT i.indisprimary"),
                        DSL.name(shadow).toString())
                .forEach(index -> {
                    db.execute("DROP INDEX " + index.get("name", String.class));
                    definitions.add(index.get("definition", String.class));
                });
        return definitions;
    }

    /**
     * Drops the shadow table's primary key and unique constraints (and so their indexes), and answers the
     * statements that add them again.
     */
    private List<String> dropConstraints(String shadow) {
        List<String> definitions = new ArrayList<>();
        db.fetch("SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint "
                        + "WHERE conrelid = ?::regclass AND contype IN ('p', 'u') ORDER BY contype, conname",
                        DSL.name(shadow).toString())
                .forEach(constraint -> {
                    String name = DSL.name(constraint.get("name", String.class)).toString();
                    db.execute("ALTER TABLE " + DSL.name(shadow) + " DROP CONSTRAINT " + name);
                    definitions.add("ALTER TABLE " + DSL.name(shadow) + " ADD CONSTRAINT " + name + " "
                            + constraint.get("definition", String.class));
                });
        return definitions;
    }

    /**
     * Keeps the planner's statistics of the shadow tables up to date while they grow from empty: without them it
     * plans a chunk's lookups (its customers' rows by id) as sequential scans, whose cost grows with the table —
     * the first 70,000 events of a million took a minute (docs/benchmarks.md). They are analysed after 10,000 events replayed, then
     * each time the number doubles: about a dozen times over ten million events.
     */
    private final class ShadowStatistics {
        private final ReadModelTables tables;
        private long next = 10_000;

        ShadowStatistics(ReadModelTables tables) {
            this.tables = tables;
        }

        synchronized void replayedUpTo(long position) {
            if (position < next) {
                return;
            }
            next = Math.max(next * 2, position);
            analyzeShadowTables(tables);
        }
    }

    private void analyzeShadowTables(ReadModelTables tables) {
        for (String table : tables.tables()) {
            db.execute("ANALYZE " + DSL.name(ReadModelTables.shadowOf(table)));
        }
    }

    /** The read model's event handlers, as its processor invokes them (with its dead-letter queue). */
    private static EventHandlerInvoker handlersOf(StreamingEventProcessor processor) {
        if (processor instanceof AbstractEventProcessor handlers) {
            return handlers.eventHandlerInvoker();
        }
        throw new IllegalStateException("processor " + processor.getName() + " does not expose its event handlers");
    }

    /** Every segment of the processor resumes after {@code token} ({@code null}: from the first event). */
    private void storeTokens(StreamingEventProcessor processor, TrackingToken token) {
        transaction.executeWithoutResult(status -> {
            for (int segment : tokenStore.fetchSegments(processor.getName())) {
                tokenStore.storeToken(token, processor.getName(), segment);
                tokenStore.releaseClaim(processor.getName(), segment);
            }
        });
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        runner.shutdownNow();
    }

    private RebuildStatus progress(String name, RebuildStatus.State state, long done, long total, Instant started,
                                   String message) {
        double seconds = Math.max(Duration.between(started, clock.instant()).toMillis(), 1) / 1000.0;
        double rate = done / seconds;
        Long eta = rate > 0 && done > 0 ? Math.round((total - done) / rate) : null;
        return new RebuildStatus(name, state, done, total, rate, eta, started, null, message);
    }

    private static String describe(Map<Integer, EventTrackerStatus> segments) {
        return segments.entrySet().stream().map(e -> e.getKey() + ": at " + position(e.getValue())
                        + (e.getValue().isReplaying() ? ", replaying" : "")
                        + (e.getValue().isCaughtUp() ? ", caught up" : "")
                        + (e.getValue().getError() != null ? ", failed: " + e.getValue().getError() : ""))
                .collect(Collectors.joining("; "));
    }

    private static long position(EventTrackerStatus status) {
        return status.getCurrentPosition().orElse(0L);
    }

    private long headPosition() {
        TrackingToken head = events.createHeadToken();
        return head == null ? 0 : head.position().orElse(0L);
    }

    private StreamingEventProcessor processor(ReadModelTables tables) {
        return processing.eventProcessor(tables.processingGroup(), StreamingEventProcessor.class)
                .orElseThrow(() -> new IllegalStateException("no streaming processor for " + tables.readModel()));
    }

    private ReadModelTables readModel(String name) {
        ReadModelTables tables = readModels.get(name);
        if (tables == null) {
            throw new UnknownReadModelException(name, readModels.keySet().stream().collect(Collectors.joining(", ")));
        }
        return tables;
    }

    /** A rebuild asked for a read model that does not exist. */
    public static class UnknownReadModelException extends IllegalArgumentException {
        public UnknownReadModelException(String name, String known) {
            super("no read model '" + name + "'; read models are " + known);
        }
    }
}
