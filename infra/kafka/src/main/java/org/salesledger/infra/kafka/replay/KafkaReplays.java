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
import java.util.concurrent.atomic.AtomicReference;
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
 * time; the statuses of the last replays are kept in memory for this process's lifetime.
 */
public class KafkaReplays implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaReplays.class);
    private static final byte[] CONTENT_TYPE = ActionEnvelope.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);
    private static final int KEPT = 50;
    private static final int CHECK_EVERY = 1_000;

    private final KafkaClients clients;
    private final ActionTopics topics;
    private final EventStorageEngine storage;
    private final JdbcTemplate jdbc;
    private final EventSchema schema;
    private final Clock clock;
    private final Map<String, Progress> replays = new LinkedHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "kafka-replay");
        thread.setDaemon(true);
        return thread;
    });

    public KafkaReplays(KafkaClients clients, ActionTopics topics, EventStorageEngine storage, JdbcTemplate jdbc,
                        EventSchema schema, Clock clock) {
        this.clients = clients;
        this.topics = topics;
        this.storage = storage;
        this.jdbc = jdbc;
        this.schema = schema;
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
        try (Producer<String, byte[]> producer = clients.producer("salesledger-replay-" + progress.id)) {
            TrackingToken start = progress.from == null ? storage.createTailToken() : storage.createTokenAt(progress.from);
            TrackingToken headToken = storage.createHeadToken();
            long head = position(headToken, 0);
            long after = position(start, -1);
            Long total = jdbc.queryForObject("SELECT count(*) FROM " + schema.domainEventTable() + " WHERE "
                    + schema.globalIndexColumn() + " > ? AND " + schema.globalIndexColumn() + " <= ?", Long.class,
                    after, head);
            progress.total = total == null ? 0 : total;
            ActionTopics.Topic topic = topics.ensure(progress.topic);
            progress.state = ReplayStatus.State.PUBLISHING;
            log.info("replaying {} stored events into {} (from {})", progress.total, topic.name(),
                    progress.from == null ? "the first event" : progress.from);
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Future<RecordMetadata>> pending = new ArrayList<>();
            if (progress.total > 0) {
                try (Stream<? extends TrackedEventMessage<?>> stream = storage.readEvents(start, false)) {
                    Iterator<? extends TrackedEventMessage<?>> events = stream.iterator();
                    while (events.hasNext()) {
                        TrackedEventMessage<?> event = events.next();
                        if (position(event.trackingToken(), Long.MAX_VALUE) > head) {
                            break;
                        }
                        progress.eventsDone++;
                        if (!CustomerAction.class.isAssignableFrom(event.getPayloadType())) {
                            continue;
                        }
                        ProducerRecord<String, byte[]> record = record(topic, event, progress);
                        if (record != null) {
                            pending.add(producer.send(record, (metadata, error) -> {
                                if (error != null) {
                                    failure.compareAndSet(null, error);
                                } else {
                                    progress.published++;
                                }
                            }));
                        }
                        if (progress.eventsDone % CHECK_EVERY == 0) {
                            check(failure);
                            pending.removeIf(Future::isDone);
                        }
                    }
                }
            }
            producer.flush();
            for (Future<RecordMetadata> ack : pending) {
                ack.get(60, TimeUnit.SECONDS);
            }
            check(failure);
            progress.finish(ReplayStatus.State.DONE, clock.instant(), "republished " + progress.published
                    + " actions of " + progress.eventsDone + " stored events into " + topic.name()
                    + (progress.skipped > 0 ? "; " + progress.skipped + " events could not be turned into an "
                    + "envelope and were skipped (see the log)" : ""));
            log.info("replay {}: {}", progress.id, progress.message);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            progress.finish(ReplayStatus.State.FAILED, clock.instant(), "the replay failed after "
                    + progress.eventsDone + " events: " + cause.getMessage() + "; start it again (a consumer drops "
                    + "the repeats by id)");
            log.error("replay {} into {} failed", progress.id, progress.topic, e);
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

    private static void check(AtomicReference<Exception> failure) throws Exception {
        Exception e = failure.get();
        if (e != null) {
            throw e;
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
