package org.salesledger.launcher;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.connector.Connector;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.infra.embedded.EmbeddedKafkaServer;
import org.salesledger.infra.embedded.EmbeddedPostgresServer;
import org.salesledger.query.QueryServiceApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
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
                kafka = EmbeddedKafkaServer.start(dir, settings.kafkaPort(), settings.bindAddress());
                resolved = resolved.withKafka(kafka.bootstrapServers());
            }
            ConfigurableApplicationContext command = side(CommandServiceApplication.class, "command-service",
                    resolved, Map.of("server.port", resolved.commandPort(),
                            "server.address", resolved.bindAddress()));
            ConfigurableApplicationContext query;
            try {
                Map<String, Object> queryOverrides = new HashMap<>();
                queryOverrides.put("server.port", resolved.queryPort());
                queryOverrides.put("server.address", resolved.bindAddress());
                if (command.getEnvironment().getProperty("salesledger.oidc.issuer-uri", "").isBlank()) {
                    // the query side trusts the tokens of the command side's embedded authorization server
                    queryOverrides.put("salesledger.identity.jwk-set-uri", resolved.localUri(
                            ((WebServerApplicationContext) command).getWebServer().getPort()) + "/oauth2/jwks");
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

    /** The address both HTTP servers are bound to, as their web servers report it (e.g. {@code 127.0.0.1}). */
    public InetAddress commandAddress() {
        return boundAddress(commandSide);
    }

    public InetAddress queryAddress() {
        return boundAddress(querySide);
    }

    private static InetAddress boundAddress(ConfigurableApplicationContext side) {
        WebServer server = ((WebServerApplicationContext) side).getWebServer();
        if (server instanceof TomcatWebServer tomcat) {
            for (Connector connector : tomcat.getTomcat().getService().findConnectors()) {
                Object address = connector.getProperty("address");
                if (address instanceof InetAddress inet) {
                    return inet;
                }
                if (address != null) {
                    try {
                        return InetAddress.getByName(address.toString());
                    } catch (java.net.UnknownHostException e) {
                        throw new IllegalStateException("the web server's address " + address + " is not one", e);
                    }
                }
                return new InetSocketAddress(0).getAddress(); // no address: every interface
            }
        }
        throw new IllegalStateException("not a Tomcat web server: " + server);
    }

    private void printReady(Settings settings) {
        // the address a browser on this machine uses; with a wildcard bind, localhost reaches it too
        String host = settings.bindsEveryInterface() ? "localhost" : urlHost(settings.bindAddress());
        System.out.printf("%nSales Ledger is up.%n"
                        + "  listening on  %s%n"
                        + "  command side  http://%s:%d   (POST /api/v1/actions, POST /api/v1/import)%n"
                        + "  query side    http://%s:%d   (GET /api/v1/customers/{id}/timeline)%n"
                        + "  dashboard     http://%s:%d/   (`./salesledger demo` loads demo data and prints logins)%n"
                        + "  health        http://%s:%d/actuator/health  http://%s:%d/actuator/health%n"
                        + "  PostgreSQL    %s%n"
                        + "  Kafka         %s%n"
                        + "                every action published to topic %s%n"
                        + "  tokens        client in %s (contract §7)%n"
                        + "Press Ctrl-C to stop.%n",
                settings.bindsEveryInterface() ? settings.bindAddress() + " (every interface; "
                        + "SALESLEDGER_BIND_ADDRESS)" : settings.bindAddress()
                        + (settings.bindAddress().equals(Settings.DEFAULT_BIND_ADDRESS)
                        ? " (this machine only; SALESLEDGER_BIND_ADDRESS to open it)" : ""),
                host, commandPort(), host, queryPort(),
                // the sign-in's redirect matches loopback addresses on any port (ADR 36): 127.0.0.1, not localhost
                settings.bindsEveryInterface() ? "127.0.0.1" : host, queryPort(),
                host, commandPort(), host, queryPort(),
                // the password is never printed: it is in the file named here
                postgres != null ? "embedded at " + settings.dbUrl() + " (user " + settings.dbUser()
                        + ", password in " + postgres.passwordFile() + "), data in "
                        + settings.dataDir().resolve("postgres") : settings.dbUrl(),
                kafka != null ? "embedded at " + kafka.bootstrapServers() + ", data in "
                        + settings.dataDir().resolve("kafka") : settings.kafkaBootstrap(),
                commandSide.getEnvironment().getProperty("salesledger.kafka.topic", "salesledger.actions.v1"),
                commandSide.getEnvironment().getProperty("salesledger.oidc.issuer-uri", "").isBlank()
                        ? settings.dataDir().resolve("admin-client.json")
                        : "the external issuer " + commandSide.getEnvironment().getProperty("salesledger.oidc.issuer-uri"));
    }

    private static String urlHost(String address) {
        return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
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
