package org.salesledger.query.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.axonframework.serialization.Serializer;
import org.salesledger.infra.identity.NodeFiles;
import org.salesledger.audit.note.NoteKeyFile;
import org.salesledger.audit.note.NoteSigningKey;
import org.salesledger.infra.kafka.KafkaClients;
import org.salesledger.infra.kafka.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log on the query side (contract §9, ADR 0031): the checkpoint key (created on the first start in the
 * data directory, or {@code salesledger.audit.key-file}), the log's origin, the appender thread and the endpoints'
 * services.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AuditSettings.class, KafkaSettings.class, NodeFiles.class})
class AuditConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

    @Bean
    ActionLeaves actionLeaves(@Qualifier("eventSerializer") Serializer serializer) {
        return new ActionLeaves(serializer);
    }

    @Bean
    Checkpoints auditCheckpoints(JdbcTemplate jdbc, AuditSettings settings, Clock clock,
                                 NodeFiles files) {
        Path dataDir = files.dataDir() != null ? files.dataDir() : Path.of(".salesledger");
        String origin = settings.origin() != null && !settings.origin().isBlank() ? settings.origin()
                : "salesledger/" + jdbc.queryForObject("SELECT log_id FROM audit_log WHERE id = 1", String.class);
        Path keyFile = settings.keyFile(dataDir);
        try {
            NoteSigningKey key = NoteKeyFile.readOrCreate(keyFile, origin, new SecureRandom());
            log.info("audit log {}: checkpoints signed with the key in {} ({})", origin, keyFile,
                    key.verifierKey().encoded());
            return new Checkpoints(jdbc, key, origin, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("the audit checkpoint key file " + keyFile + " could not be read or "
                    + "created: " + e.getMessage(), e);
        }
    }

    @Bean
    AuditVerification auditVerification(JdbcTemplate jdbc, ActionLeaves leaves) {
        return new AuditVerification(jdbc, leaves);
    }

    @Bean
    AuditLogRunner auditLogRunner(JdbcTemplate jdbc, PlatformTransactionManager transactions, ActionLeaves leaves,
                                  Checkpoints checkpoints, AuditSettings settings, KafkaSettings kafka, Clock clock) {
        AuditAppender appender = new AuditAppender(jdbc, new TransactionTemplate(transactions), leaves,
                settings.batchSize(), settings.gapAlarm(), clock);
        CheckpointPublisher publisher = new CheckpointPublisher(kafka.configured() ? new KafkaClients(kafka) : null,
                checkpoints, settings.topic());
        return new AuditLogRunner(appender, checkpoints, publisher, settings, clock);
    }
}
