package org.salesledger.query.audit;

import java.nio.file.Path;
import java.time.Duration;
import org.salesledger.kernel.settings.SettingChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit log's settings ({@code salesledger.audit.*}; each also as an environment variable, e.g.
 * {@code SALESLEDGER_AUDIT_KEY_FILE}).
 *
 * @param enabled            whether this process appends to the tree and signs checkpoints (the endpoints answer
 *                           either way)
 * @param keyFile            the Ed25519 checkpoint key file; default {@code audit-checkpoint-key} in the data
 *                           directory, created on the first start
 * @param origin             the log's origin line (and the key's name); default {@code salesledger/<log id>}, the
 *                           log id generated with the tables
 * @param checkpointInterval a checkpoint is signed when the tree has grown and the last one is this old
 * @param pollInterval       how long the appender waits when there was nothing to append
 * @param batchSize          stored events read per appender transaction
 * @param gapAlarm           a gap in the store's global order open longer than this is logged (never skipped for it)
 * @param topic              the Kafka topic every checkpoint is published to
 */
@ConfigurationProperties("salesledger.audit")
public record AuditSettings(
        @DefaultValue("true") boolean enabled,
        Path keyFile,
        String origin,
        @DefaultValue("60s") Duration checkpointInterval,
        @DefaultValue("200ms") Duration pollInterval,
        @DefaultValue("2000") int batchSize,
        @DefaultValue("60s") Duration gapAlarm,
        @DefaultValue("salesledger.checkpoints.v1") String topic) {

    public AuditSettings {
        SettingChecks.atLeast("salesledger.audit.batch-size", batchSize, 1);
        SettingChecks.positive("salesledger.audit.checkpoint-interval", checkpointInterval);
    }

    /** The key file: as configured, or {@code audit-checkpoint-key} in {@code dataDir}. */
    Path keyFile(Path dataDir) {
        return keyFile != null ? keyFile : dataDir.resolve("audit-checkpoint-key");
    }
}
