package org.salesledger.projections.rebuild;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.salesledger.infra.platform.SegmentCaps;
import org.salesledger.projections.isolation.BatchIsolation;
import org.springframework.beans.factory.ObjectProvider;
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
 *
 * <p>Several query nodes (ADR 0037): rebuilds are kept in {@code read_model_rebuild_job}, so any node answers their
 * status and a second node asked to rebuild a read model that is being rebuilt answers the running rebuild. While a
 * node rebuilds a read model, every other node pauses its processor of that read model (its watcher looks every
 * fifth of {@code salesledger.rebuild.heartbeat-timeout}), and the rebuilding node lifts its cap on segments, so that it
 * alone applies every segment into the shadow tables; the others start their processors again once the rebuild has
 * ended. A rebuild whose node stops writing its heartbeat (it died, or was stopped) is taken over by another query
 * node — or by its own after a restart: the tokens of the live tables are put back where they stood when the rebuild
 * took them over (kept in {@code read_model_rebuild_token}), and the rebuild starts again from the first event into
 * fresh shadow tables; the live tables answer meanwhile, as they did.
 */
@EnableConfigurationProperties(RebuildSettings.class)
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
    private final Serializer serializer;
    private final RebuildJobs jobs;
    private final String node;
    private final Duration heartbeatTimeout;
    private final Duration claimTimeout;
    private final SegmentCaps caps;
    /** The read models this node rebuilds: their job ids. */
    private final Map<String, String> mine = new ConcurrentHashMap<>();
    /** The read models whose processor this node paused for another node's rebuild. */
    private final Set<String> pausedForOthers = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "read-model-rebuild-watcher");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "read-model-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    public ReadModelRebuilds(List<ReadModelTables> readModels, EventProcessingConfiguration processing,
                             EventStore events, EventStorageEngine storage, TokenStore tokenStore, DSLContext db,
                             TransactionTemplate transaction, Clock clock, BatchIsolation isolation,
                             Environment environment, Serializer serializer, ObjectProvider<SegmentCaps> caps,
                             RebuildSettings settings) {
        Duration heartbeatTimeout = settings.heartbeatTimeout();
        readModels.forEach(m -> this.readModels.put(m.readModel(), m));
        this.processing = processing;
        this.events = events;
        this.db = db;
        this.transaction = transaction;
        this.clock = clock;
        this.tokenStore = tokenStore;
        this.isolation = isolation;
        this.bulk = new BulkReplay(storage, transaction, settings.chunkSize(), settings.threads());
        this.versions = new SchemaVersions(db, environment, this.readModels.values());
        this.serializer = serializer;
        this.jobs = new RebuildJobs(db);
        String name = environment.getProperty("salesledger.processing.node-name", "");
        this.node = name.isBlank() ? java.lang.management.ManagementFactory.getRuntimeMXBean().getName() : name;
        this.heartbeatTimeout = heartbeatTimeout;
        this.claimTimeout = environment.getProperty("axon.eventhandling.tokenstore.claim-timeout", Duration.class,
                Duration.ofSeconds(10));
        this.caps = caps.getIfAvailable(() -> new SegmentCaps(Short.MAX_VALUE));
        if (heartbeatTimeout.toMillis() < 500) {
            throw new IllegalArgumentException("salesledger.rebuild.heartbeat-timeout must be at least 500ms; got "
                    + heartbeatTimeout);
        }
    }

    /** From the start on: this node's heartbeat, pausing for other nodes' rebuilds, taking over stale ones. */
    @EventListener(ApplicationReadyEvent.class)
    public void watchOtherNodes() {
        long every = Math.max(100, heartbeatTimeout.toMillis() / 5);
        watcher.scheduleWithFixedDelay(this::watch, 0, every, TimeUnit.MILLISECONDS);
    }

    private void watch() {
        if (closing) {
            return;
        }
        try {
            if (!mine.isEmpty()) {
                jobs.beat(node);
            }
            Map<String, RebuildJobs.Job> running = transaction.execute(status -> jobs.running());
            for (RebuildJobs.Job job : running.values()) {
                ReadModelTables tables = readModels.get(job.readModel());
                if (tables != null && !job.node().equals(node) && pausedForOthers.add(job.readModel())) {
                    log.info("read model {}: node {} rebuilds it; this node's processor pauses meanwhile",
                            job.readModel(), job.node());
                    processor(tables).shutDown();
                }
            }
            for (String readModel : Set.copyOf(pausedForOthers)) {
                RebuildJobs.Job job = running.get(readModel);
                if (job == null || job.node().equals(node)) {
                    pausedForOthers.remove(readModel);
                    if (job == null) {
                        log.info("read model {}: the rebuild on another node has ended; this node's processor "
                                + "goes on", readModel);
                        processor(readModels.get(readModel)).start();
                    }
                }
            }
            for (RebuildJobs.Job job : transaction.execute(status -> jobs.takeOverStale(node, heartbeatTimeout))) {
                ReadModelTables tables = readModels.get(job.readModel());
                if (tables == null) {
                    continue;
                }
                log.warn("read model {}: the node rebuilding it stopped writing its heartbeat; this node ({}) "
                        + "rebuilds it again from the first event", job.readModel(), node);
                mine.put(job.readModel(), job.id());
                long total = headPosition();
                runner.submit(() -> run(tables, job.id(), total, job.startedAt()));
            }
        } catch (RuntimeException e) {
            log.warn("the read-model rebuilds' watcher failed: {}", e.toString());
        }
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
        long total = headPosition();
        Instant started = clock.instant();
        String id = UUID.randomUUID().toString();
        if (!Boolean.TRUE.equals(transaction.execute(status -> jobs.insert(id, readModel, node, started, total)))) {
            // running already, here or on another node: that rebuild's status
            return status(readModel).orElseThrow();
        }
        RebuildStatus preparing = new RebuildStatus(readModel, RebuildStatus.State.PREPARING, 0, total, 0, null,
                started, null, "creating the shadow tables");
        statuses.put(readModel, preparing);
        mine.put(readModel, id);
        runner.submit(() -> run(tables, id, total, started));
        return preparing;
    }

    /** The latest rebuild of the read model, run by any node. */
    public Optional<RebuildStatus> status(String readModel) {
        readModel(readModel);
        return transaction.execute(status -> jobs.latest(readModel));
    }

    /**
     * Events stored but not yet applied by the read model's processor: its slowest segment, whichever node holds it
     * (this node's segments as they run, the others' tokens stored in {@code token_entry}).
     */
    public long lag(String readModel) {
        ReadModelTables tables = readModel(readModel);
        StreamingEventProcessor processor = processor(tables);
        long head = headPosition();
        Map<Integer, EventTrackerStatus> running = processor.processingStatus();
        long lag = running.values().stream()
                .mapToLong(s -> head - position(s))
                .max().orElse(0);
        Map<Integer, Long> stored = storedPositions(processor.getName());
        // no token stored yet: the processor has applied nothing
        long othersLowest = stored.isEmpty() ? 0
                : others(stored, running).stream().mapToLong(Long::longValue).min().orElse(head);
        lag = Math.max(lag, head - othersLowest);
        // a segment whose batch failed and could not be isolated has no status while Axon waits to retry it: it
        // still stands where its token is (ADR 0022)
        for (BatchIsolation.Stopped stopped : isolation.stopped(tables.processingGroup()).values()) {
            lag = Math.max(lag, head - stopped.position());
        }
        return lag;
    }

    /**
     * The position up to which the read model's processor has applied every event (its slowest segment, whichever
     * node holds it: the lowest token stored in {@code token_entry}, or lower if one of this node's segments stands
     * lower; 0 before its tokens exist): an event at or below it is in the read model or parked in its dead-letter
     * queue.
     */
    public long appliedPosition(String readModel) {
        ReadModelTables tables = readModel(readModel);
        StreamingEventProcessor processor = processor(tables);
        Map<Integer, EventTrackerStatus> running = processor.processingStatus();
        Map<Integer, Long> stored = storedPositions(processor.getName());
        if (running.isEmpty() && stored.isEmpty()) {
            return 0;
        }
        long applied = others(stored, running).stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
        applied = Math.min(applied, running.values().stream()
                .mapToLong(ReadModelRebuilds::position).min().orElse(Long.MAX_VALUE));
        // a stopped segment has no status while Axon waits to retry it, and stands where its token is (ADR 0022)
        for (BatchIsolation.Stopped stopped : isolation.stopped(tables.processingGroup()).values()) {
            applied = Math.min(applied, stopped.position());
        }
        return applied;
    }

    /**
     * Whether a rebuild of the read model is running, on any node (its live tables are then as of the rebuild's
     * start).
     */
    public boolean rebuilding(String readModel) {
        readModel(readModel);
        return status(readModel).map(s -> !s.finished()).orElse(false);
    }

    private void run(ReadModelTables tables, String jobId, long total, Instant started) {
        String name = tables.readModel();
        StreamingEventProcessor processor = processor(tables);
        // where the live tables were when the processor stopped for the rebuild: a failed rebuild resumes from there
        Map<Integer, TrackingToken> liveTokens = new LinkedHashMap<>();
        Reporter statuses = new Reporter(jobId);
        try {
            statuses.put(name, new RebuildStatus(name, RebuildStatus.State.PREPARING, 0, total, 0, null, started,
                    null, "creating the shadow tables"));
            // a rebuild taken over from a node that stopped: the live tables' tokens back where they stood
            Map<Integer, RebuildJobs.StoredToken> kept = transaction.execute(status -> jobs.liveTokens(jobId));
            processor.shutDown();
            awaitOtherNodesPaused(processor);
            if (!kept.isEmpty()) {
                Map<Integer, TrackingToken> restored = new LinkedHashMap<>();
                kept.forEach((segment, token) -> restored.put(segment, token.token() == null ? null
                        : serializer.deserialize(new SimpleSerializedObject<>(token.token(), byte[].class,
                        token.type(), null))));
                restoreTokens(processor, restored);
                tables.writeToShadow(false);
            }
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
            liveTokens.putAll(tokens(processor));
            transaction.executeWithoutResult(status -> jobs.keepLiveTokens(jobId, stored(liveTokens)));
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
            // the processor goes on from the last event replayed: it applies what was stored meanwhile, every
            // segment on this node while the other nodes' processors of the read model pause
            caps.lift(processor.getName());
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
                caps.restore(processor.getName());
                processor.start();
            }
            Instant finished = clock.instant();
            RebuildStatus done = progress(name, RebuildStatus.State.DONE, total, total, started, "rebuilt from "
                    + total + " events in " + Duration.between(started, finished).toMillis() + " ms");
            transaction.executeWithoutResult(status -> jobs.forgetLiveTokens(jobId));
            statuses.put(name, new RebuildStatus(name, done.state(), total, total, done.eventsPerSecond(), 0L,
                    started, finished, done.message()));
            log.info("read model {}: {}", name, done.message());
        } catch (Exception e) {
            caps.restore(processor.getName());
            if (closing || e instanceof LostRebuild) {
                // stopped with this node, or taken over by another: the rebuild goes on elsewhere (its row says where
                // the live tables' tokens stood); this node writes nothing more of it
                log.info("read model {}: the rebuild stopped here ({}); it is taken over by a running node", name,
                        e.getMessage());
                if (!closing) {
                    // this node's processor stays paused until the other node's rebuild ends (the watcher starts it)
                    processor.shutDown();
                    tables.writeToShadow(false);
                }
                return;
            }
            log.error("rebuilding read model {} failed", name, e);
            RebuildStatus last = statuses.get(name);
            try {
                statuses.put(name, new RebuildStatus(name, RebuildStatus.State.FAILED,
                        last == null ? 0 : last.eventsDone(), total, last == null ? 0 : last.eventsPerSecond(), null,
                        started, clock.instant(), "the rebuild failed: " + e.getMessage() + "; the live tables were "
                                + "left as they were and go on from where they were, start the rebuild again"));
            } catch (LostRebuild lost) {
                // taken over meanwhile: the other node puts the tokens back and rebuilds; this node's processor stays
                // paused until that rebuild ends (the watcher starts it then)
                processor.shutDown();
                tables.writeToShadow(false);
                return;
            }
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
            transaction.executeWithoutResult(status -> jobs.forgetLiveTokens(jobId));
        } finally {
            if (!closing) {
                mine.remove(name);
            }
        }
    }

    /**
     * Waits (up to twice the claim timeout) until no other node holds a segment of the processor — they pause theirs
     * when they see this rebuild; a dead node's claims expire — so that this node can take every token over.
     */
    private void awaitOtherNodesPaused(StreamingEventProcessor processor) throws InterruptedException {
        long deadline = System.nanoTime() + claimTimeout.multipliedBy(2).toNanos();
        while (System.nanoTime() < deadline) {
            // a claim is held while its timestamp (Axon writes an ISO-8601 instant) is younger than the claim timeout
            Object held = db.fetchValue("SELECT count(*)::int FROM token_entry WHERE processor_name = ? AND owner IS "
                    + "NOT NULL AND owner <> ? AND timestamp::timestamptz > now() - make_interval(secs => ?)",
                    processor.getName(), node, claimTimeout.toMillis() / 1000.0);
            if (held == null || ((Number) held).intValue() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        // claims of a node that died without releasing them: taken over below once expired, or the rebuild fails
    }

    private Map<Integer, RebuildJobs.StoredToken> stored(Map<Integer, TrackingToken> tokens) {
        Map<Integer, RebuildJobs.StoredToken> stored = new LinkedHashMap<>();
        tokens.forEach((segment, token) -> {
            if (token == null) {
                stored.put(segment, new RebuildJobs.StoredToken(null, null));
            } else {
                var serialized = serializer.serialize(token, byte[].class);
                stored.put(segment, new RebuildJobs.StoredToken(serialized.getData(), serialized.getType().getName()));
            }
        });
        return stored;
    }

    /** The rebuild's progress, kept here for its rate and in its row for every node; stops it once taken over. */
    private final class Reporter {
        private final String jobId;
        private volatile RebuildStatus last;

        Reporter(String jobId) {
            this.jobId = jobId;
        }

        void put(String name, RebuildStatus status) {
            last = status;
            statuses.put(name, status);
            if (!Boolean.TRUE.equals(transaction.execute(tx -> jobs.report(jobId, node, status)))) {
                throw new LostRebuild();
            }
        }

        RebuildStatus get(String name) {
            return last;
        }
    }

    /** The node's writes to the rebuild's row found it run by another node (this one was taken for dead). */
    private static final class LostRebuild extends RuntimeException {
        LostRebuild() {
            super("the rebuild is run by another node now", null, false, false);
        }
    }

    /**
     * The position of each segment's token as stored in {@code token_entry} (0 for a segment without one), read
     * without claiming anything: segments of every node.
     */
    /**
     * The stored positions of the segments this node does not run ({@code running}): a segment it runs has its
     * position in its status, current, while its stored token moves only with a batch or a claim extension (every
     * few seconds while idle).
     */
    private static List<Long> others(Map<Integer, Long> stored, Map<Integer, EventTrackerStatus> running) {
        return stored.entrySet().stream().filter(e -> !running.containsKey(e.getKey())).map(Map.Entry::getValue)
                .toList();
    }

    /** Every segment's stored position. */
    private Map<Integer, Long> storedPositions(String processorName) {
        Map<Integer, Long> positions = new LinkedHashMap<>();
        db.fetch("SELECT segment, token, token_type FROM token_entry WHERE processor_name = ?", processorName)
                .forEach(row -> positions.put(row.get(0, Integer.class), position(row.get(1, byte[].class),
                        row.get(2, String.class))));
        return positions;
    }

    private long position(byte[] token, String type) {
        if (token == null || type == null) {
            return 0L;
        }
        TrackingToken tracking = serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
        return tracking == null ? 0L : tracking.position().orElse(0L);
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

    /**
     * Stops this node's rebuilds and its watcher (the node is stopping), leaving each rebuild running in its table:
     * another node, or this one after a restart, takes it over once its heartbeat is old.
     */
    @jakarta.annotation.PreDestroy
    public void stop() {
        closing = true;
        watcher.shutdownNow();
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
