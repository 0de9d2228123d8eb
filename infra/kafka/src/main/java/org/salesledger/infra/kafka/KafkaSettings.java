package org.salesledger.infra.kafka;

import java.time.Duration;
import java.util.Map;
import org.salesledger.kernel.settings.SettingChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Kafka settings ({@code salesledger.kafka.*}; each also as an environment variable, e.g.
 * {@code SALESLEDGER_KAFKA_BOOTSTRAP}, {@code SALESLEDGER_KAFKA_TOPIC}).
 *
 * @param bootstrap         the brokers ({@code host:port,…}); without it nothing is published
 * @param topic             the live topic of contract §4
 * @param partitions        partitions of a topic the relay or a replay creates (an existing topic is left as it is)
 * @param replicationFactor replication of a created topic; {@code -1}: the broker's default
 * @param maxRecordBytes    the largest record value the relay sends (also set as the created topic's
 *                          {@code max.message.bytes}); an action is at most 1 MiB, its envelope a little more
 * @param properties        further client settings passed to every producer and admin client as they are
 *                          (security: {@code security.protocol}, {@code sasl.mechanism}, …)
 * @param relay             the relay's own settings
 * @param replay            the replays' own settings
 */
@ConfigurationProperties("salesledger.kafka")
public record KafkaSettings(
        String bootstrap,
        @DefaultValue("salesledger.actions.v1") String topic,
        @DefaultValue("6") int partitions,
        @DefaultValue("-1") short replicationFactor,
        @DefaultValue("2097152") int maxRecordBytes,
        Map<String, String> properties,
        @DefaultValue Relay relay,
        @DefaultValue Replay replay) {

    public KafkaSettings {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        SettingChecks.atLeast("salesledger.kafka.partitions", partitions, 1);
    }

    /**
     * @param enabled    whether this process runs the relay (the command side does; the query side must not)
     * @param batchSize  events per processor batch: sent together, acknowledged together, then the token moves
     * @param segments   segments of the relay's processor (a customer's events always go to one segment); the
     *                   command side's file sets it to {@code salesledger.processing.segments}
     * @param ackTimeout how long a batch waits for Kafka's acknowledgements before it is rolled back and retried
     */
    public record Relay(@DefaultValue("false") boolean enabled,
                        @DefaultValue("500") int batchSize,
                        @DefaultValue("1") int segments,
                        @DefaultValue("30s") Duration ackTimeout) {
    }

    /**
     * @param chunkSize        events a replay reads, sends and has acknowledged together before its resume point
     *                         (kept in {@code kafka_replay_job}) moves past them
     * @param heartbeatTimeout a running replay whose node has not written its heartbeat (every fifth of this) for
     *                         this long is taken over by another command node, or by its own after a restart
     */
    public record Replay(@DefaultValue("2000") int chunkSize,
                         @DefaultValue("5s") Duration heartbeatTimeout) {

        public Replay {
            SettingChecks.atLeast("salesledger.kafka.replay.chunk-size", chunkSize, 1);
            SettingChecks.atLeast("salesledger.kafka.replay.heartbeat-timeout", heartbeatTimeout,
                    Duration.ofMillis(500));
        }
    }

    public boolean configured() {
        return bootstrap != null && !bootstrap.isBlank();
    }
}
