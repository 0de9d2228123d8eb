package org.salesledger.infra.kafka.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.salesledger.infra.kafka.ActionEnvelope;
import org.salesledger.infra.kafka.ActionTopics;
import org.salesledger.infra.kafka.KafkaClients;
import org.salesledger.infra.kafka.KafkaUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the relay's batches to the live topic and waits for every acknowledgement.
 *
 * <p>One producer serves all of the relay's segments, until a batch fails: then that producer is closed at once
 * and the next batch gets a new one. A producer that has failed is never used again, because after a failure it
 * could write later records of a partition without the earlier ones; discarded, what it wrote of each partition
 * is a gap-free prefix of what it was given, so a batch sent again after it keeps every customer's order for a
 * consumer that drops repeats by id.
 */
public class RelayPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayPublisher.class);
    private static final byte[] CONTENT_TYPE = ActionEnvelope.CONTENT_TYPE.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final KafkaClients clients;
    private final ActionTopics topics;
    private final RelayMetrics metrics;
    private final RelayState state;
    private final Duration ackTimeout;
    private final Clock clock;
    private final AtomicLong generation = new AtomicLong();
    private Producer<String, byte[]> producer;
    private volatile boolean closed;

    public RelayPublisher(KafkaClients clients, ActionTopics topics, RelayMetrics metrics, RelayState state,
                          Duration ackTimeout, Clock clock) {
        this.clients = clients;
        this.topics = topics;
        this.metrics = metrics;
        this.state = state;
        this.ackTimeout = ackTimeout;
        this.clock = clock;
    }

    public String topic() {
        return clients.settings().topic();
    }

    /** The largest envelope the live topic takes: as configured until the topic has been seen, then its own. */
    int recordLimit() {
        return topics.known(topic()).map(ActionTopics.Topic::maxRecordBytes)
                .orElse(clients.settings().maxRecordBytes());
    }

    /**
     * Sends the records in order and returns once Kafka has acknowledged all of them.
     *
     * @throws KafkaUnavailableException when Kafka did not acknowledge them all within the ack timeout; some may
     *                                   have been written and will be written again when the batch is retried
     */
    void publish(List<PendingRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Producer<String, byte[]> used = null;
        try {
            ActionTopics.Topic topic = topics.ensure(topic());
            for (PendingRecord record : records) {
                if (record.value().length > topic.maxRecordBytes()) {
                    // learned just now that the topic takes less than configured: the retry parks the record
                    throw new KafkaUnavailableException("record " + record.actionId() + " is larger than topic "
                            + topic.name() + " takes (" + topic.maxRecordBytes() + " bytes); the batch is retried "
                            + "and the record parked", null);
                }
            }
            used = producer();
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (PendingRecord record : records) {
                ProducerRecord<String, byte[]> kafkaRecord = new ProducerRecord<>(topic.name(), null, record.key(),
                        record.value(), List.of(new RecordHeader(ActionEnvelope.CONTENT_TYPE_HEADER, CONTENT_TYPE)));
                acks.add(used.send(kafkaRecord, (metadata, error) -> {
                    if (error == null) {
                        metrics.acknowledged(Duration.between(record.storedAt(), clock.instant()));
                    }
                }));
            }
            long deadline = System.nanoTime() + ackTimeout.toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            state.published(records.size(), clock.instant());
        } catch (ExecutionException e) {
            throw failed(used, records, e.getCause());
        } catch (TimeoutException e) {
            throw failed(used, records, new TimeoutException("Kafka at " + clients.settings().bootstrap()
                    + " did not acknowledge " + records.size() + " records within " + ackTimeout.toSeconds() + " s"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(used, records, e);
        } catch (RuntimeException e) {
            throw failed(used, records, e);
        }
    }

    private KafkaUnavailableException failed(Producer<String, byte[]> used, List<PendingRecord> records,
                                             Throwable cause) {
        if (used != null) {
            discard(used);
        }
        metrics.failed();
        state.failed(cause, clock.instant());
        log.warn("publishing {} actions to {} failed; the batch is rolled back and tried again: {}", records.size(),
                topic(), cause.toString());
        return cause instanceof KafkaUnavailableException k ? k
                : new KafkaUnavailableException("publishing to " + topic() + " failed: " + cause.getMessage(), cause);
    }

    private synchronized Producer<String, byte[]> producer() {
        if (closed) {
            throw new KafkaUnavailableException("the relay is shutting down", null);
        }
        if (producer == null) {
            producer = clients.producer("salesledger-relay-" + generation.incrementAndGet());
        }
        return producer;
    }

    private void discard(Producer<String, byte[]> used) {
        synchronized (this) {
            if (producer == used) {
                producer = null;
            }
        }
        used.close(Duration.ZERO);
    }

    @Override
    public void close() {
        Producer<String, byte[]> last;
        synchronized (this) {
            closed = true;
            last = producer;
            producer = null;
        }
        if (last != null) {
            last.close(Duration.ofSeconds(5));
        }
    }
}
