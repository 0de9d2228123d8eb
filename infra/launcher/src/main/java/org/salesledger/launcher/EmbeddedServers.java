package org.salesledger.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import org.salesledger.infra.embedded.EmbeddedKafkaServer;
import org.salesledger.infra.embedded.EmbeddedPostgresServer;

/**
 * The embedded PostgreSQL and Kafka a developer's {@code salesledger run} starts when no external ones are set. The
 * only launcher class that names {@code infra/embedded}, created only where {@link DeveloperTools#embeddedServers()}:
 * the server artifact, which has neither, never loads it (ADR 41).
 */
final class EmbeddedServers implements AutoCloseable {

    private final String database;
    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaServer kafka;

    EmbeddedServers(String database) {
        this.database = database;
    }

    /** Starts the servers {@code settings} has no external one for; answers the settings pointing at them. */
    Settings start(Settings settings) throws Exception {
        Settings resolved = settings;
        if (settings.dbUrl() == null) {
            Path dir = Files.createDirectories(settings.dataDir().resolve("postgres"));
            postgres = EmbeddedPostgresServer.start(dir, 0);
            postgres.createDatabase(database);
            resolved = resolved.withDatabase(postgres.jdbcUrl(database), postgres.user(), postgres.password());
        }
        if (settings.kafkaBootstrap() == null) {
            Path dir = Files.createDirectories(settings.dataDir().resolve("kafka"));
            kafka = EmbeddedKafkaServer.start(dir, settings.kafkaPort(), settings.bindAddress());
            resolved = resolved.withKafka(kafka.bootstrapServers());
        }
        return resolved;
    }

    /** The ready message's line on PostgreSQL, or {@code null} when it is not embedded. */
    String postgresLine(Settings settings) {
        return postgres == null ? null : "embedded at " + settings.dbUrl() + " (user " + settings.dbUser()
                + ", password in " + postgres.passwordFile() + "), data in " + settings.dataDir().resolve("postgres");
    }

    /** The ready message's line on Kafka, or {@code null} when it is not embedded. */
    String kafkaLine(Settings settings) {
        return kafka == null ? null : "embedded at " + kafka.bootstrapServers() + ", data in "
                + settings.dataDir().resolve("kafka");
    }

    @Override
    public void close() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
