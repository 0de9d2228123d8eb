package org.salesledger.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.infra.embedded.EmbeddedKafkaServer;
import org.salesledger.infra.embedded.EmbeddedPostgresServer;
import org.salesledger.query.QueryServiceApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole system in one process: PostgreSQL and Kafka (embedded, kept under the data directory, unless external
 * ones are configured), then the command side and the query side, each its own Spring context on its own port,
 * exactly as they run as separate services. Stops in reverse order on {@link #close()}, Ctrl-C or SIGTERM.
 */
public final class EmbeddedSystem implements AutoCloseable {

    private static final String DATABASE = "salesledger";

    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaServer kafka;
    private final ConfigurableApplicationContext commandSide;
    private final ConfigurableApplicationContext querySide;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Path dataDir;

    private EmbeddedSystem(EmbeddedPostgresServer postgres, EmbeddedKafkaServer kafka,
                           ConfigurableApplicationContext commandSide, ConfigurableApplicationContext querySide,
                           Path dataDir) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.kafka = kafka;
        this.commandSide = commandSide;
        this.querySide = querySide;
    }

    public static EmbeddedSystem start(Settings settings) throws Exception {
        EmbeddedPostgresServer postgres = null;
        EmbeddedKafkaServer kafka = null;
        try {
            Settings resolved = settings;
            if (settings.dbUrl() == null) {
                Path dir = Files.createDirectories(settings.dataDir().resolve("postgres"));
                postgres = EmbeddedPostgresServer.start(dir, 0);
                postgres.createDatabase(DATABASE);
                resolved = resolved.withDatabase(postgres.jdbcUrl(DATABASE), postgres.user(), postgres.password());
            }
            if (settings.kafkaBootstrap() == null) {
                Path dir = Files.createDirectories(settings.dataDir().resolve("kafka"));
                kafka = EmbeddedKafkaServer.start(dir, settings.kafkaPort());
                resolved = resolved.withKafka(kafka.bootstrapServers());
            }
            ConfigurableApplicationContext command = side(CommandServiceApplication.class, "command-service",
                    resolved, Map.of("server.port", resolved.commandPort()));
            ConfigurableApplicationContext query;
            try {
                Map<String, Object> queryOverrides = new HashMap<>();
                queryOverrides.put("server.port", resolved.queryPort());
                if (command.getEnvironment().getProperty("salesledger.oidc.issuer-uri", "").isBlank()) {
                    // the query side trusts the tokens of the command side's embedded authorization server
                    queryOverrides.put("salesledger.identity.jwk-set-uri", "http://127.0.0.1:"
                            + ((WebServerApplicationContext) command).getWebServer().getPort() + "/oauth2/jwks");
                }
                query = side(QueryServiceApplication.class, "query-service", resolved, queryOverrides);
            } catch (RuntimeException e) {
                command.close();
                throw e;
            }
            EmbeddedSystem system = new EmbeddedSystem(postgres, kafka, command, query, resolved.dataDir());
            Runtime.getRuntime().addShutdownHook(new Thread(system::close, "salesledger-shutdown"));
            system.printReady(resolved);
            return system;
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    private static ConfigurableApplicationContext side(Class<?> application, String configName, Settings settings,
                                                       Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.config.name", configName);
        properties.put("spring.datasource.url", settings.dbUrl());
        if (settings.dbUser() != null) {
            properties.put("spring.datasource.username", settings.dbUser());
        }
        if (settings.dbPassword() != null) {
            properties.put("spring.datasource.password", settings.dbPassword());
        }
        properties.put("salesledger.kafka.bootstrap", settings.kafkaBootstrap());
        properties.put("salesledger.data-dir", settings.dataDir().toString());
        properties.putAll(overrides);
        // As command-line arguments, not default properties: the side's own yml (server.port: ${…:8081}) would
        // override a default property, and a test asking for port 0 would get 8081.
        String[] arguments = properties.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(application)
                .registerShutdownHook(false)
                .run(arguments);
    }

    /**
     * The command side's Spring context, for tests that must act inside it (the time-rule tests hold its deadline
     * scheduler back to have a deadline pending across a restart). Not for the system's own use.
     */
    public ApplicationContext commandSide() {
        return commandSide;
    }

    /** Where it keeps its files: the embedded servers' data, the token signing key, {@code admin-client.json}. */
    public Path dataDir() {
        return dataDir;
    }

    public int commandPort() {
        return ((WebServerApplicationContext) commandSide).getWebServer().getPort();
    }

    public int queryPort() {
        return ((WebServerApplicationContext) querySide).getWebServer().getPort();
    }

    private void printReady(Settings settings) {
        System.out.printf("%nSales Ledger is up.%n"
                        + "  command side  http://localhost:%d   (POST /api/v1/actions, POST /api/v1/import)%n"
                        + "  query side    http://localhost:%d   (GET /api/v1/customers/{id}/timeline)%n"
                        + "  health        http://localhost:%d/actuator/health  http://localhost:%d/actuator/health%n"
                        + "  PostgreSQL    %s%n"
                        + "  Kafka         %s%n"
                        + "                every action published to topic %s%n"
                        + "  tokens        client in %s (contract §7)%n"
                        + "Press Ctrl-C to stop.%n",
                commandPort(), queryPort(), commandPort(), queryPort(),
                postgres != null ? "embedded at " + settings.dbUrl() + " (user " + settings.dbUser() + "), data in "
                        + settings.dataDir().resolve("postgres") : settings.dbUrl(),
                kafka != null ? "embedded at " + kafka.bootstrapServers() + ", data in "
                        + settings.dataDir().resolve("kafka") : settings.kafkaBootstrap(),
                commandSide.getEnvironment().getProperty("salesledger.kafka.topic", "salesledger.actions.v1"),
                commandSide.getEnvironment().getProperty("salesledger.oidc.issuer-uri", "").isBlank()
                        ? settings.dataDir().resolve("admin-client.json")
                        : "the external issuer " + commandSide.getEnvironment().getProperty("salesledger.oidc.issuer-uri"));
    }

    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        try {
            querySide.close();
            commandSide.close();
        } finally {
            try {
                if (kafka != null) {
                    kafka.close();
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
                stopped.countDown();
            }
        }
    }
}
