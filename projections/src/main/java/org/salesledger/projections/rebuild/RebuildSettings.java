package org.salesledger.projections.rebuild;

import java.time.Duration;
import org.salesledger.kernel.settings.SettingChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a read model is rebuilt ({@code salesledger.rebuild.*}, ADR 18 and 37).
 *
 * @param chunkSize        events replayed per transaction
 * @param threads          appliers replaying at once, each the customers of its segment
 * @param heartbeatTimeout a rebuild whose node has not written its heartbeat for this long is taken over by another
 *                         query node (its node writes one every fifth of it)
 */
@ConfigurationProperties("salesledger.rebuild")
public record RebuildSettings(@DefaultValue("" + ReadModelRebuilds.DEFAULT_CHUNK_SIZE) int chunkSize,
                              @DefaultValue("" + ReadModelRebuilds.DEFAULT_THREADS) int threads,
                              @DefaultValue("5s") Duration heartbeatTimeout) {

    public RebuildSettings {
        SettingChecks.atLeast("salesledger.rebuild.chunk-size", chunkSize, 1);
        SettingChecks.atLeast("salesledger.rebuild.threads", threads, 1);
        SettingChecks.atLeast("salesledger.rebuild.heartbeat-timeout", heartbeatTimeout, Duration.ofMillis(500));
    }
}
