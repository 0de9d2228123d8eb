package org.salesledger.infra.platform;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * How the pooled streaming processors of one side share their segments among several nodes on one PostgreSQL
 * (ADR 0037): every processor of this process claims at most {@code salesledger.processing.max-claimed-segments}
 * segments, so that the nodes started after the first one find segments left to claim. The segments of a node that
 * died are taken over once their claims expire ({@code axon.eventhandling.tokenstore.claim-timeout}) by the next
 * node that looks for unclaimed ones ({@code token-claim-interval} of each processor), both set in the sides' files.
 * Axon's processors never hand a claimed segment over to a node with fewer: a node keeps what it claimed until it
 * stops or dies.
 *
 * <p>Each node claims in its own name, {@code salesledger.processing.node-name} (default: Axon's, the process id and
 * host name): two nodes with one name would each take the other's claims for its own.
 */
@AutoConfiguration(before = JdbcAutoConfiguration.class)
@EnableConfigurationProperties(ProcessorSpreading.Settings.class)
public class ProcessorSpreading {

    /**
     * Applied to every pooled streaming processor before its own settings, which set the segment count
     * ({@code axon.eventhandling.processors.<name>.initial-segment-count}) but not these.
     */
    @Bean
    ConfigurerModule processorSpreadingDefaults(SegmentCaps caps) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration((config, builder) -> builder
                        .maxSegmentProvider(caps)));
    }

    @Bean
    SegmentCaps segmentCaps(Settings settings) {
        return new SegmentCaps(settings.maxClaimedSegments());
    }

    /**
     * Axon's JDBC token store as its auto-configuration builds it (claims expire after
     * {@code axon.eventhandling.tokenstore.claim-timeout}), claiming in this node's name.
     */
    @Bean
    @ConditionalOnMissingBean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer, TokenSchema tokenSchema,
                          Settings settings, Environment environment) {
        Duration claimTimeout = environment.getProperty("axon.eventhandling.tokenstore.claim-timeout", Duration.class,
                Duration.ofSeconds(10));
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(tokenSchema)
                .serializer(serializer)
                .claimTimeout(claimTimeout)
                .nodeId(settings.nodeName() == null || settings.nodeName().isBlank()
                        ? ManagementFactory.getRuntimeMXBean().getName() : settings.nodeName())
                .build();
    }

    /**
     * The settings under {@code salesledger.processing}.
     *
     * @param maxClaimedSegments the most segments of one processor this node claims (default: no cap). With
     *                            {@code S} segments and {@code N} nodes of a side of which {@code F} may be down at
     *                            once, a cap of at least {@code ceil(S / (N - F))} keeps every segment claimed; a
     *                            lower cap leaves the remaining ones unprocessed while too few nodes run
     * @param nodeName the name this node claims segments in (default: the process id and host name);
     *                 unique per node
     * @param segments segments of every streaming processor of this side (the read models; the rules, the timers
     *                 and the Kafka relay on the command side), set when a processor's tokens are first created in
     *                 {@code token_entry}: a database keeps the count it was made with. At most this many nodes
     *                 share one processor; a node's CPU per event grows with it (ADR 0043). The sides' files pass
     *                 it to each processor's {@code initial-segment-count}
     */
    @ConfigurationProperties("salesledger.processing")
    public record Settings(@DefaultValue("2147483647") int maxClaimedSegments, String nodeName,
                           @DefaultValue("" + DEFAULT_SEGMENTS) int segments) {

        /** Segments per processor unless {@code salesledger.processing.segments} says otherwise (ADR 0043). */
        public static final int DEFAULT_SEGMENTS = 1;

        /** More segments than this only add work packages that each see every event (ADR 0043). */
        public static final int MAX_SEGMENTS = 64;

        public Settings {
            if (maxClaimedSegments < 1) {
                throw new IllegalArgumentException("salesledger.processing.max-claimed-segments must be at least 1; "
                        + "got " + maxClaimedSegments);
            }
            if (segments < 1 || segments > MAX_SEGMENTS) {
                throw new IllegalArgumentException("salesledger.processing.segments must be between 1 and "
                        + MAX_SEGMENTS + "; got " + segments);
            }
        }
    }
}
