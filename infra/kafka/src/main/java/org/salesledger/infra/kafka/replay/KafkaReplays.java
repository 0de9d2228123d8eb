package org.salesledger.infra.kafka.replay;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.salesledger.infra.kafka.ActionEnvelope;
import org.salesledger.infra.kafka.ActionTopics;
import org.salesledger.infra.kafka.KafkaClients;
import org.salesledger.infra.kafka.KafkaSettings;
import org.salesledger.infra.kafka.KafkaUnavailableException;
import org.salesledger.kernel.CustomerAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Republishes history into a topic of its own, for an integrator who arrives late: every action stored from a given
 * moment up to the moment the replay starts, in stored order (so each customer's order holds), as the same envelopes
 * the live topic carries.
 *
 * <p>It reads the event store directly with a producer of its own, so the live relay goes on undisturbed. It refuses
 * the live topic unless forced: that would send every action again to everyone who reads it. Records go out in chunks
 * whose acknowledgements are awaited; when Kafka fails a chunk, the replay discards its producer and goes on from
 * the last acknowledged chunk with a new one (a few times, then it fails): repeats, never gaps.
 *
 * <p>Replays are kept in PostgreSQL ({@code kafka_replay_job}, ADR 0037): one runs at a time over all command nodes,
 * any node answers their status, and the node running one writes its heartbeat every fifth of
 * {@code salesledger.kafka.replay.heartbeat-timeout} and its resume point after every acknowledged chunk. A replay
 * whose heartbeat is older than the timeout — its node died, or was stopped — is taken over by the first command node
 * to notice (its own after a restart, if it is the only one) and goes on from its last acknowledged chunk: the chunk
 * that was in flight is sent again (repeats, as after a Kafka failure), nothing is skipped. A replay taken over before
 * it had counted its events starts again from its beginning.
 */
public class KafkaReplays implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaReplays.class);
    private static final byte[] CONTENT_TYPE = ActionEnvelope.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);
    private static final int KEPT = 50;
    private static final int ATTEMPTS = 5;

    private final KafkaClients clients;
    private final ActionTopics topics;
    private final EventStorageEngine storage;
    private final JdbcTemplate jdbc;
    private final EventSchema schema;
    private final Serializer serializer;
    private final Clock clock;
    private final Duration ackTimeout;
    private final int chunkSize;
    private final Duration heartbeatTimeout;
    private final String node;
    private final ReplayJobs jobs;
    /** The replays this node runs, by id. */
    private final Set<String> mine = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "kafka-replay");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "kafka-replay-heartbeat");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param node the name this node runs replays under, unique among the command nodes
     */
    public KafkaReplays(KafkaClients clients, ActionTopics topics, EventStorageEngine storage, JdbcTemplate jdbc,
                        EventSchema schema, Serializer serializer, Duration ackTimeout, KafkaSettings.Replay settings,
                        String node, Clock clock) {
        this.clients = clients;
        this.topics = topics;
        this.storage = storage;
        this.jdbc = jdbc;
        this.schema = schema;
        this.serializer = serializer;
        this.ackTimeout = ackTimeout;
        this.chunkSize = settings.chunkSize();
        this.heartbeatTimeout = settings.heartbeatTimeout();
        this.node = node;
        this.clock = clock;
        this.jobs = new ReplayJobs(jdbc, clock);
        long beat = Math.max(100, heartbeatTimeout.toMillis() / 5);
        heartbeat.scheduleWithFixedDelay(this::beatAndTakeOver, beat, beat, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a replay of everything stored at or after {@code from} ({@code null}: everything) into {@code topic}.
     *
     * @throws ReplayRefusedException for an invalid topic name, the live topic without {@code force}, or while
     *                                another replay runs (on any node)
     */
    public synchronized ReplayStatus start(String topic, Instant from, boolean force) {
        ActionTopics.problemWithName(topic).ifPresent(problem -> {
            throw new ReplayRefusedException(ReplayRefusedException.Reason.INVALID, "topic", problem);
        });
        if (topic.equals(clients.settings().topic()) && !force) {
            throw new ReplayRefusedException(ReplayRefusedException.Reason.CONFLICT, "topic", "'" + topic
                    + "' is the live topic: republishing into it sends every action again to every integrator "
                    + "that reads it. Replay into a topic of the new integrator's own; if you really mean the "
                    + "live topic, send \"force\": true");
        }
        String id = UUID.randomUUID().toString();
        ReplayJobs.Job job = jobs.insert(id, topic, from, force, node).orElseThrow(() -> {
            ReplayStatus other = jobs.running().map(this::status).orElse(null);
            return new ReplayRefusedException(ReplayRefusedException.Reason.CONFLICT, "topic", other == null
                    ? "another replay has just started; start this one when it is done"
                    : "replay " + other.id() + " into " + other.topic() + " is still running (" + other.eventsDone()
                    + " of " + other.eventsTotal() + " events); start this one when it is done");
        });
        mine.add(id);
        runner.submit(() -> run(job));
        return status(job);
    }

    /** The replay's status, as any node sees it. */
    public Optional<ReplayStatus> status(String id) {
        return jobs.find(id).map(this::status);
    }

    /** The latest replays (of every node), the latest first. */
    public List<ReplayStatus> all() {
        return jobs.latest(KEPT).stream().map(this::status).toList();
    }

    /** Writes the heartbeat of this node's replays, and takes over one whose node stopped writing its own. */
    private void beatAndTakeOver() {
        try {
            if (closing) {
                return;
            }
            if (!mine.isEmpty()) {
                jobs.beat(node);
            }
            jobs.takeOverStale(node, heartbeatTimeout).ifPresent(job -> {
                log.warn("replay {} into {}: its node stopped writing its heartbeat; this node ({}) goes on "
                        + "from event {} of {}", job.id(), job.topic(), node, job.eventsDone(), job.eventsTotal());
                mine.add(job.id());
                runner.submit(() -> run(job));
            });
        } catch (RuntimeException e) {
            log.warn("the Kafka replays' heartbeat failed: {}", e.toString());
        }
    }

    private void run(ReplayJobs.Job job) {
        Progress progress = new Progress(job);
        try {
            TrackingToken start;
            long head;
            if (job.headPosition() == null) {
                start = job.from() == null ? storage.createTailToken() : storage.createTokenAt(job.from());
                head = position(storage.createHeadToken(), 0);
                Long total = jdbc.queryForObject("SELECT count(*) FROM " + schema.domainEventTable() + " WHERE "
                        + schema.globalIndexColumn() + " > ? AND " + schema.globalIndexColumn() + " <= ?", Long.class,
                        position(start, -1), head);
                progress.total = total == null ? 0 : total;
                progress.resumeAt = start;
                if (!jobs.counted(job.id(), node, head, progress.total)) {
                    throw new LostReplay();
                }
            } else {
                head = job.headPosition();
                progress.resumeAt = job.resumeToken() == null
                        ? (job.from() == null ? storage.createTailToken() : storage.createTokenAt(job.from()))
                        : serializer.deserialize(new SimpleSerializedObject<>(job.resumeToken(), byte[].class,
                                job.resumeTokenType(), null));
            }
            ActionTopics.Topic topic = topics.ensure(job.topic());
            log.info("replaying {} stored events into {} (from {}; {} done)", progress.total, topic.name(),
                    job.from() == null ? "the first event" : job.from(), progress.eventsDone);
            for (int attempt = 1; ; attempt++) {
                Producer<String, byte[]> producer = clients.producer("salesledger-replay-" + job.id() + "-"
                        + job.takeovers() + "-" + attempt);
                try {
                    publish(progress, topic, head, producer);
                    producer.close(Duration.ofSeconds(5));
                    break;
                } catch (KafkaUnavailableException e) {
                    // a producer that failed is not used again; what it wrote of each partition is a prefix
                    producer.close(Duration.ZERO);
                    if (attempt == ATTEMPTS) {
                        throw e;
                    }
                    log.warn("replay {}: {}; trying again from event {} (attempt {} of {})", job.id(),
                            e.getMessage(), progress.eventsDone, attempt + 1, ATTEMPTS);
                    Thread.sleep(1000L << Math.min(attempt, 5));
                }
            }
            String message = "republished " + progress.published + " actions of " + progress.eventsDone
                    + " stored events into " + topic.name() + (progress.skipped > 0 ? "; " + progress.skipped
                    + " events could not be turned into an envelope and were skipped (see the log)" : "");
            jobs.finish(job.id(), node, ReplayStatus.State.DONE, message);
            log.info("replay {}: {}", job.id(), message);
        } catch (LostReplay e) {
            log.warn("replay {} into {} is run by another node now; this node stops it", job.id(), job.topic());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (closing) {
                // stopped with this node: left running in its table, for another node (or this one after a
                // restart) to take over once its heartbeat is old
                log.info("replay {} into {} stopped with this node at event {}; it goes on elsewhere", job.id(),
                        job.topic(), progress.eventsDone);
                return;
            }
            jobs.finish(job.id(), node, ReplayStatus.State.FAILED, "the replay failed after " + progress.eventsDone
                    + " events: " + e.getMessage() + "; start it again (a consumer drops the repeats by id)");
            log.error("replay {} into {} failed", job.id(), job.topic(), e);
        } finally {
            if (!closing) {
                mine.remove(job.id());
            }
        }
    }

    /**
     * Sends everything from {@code progress.resumeAt} up to {@code head}, in chunks: each chunk's acknowledgements are
     * awaited before the next is read, and only then does the resume point move past it.
     */
    private void publish(Progress progress, ActionTopics.Topic topic, long head, Producer<String, byte[]> producer)
            throws InterruptedException {
        List<Future<RecordMetadata>> chunk = new ArrayList<>(Math.min(chunkSize, 10_000));
        long chunkEvents = 0;
        TrackingToken chunkEnd = progress.resumeAt;
        try (Stream<? extends TrackedEventMessage<?>> stream = storage.readEvents(progress.resumeAt, false)) {
            Iterator<? extends TrackedEventMessage<?>> events = stream.iterator();
            while (events.hasNext()) {
                TrackedEventMessage<?> event = events.next();
                if (position(event.trackingToken(), Long.MAX_VALUE) > head) {
                    break;
                }
                chunkEvents++;
                chunkEnd = event.trackingToken();
                if (CustomerAction.class.isAssignableFrom(event.getPayloadType())) {
                    ProducerRecord<String, byte[]> record = record(topic, event, progress);
                    if (record != null) {
                        chunk.add(producer.send(record));
                    }
                }
                if (chunkEvents == chunkSize) {
                    acknowledge(progress, chunk, chunkEvents, chunkEnd);
                    chunk.clear();
                    chunkEvents = 0;
                }
            }
        }
        acknowledge(progress, chunk, chunkEvents, chunkEnd);
    }

    private void acknowledge(Progress progress, List<Future<RecordMetadata>> chunk, long events, TrackingToken end)
            throws InterruptedException {
        long deadline = System.nanoTime() + ackTimeout.toNanos();
        try {
            for (Future<RecordMetadata> ack : chunk) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new KafkaUnavailableException("Kafka refused a record: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new KafkaUnavailableException("Kafka did not acknowledge " + chunk.size() + " records within "
                    + ackTimeout.toSeconds() + " s", e);
        }
        progress.published += chunk.size();
        progress.eventsDone += events;
        progress.resumeAt = end;
        SerializedObject<byte[]> token = serializer.serialize(end, byte[].class);
        if (!jobs.acknowledged(progress.id, node, progress.eventsDone, progress.published, progress.skipped,
                token.getData(), token.getType().getName())) {
            throw new LostReplay();
        }
    }

    private ProducerRecord<String, byte[]> record(ActionTopics.Topic topic, TrackedEventMessage<?> event,
                                                  Progress progress) {
        try {
            CustomerAction action = (CustomerAction) event.getPayload();
            long sequence = event instanceof DomainEventMessage<?> d ? d.getSequenceNumber() : -1;
            byte[] value = ActionEnvelope.bytes(ActionEnvelope.of(action, event.getMetaData(), event.getIdentifier(),
                    sequence, event.getTimestamp()));
            if (value.length > topic.maxRecordBytes()) {
                throw new IllegalStateException("its envelope is " + value.length + " bytes, more than the topic takes");
            }
            return new ProducerRecord<>(topic.name(), null, action.customerId().value(), value,
                    List.of(new RecordHeader(ActionEnvelope.CONTENT_TYPE_HEADER, CONTENT_TYPE)));
        } catch (RuntimeException e) {
            progress.skipped++;
            log.error("replay {}: stored event {} skipped: {}", progress.id, event.getIdentifier(), e.toString());
            return null;
        }
    }

    private static long position(TrackingToken token, long fallback) {
        return token == null ? fallback : token.position().orElse(fallback);
    }

    /**
     * Stops this node's replays, leaving them running in their table: another node takes them over when their
     * heartbeat is old.
     */
    @Override
    public void close() {
        closing = true;
        heartbeat.shutdownNow();
        runner.shutdownNow();
    }

    private ReplayStatus status(ReplayJobs.Job job) {
        Instant until = job.finishedAt() != null ? job.finishedAt() : clock.instant();
        double seconds = Math.max(Duration.between(job.startedAt(), until).toMillis(), 1) / 1000.0;
        long done = job.eventsDone();
        double rate = done / seconds;
        Long eta = job.state() == ReplayStatus.State.DONE ? Long.valueOf(0)
                : rate > 0 && job.eventsTotal() > 0 ? Math.round(Math.max(0, job.eventsTotal() - done) / rate) : null;
        String text = job.state() == ReplayStatus.State.PUBLISHING
                ? "republishing into " + job.topic() + " (node " + job.node() + (job.takeovers() > 0 ? ", taken over "
                + job.takeovers() + " time(s) from a node that stopped" : "") + "); the live relay goes on undisturbed"
                : job.message();
        return new ReplayStatus(job.id(), job.topic(), job.from(), job.state(), done, job.eventsTotal(),
                job.published(), job.skipped(), rate, eta, job.startedAt(), job.finishedAt(), text);
    }

    /** The node's writes to the replay's row found it run by another node (this one was taken for dead). */
    private static final class LostReplay extends RuntimeException {
        LostReplay() {
            super("the replay is run by another node now", null, false, false);
        }
    }

    /** A replay's progress on this node, written by its one thread. */
    private static final class Progress {
        final String id;
        long total;
        long eventsDone;
        long published;
        long skipped;
        TrackingToken resumeAt;

        Progress(ReplayJobs.Job job) {
            this.id = job.id();
            this.total = job.eventsTotal();
            this.eventsDone = job.eventsDone();
            this.published = job.published();
            this.skipped = job.skipped();
        }
    }
}
