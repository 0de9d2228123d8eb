package org.salesledger.infra.kafka;

import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka clients Sales Ledger makes, all from {@link KafkaSettings}: producers that keep each key's order and
 * never give a record up on their own, and admin clients.
 */
public final class KafkaClients {

    private final KafkaSettings settings;

    public KafkaClients(KafkaSettings settings) {
        this.settings = settings;
    }

    public KafkaSettings settings() {
        return settings;
    }

    /**
     * A producer for action envelopes: idempotent with {@code acks=all}, so a retried send is written once, and one
     * request in flight per connection, so a later batch of a partition is never sent before an earlier one is
     * acknowledged. Five in flight would be faster, but then a fresh producer's first batch for a partition can fail
     * (a topic just created, its leader not yet known) while the next one is accepted — the broker takes any
     * sequence number from a producer it has no state for — and the first is written after it: CI saw a customer's
     * last two actions arrive before the 23 earlier ones. With one in flight, what a producer wrote of a partition is
     * always a prefix of what it was given. {@code delivery.timeout.ms} is unbounded, so the producer itself never
     * drops a record and then carries on with the next ones (which would leave a hole in a customer's order) — the
     * caller decides when to give up, and then discards the producer.
     */
    public Producer<String, byte[]> producer(String clientId) {
        return new KafkaProducer<>(producerProperties(clientId));
    }

    /** The properties {@link #producer(String)} uses, the settings' own last. */
    public Properties producerProperties(String clientId) {
        Properties props = common();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(settings.maxRecordBytes() + 64 * 1024));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.properties().forEach(props::put);
        return props;
    }

    public Admin admin() {
        Properties props = common();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "salesledger-admin");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        settings.properties().forEach(props::put);
        return Admin.create(props);
    }

    private Properties common() {
        if (!settings.configured()) {
            throw new IllegalStateException("no Kafka configured: set SALESLEDGER_KAFKA_BOOTSTRAP "
                    + "(or salesledger.kafka.bootstrap)");
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        return props;
    }
}
