package org.salesledger.infra.kafka;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a topic exists before anything is sent to it: creates it with the configured partitions, replication
 * and {@code max.message.bytes} when it is missing, and leaves an existing one as it is. Answers the largest record
 * the topic takes, so that an envelope too large for it is recognised before it is sent.
 */
public final class ActionTopics {

    private static final Logger log = LoggerFactory.getLogger(ActionTopics.class);
    /** Kafka's rule for topic names. */
    private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final KafkaClients clients;
    private final Map<String, Topic> known = new ConcurrentHashMap<>();

    /** A topic that exists, its partition count and the largest record value it takes. */
    public record Topic(String name, int partitions, int maxRecordBytes) {
    }

    public ActionTopics(KafkaClients clients) {
        this.clients = clients;
    }

    /** Why {@code name} cannot be a Kafka topic, or empty when it can. */
    public static Optional<String> problemWithName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("a topic name is required");
        }
        if (!LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            return Optional.of("'" + name + "' is not a valid Kafka topic name: use 1 to 249 of the characters "
                    + "a-z, A-Z, 0-9, '.', '_' and '-'");
        }
        return Optional.empty();
    }

    /** The topic as last seen, if it has been. */
    public Optional<Topic> known(String name) {
        return Optional.ofNullable(known.get(name));
    }

    /** The topic, created first if it does not exist; asks the broker only once per topic and process. */
    public Topic ensure(String name) {
        Topic topic = known.get(name);
        if (topic != null) {
            return topic;
        }
        try (Admin admin = clients.admin()) {
            topic = ensure(admin, name);
        } catch (ExecutionException e) {
            throw new KafkaUnavailableException("could not create or describe topic " + name + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaUnavailableException("Kafka at " + clients.settings().bootstrap()
                    + " did not answer while checking topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted while checking topic " + name, e);
        }
        known.put(name, topic);
        return topic;
    }

    private Topic ensure(Admin admin, String name) throws ExecutionException, InterruptedException, TimeoutException {
        KafkaSettings settings = clients.settings();
        if (!admin.listTopics().names().get(15, TimeUnit.SECONDS).contains(name)) {
            NewTopic topic = new NewTopic(name, Optional.of(settings.partitions()),
                    settings.replicationFactor() > 0 ? Optional.of(settings.replicationFactor()) : Optional.empty())
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            Integer.toString(settings.maxRecordBytes() + 64 * 1024)));
            try {
                admin.createTopics(List.of(topic)).all().get(15, TimeUnit.SECONDS);
                log.info("created Kafka topic {} with {} partitions", name, settings.partitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        // a topic just created takes a moment until the broker that answers knows it and each partition has a
        // leader; a producer sending before that may be refused and, idempotent, get its sequence numbers confused
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                Topic topic = describe(admin, name, settings);
                if (topic != null || System.nanoTime() > deadline) {
                    return topic != null ? topic : describe(admin, name, settings, true);
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    /** The topic, or {@code null} while a partition has no leader yet. */
    private static Topic describe(Admin admin, String name, KafkaSettings settings)
            throws ExecutionException, InterruptedException, TimeoutException {
        return describe(admin, name, settings, false);
    }

    private static Topic describe(Admin admin, String name, KafkaSettings settings, boolean leaderless)
            throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                .get(15, TimeUnit.SECONDS).get(name);
        if (!leaderless && description.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
            return null;
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        Config config = admin.describeConfigs(List.of(resource)).all().get(15, TimeUnit.SECONDS).get(resource);
        ConfigEntry maxMessage = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        int topicLimit = maxMessage == null ? Integer.MAX_VALUE : Integer.parseInt(maxMessage.value());
        // a record batch carries some bytes of its own beside the value: keep a margin under the topic's limit
        int limit = Math.min(settings.maxRecordBytes(), topicLimit - 16 * 1024);
        return new Topic(name, description.partitions().size(), limit);
    }
}
