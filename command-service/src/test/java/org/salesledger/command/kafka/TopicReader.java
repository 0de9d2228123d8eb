package org.salesledger.command.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * An independent consumer, as an integrator would write one: it knows the topic and the contract, nothing of the
 * code. Reads a topic from its first offset until a condition holds.
 */
public final class TopicReader {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private TopicReader() {
    }

    /** One record as received: key, the content-type header, the value parsed as JSON, and where it was. */
    public record Received(String key, String contentType, JsonNode value, int partition, long offset) {
        public String id() {
            return value.path("id").asText();
        }
    }

    /**
     * Every record of the topic from the start, read until {@code done} holds or {@code timeout} passes (the caller
     * asserts on what came). A topic that does not appear within {@code timeout}, or Kafka not answering, is a
     * failure, never "nothing received".
     */
    public static List<Received> readUntil(String bootstrap, String topic, Predicate<List<Received>> done,
                                           Duration timeout) {
        List<Received> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = partitions(consumer, topic);
                if (partitions.isEmpty()) {
                    sleep();
                }
            }
            if (partitions.isEmpty()) {
                throw new AssertionError("topic " + topic + " did not appear within " + timeout);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(received) && System.nanoTime() < deadline) {
                poll(consumer, received);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new AssertionError("Kafka at " + bootstrap + " did not answer in time for topic " + topic, e);
        }
        return received;
    }

    /**
     * Every record of the topic, from the start to its end as of now (each partition's end offset for a
     * read-committed consumer); none when the topic does not exist. Fails when Kafka does not answer in time or the
     * end is not reached within {@code timeout}.
     */
    public static List<Received> readToEnd(String bootstrap, String topic, Duration timeout) {
        List<Received> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            if (!consumer.listTopics(Duration.ofSeconds(30)).containsKey(topic)) {
                return received;
            }
            List<TopicPartition> partitions = partitions(consumer, topic);
            if (partitions.isEmpty()) {
                throw new AssertionError("Kafka lists topic " + topic + " but answers no partitions for it");
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("topic " + topic + " not read to its end " + end + " within " + timeout
                            + "; read " + received.size() + " records");
                }
                poll(consumer, received);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new AssertionError("Kafka at " + bootstrap + " did not answer in time for topic " + topic, e);
        }
        return received;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The topic's partitions; none while Kafka has no metadata for it yet (a topic about to be created). */
    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<org.apache.kafka.common.PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return List.of(); // asked again until the caller's timeout, which then fails
        }
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void poll(KafkaConsumer<String, byte[]> consumer, List<Received> received) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            Header type = record.headers().lastHeader("content-type");
            received.add(new Received(record.key(), type == null ? null : new String(type.value(),
                    StandardCharsets.UTF_8), parse(record.value()), record.partition(), record.offset()));
        }
    }

    /** Reads until every one of {@code ids} has arrived (or the timeout passes). */
    public static List<Received> readUntilAll(String bootstrap, String topic, Collection<String> ids,
                                              Duration timeout) {
        return readUntil(bootstrap, topic, r -> ids(r).containsAll(ids), timeout);
    }

    public static Set<String> ids(List<Received> received) {
        Set<String> ids = new LinkedHashSet<>();
        received.forEach(r -> ids.add(r.id()));
        return ids;
    }

    /**
     * Each customer's envelope ids in the order they first arrived — what a consumer that drops repeats by id sees.
     * Records are read partition by partition, and a customer's records are all in one partition.
     */
    public static Map<String, List<String>> firstArrivalsByCustomer(List<Received> received) {
        Map<String, List<String>> byCustomer = new LinkedHashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        for (Received r : received) {
            if (seen.add(r.id())) {
                byCustomer.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.id());
            }
        }
        return byCustomer;
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new AssertionError("a record value is not JSON: " + new String(value, StandardCharsets.UTF_8), e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
