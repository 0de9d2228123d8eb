package org.salesledger.query.audit;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.salesledger.infra.kafka.ActionTopics;
import org.salesledger.infra.kafka.KafkaClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes every stored checkpoint to {@code salesledger.checkpoints.v1} once, in size order: the record value is
 * the signed note (UTF-8, {@code content-type: text/plain}), its key the log's origin (so all are in one partition,
 * in order). A checkpoint is marked published when Kafka has acknowledged it; a failure leaves it (and the later
 * ones) for the next round, with a new producer. Without a Kafka bootstrap nothing is published.
 */
final class CheckpointPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckpointPublisher.class);
    private static final byte[] TEXT_PLAIN = "text/plain; charset=utf-8".getBytes(StandardCharsets.UTF_8);

    private final KafkaClients clients;
    private final ActionTopics topics;
    private final Checkpoints checkpoints;
    private final String topic;
    private Producer<String, byte[]> producer;

    CheckpointPublisher(KafkaClients clients, Checkpoints checkpoints, String topic) {
        this.clients = clients;
        this.topics = clients == null ? null : new ActionTopics(clients);
        this.checkpoints = checkpoints;
        this.topic = topic;
    }

    /** Publishes what is not published yet; answers how many. */
    int publishPending() {
        if (clients == null) {
            return 0;
        }
        int sent = 0;
        try {
            for (Checkpoints.Stored checkpoint : checkpoints.unpublished(100)) {
                if (producer == null) {
                    topics.ensure(topic);
                    producer = clients.producer("salesledger-audit-checkpoints");
                }
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, checkpoints.origin(),
                        checkpoint.note().getBytes(StandardCharsets.UTF_8));
                record.headers().add(new RecordHeader("content-type", TEXT_PLAIN));
                producer.send(record).get(30, TimeUnit.SECONDS);
                checkpoints.published(checkpoint.size());
                sent++;
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("audit log: publishing checkpoints to {} failed, will retry: {}", topic, e.toString());
            close();
        }
        return sent;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }
}
