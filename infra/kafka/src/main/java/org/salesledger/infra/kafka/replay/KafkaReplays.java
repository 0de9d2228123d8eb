package org.salesledger.infra.kafka.replay;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.salesledger.infra.kafka.ActionEnvelope;
import org.salesledger.infra.kafka.ActionTopics;
import org.salesledger.infra.kafka.KafkaClients;
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
 * the live topic unless forced: that would send every action again to everyone who reads it. One replay runs at a
 * time; the statuses of the last replays are kept in memory for this process's lifetime. Records go out in chunks
 * whose acknowledgements are awaited; when Kafka fails a chunk, the replay discards its producer and goes on from
 * the last acknowledged chunk with a new one (a few times, then it fails): repeats, never gaps.
 */
public class KafkaReplays implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaReplays.class);
    private static final byte[] CONTENT_TYPE = ActionEnvelope.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);
    private static final int KEPT = 50;
    private static final int CHUNK = 2_000;
    private static final int ATTEMPTS = 5;

    private final KafkaClients clients;
    private final ActionTopics topics;
    private final EventStorageEngine storage;
    private final JdbcTemplate jdbc;
    private final EventSchema schema;
    private final Clock clock;
    private final Duration ackTimeout;
    private final Map<String, Progress> replays = new LinkedHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "kafka-replay");
        thread.setDaemon(true);
        return thread;
    });

    public KafkaReplays(KafkaClients clients, ActionTopics topics, EventStorageEngine storage, JdbcTemplate jdbc,
                        EventSchema schema, Duration ackTimeout, Clock clock) {
        this.clients = clients;
        this.topics = topics;
        this.storage = storage;
        this.jdbc = jdbc;
        this.schema = schema;
        this.ackTimeout = ackTimeout;
        this.clock = clock;
    }

    /**
     * Starts a replay of everything stored at or after {@code from} ({@code null}: everything) into {@code topic}.
     *
     * @throws ReplayRefusedException for an invalid topic name, the live topic without {@code force}, or while
     *                                another replay runs
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
        Optional<Progress> running = replays.values().stream().filter(p -> !p.status().finished()).findFirst();
        if (running.isPresent()) {
            ReplayStatus other = running.get().status();
            throw new ReplayRefusedException(ReplayRefusedException.Reason.CONFLICT, "topic", "replay " + other.id()
                    + " into " + other.topic() + " is still running (" + other.eventsDone() + " of "
                    + other.eventsTotal() + " events); start this one when it is done");
        }
        Progress progress = new Progress(UUID.randomUUID().toString(), topic, from, clock.instant());
        replays.put(progress.id, progress);
        while (replays.size() > KEPT) {
            replays.remove(replays.keySet().iterator().next());
        }
        runner.submit(() -> run(progress));
        return progress.status();
    }

    public synchronized Optional<ReplayStatus> status(String id) {
        return Optional.ofNullable(replays.get(id)).map(Progress::status);
    }

    /** The replays of this process, the latest first. */
    public synchronized List<ReplayStatus> all() {
        List<ReplayStatus> all = new ArrayList<>();
        replays.values().forEach(p -> all.add(0, p.status()));
        return all;
    }

    private void run(Progress progress) {
        try {
            TrackingToken start = progress.from == null ? storage.createTailToken() : storage.createTokenAt(progress.from);
            long head = position(storage.createHeadToken(), 0);
            Long total = jdbc.queryForObject("SELECT count(*) FROM " + schema.domainEventTable() + " WHERE "
                    + schema.globalIndexColumn() + " > ? AND " + schema.globalIndexColumn() + " <= ?", Long.class,
                    position(start, -1), head);
            progress.total = total == null ? 0 : total;
            ActionTopics.Topic topic = topics.ensure(progress.topic);
            progress.state = ReplayStatus.State.PUBLISHING;
            log.info("replaying {} stored events into {} (from {})", progress.total, topic.name(),
                    progress.from == null ? "the first event" : progress.from);
            progress.resumeAt = start;
            for (int attempt = 1; ; attempt++) {
                Producer<String, byte[]> producer = clients.producer("salesledger-replay-" + progress.id + "-" + attempt);
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
                    log.warn("replay {}: {}; trying again from event {} (attempt {} of {})", progress.id,
                            e.getMessage(), progress.eventsDone, attempt + 1, ATTEMPTS);
                    Thread.sleep(1000L << Math.min(attempt, 5));
                }
            }
            progress.finish(ReplayStatus.State.DONE, clock.instant(), "republished " + progress.published
                    + " actions of " + progress.eventsDone + " stored events into " + topic.name()
                    + (progress.skipped > 0 ? "; " + progress.skipped + " events could not be turned into an "
                    + "envelope and were skipped (see the log)" : ""));
            log.info("replay {}: {}", progress.id, progress.message);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            progress.finish(ReplayStatus.State.FAILED, clock.instant(), "the replay failed after "
                    + progress.eventsDone + " events: " + e.getMessage() + "; start it again (a consumer drops "
                    + "the repeats by id)");
            log.error("replay {} into {} failed", progress.id, progress.topic, e);
        }
    }

    /**
     * Sends everything from {@code progress.resumeAt} up to {@code head}, in chunks: each chunk's acknowledgements are
     * awaited before the next is read, and only then does the resume point move past it.
     */
    private void publish(Progress progress, ActionTopics.Topic topic, long head, Producer<String, byte[]> producer)
            throws InterruptedException {
        List<Future<RecordMetadata>> chunk = new ArrayList<>(CHUNK);
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
                if (chunkEvents == CHUNK) {
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

    @Override
    public void close() {
        runner.shutdownNow();
    }

    /** A replay's mutable progress, written by its one thread and read by status requests. */
    private final class Progress {
        final String id;
        final String topic;
        final Instant from;
        final Instant startedAt;
        volatile ReplayStatus.State state = ReplayStatus.State.PREPARING;
        volatile long total;
        volatile long eventsDone;
        volatile long published;
        volatile long skipped;
        volatile Instant finishedAt;
        volatile String message = "counting the stored events to republish";
        volatile TrackingToken resumeAt;

        Progress(String id, String topic, Instant from, Instant startedAt) {
            this.id = id;
            this.topic = topic;
            this.from = from;
            this.startedAt = startedAt;
        }

        void finish(ReplayStatus.State end, Instant at, String text) {
            message = text;
            finishedAt = at;
            state = end;
        }

        ReplayStatus status() {
            Instant until = finishedAt != null ? finishedAt : clock.instant();
            double seconds = Math.max(Duration.between(startedAt, until).toMillis(), 1) / 1000.0;
            long done = eventsDone;
            double rate = done / seconds;
            Long eta = state == ReplayStatus.State.DONE ? Long.valueOf(0)
                    : rate > 0 && total > 0 ? Math.round(Math.max(0, total - done) / rate) : null;
            String text = state == ReplayStatus.State.PUBLISHING
                    ? "republishing into " + topic + "; the live relay goes on undisturbed" : message;
            return new ReplayStatus(id, topic, from, state, done, total, published, skipped, rate, eta, startedAt,
                    finishedAt, text);
        }
    }
}
