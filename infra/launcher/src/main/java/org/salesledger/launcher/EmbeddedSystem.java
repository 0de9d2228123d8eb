package org.salesledger.launcher;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.connector.Connector;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.query.QueryServiceApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node of the system in one process: PostgreSQL and Kafka (embedded, kept under the data directory, unless external
 * ones are configured), then the command side and the query side, each its own Spring context on its own port,
 * exactly as they run as separate services — or, with a {@link NodeRole} of one side, that side alone against a
 * shared PostgreSQL and Kafka. Stops in reverse order on {@link #close()}, Ctrl-C or SIGTERM.
 */
public final class EmbeddedSystem implements AutoCloseable {

    private static final String DATABASE = "salesledger";

    /** The embedded servers this node started, or {@code null} (external ones, or the server artifact). */
    private final EmbeddedServers servers;
    private final ConfigurableApplicationContext commandSide;
    private final ConfigurableApplicationContext querySide;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Path dataDir;

    private EmbeddedSystem(EmbeddedServers servers,
                           ConfigurableApplicationContext commandSide, ConfigurableApplicationContext querySide,
                           Path dataDir) {
        this.dataDir = dataDir;
        this.servers = servers;
        this.commandSide = commandSide;
        this.querySide = querySide;
    }

    /**
     * Starts what the settings' role asks for: both sides by default (with embedded PostgreSQL and Kafka unless
     * external ones are configured), or one side only against external ones ({@link Settings#checkRole()}).
     */
    public static EmbeddedSystem start(Settings settings) throws Exception {
        settings.checkRole();
        settings.checkServers(DeveloperTools.embeddedServers());
        NodeRole role = settings.role();
        EmbeddedServers servers = null;
        try {
            Settings resolved = settings;
            if (settings.dbUrl() == null || settings.kafkaBootstrap() == null) {
                servers = new EmbeddedServers(DATABASE);
                resolved = servers.start(settings);
            }
            ConfigurableApplicationContext command = null;
            if (role.runsCommandSide()) {
                command = side(CommandServiceApplication.class, "command-service", resolved,
                        Map.of("server.port", resolved.commandPort(), "server.address", resolved.bindAddress()));
            }
            ConfigurableApplicationContext query = null;
            if (role.runsQuerySide()) {
                try {
                    query = side(QueryServiceApplication.class, "query-service", resolved,
                            queryOverrides(resolved, command));
                } catch (RuntimeException e) {
                    AbortedStartLog.abort();
                    if (command != null) {
                        command.close();
                    }
                    throw e;
                }
            }
            EmbeddedSystem system = new EmbeddedSystem(servers, command, query, resolved.dataDir());
            Runtime.getRuntime().addShutdownHook(new Thread(system::close, "salesledger-shutdown"));
            system.printReady(resolved);
            return system;
        } catch (Exception e) {
            AbortedStartLog.abort();
            if (servers != null) {
                servers.close();
            }
            throw e;
        }
    }

    /**
     * The query side's port and address, and whose tokens it trusts unless an external issuer is configured: the
     * command side's embedded authorization server, through its JWK set — in this process when this node runs it,
     * else at {@code SALESLEDGER_COMMAND_URL}.
     */
    private static Map<String, Object> queryOverrides(Settings settings, ConfigurableApplicationContext command) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("server.port", settings.queryPort());
        overrides.put("server.address", settings.bindAddress());
        if (command != null) {
            if (command.getEnvironment().getProperty("salesledger.oidc.issuer-uri", "").isBlank()) {
                overrides.put("salesledger.identity.jwk-set-uri", settings.localUri(
                        ((WebServerApplicationContext) command).getWebServer().getPort()) + "/oauth2/jwks");
            }
        } else if (settings.commandUrl() != null) {
            overrides.put("salesledger.identity.jwk-set-uri", settings.commandUrl() + "/oauth2/jwks");
        }
        return overrides;
    }

    /**
     * The configuration files a side reads, as Spring's {@code spring.config.name}: Spring Boot's usual
     * {@code application} (settings for both sides), then the side's own ({@code command-service},
     * {@code query-service}), which wins where both set a property in the same place. Files outside the jar
     * ({@code ./config/}, {@code ./}) win over those inside it, whatever their name (README, Configuration).
     */
    static String configNames(String side) {
        return "application," + side;
    }

    private static ConfigurableApplicationContext side(Class<?> application, String configName, Settings settings,
                                                       Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.config.name", configNames(configName));
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

    /** What this node runs. */
    public NodeRole role() {
        return commandSide == null ? NodeRole.QUERY : querySide == null ? NodeRole.COMMAND : NodeRole.ALL;
    }

    /**
     * The command side's Spring context, for tests that must act inside it (the time-rule tests hold its deadline
     * scheduler back to have a deadline pending across a restart). Not for the system's own use.
     */
    public ApplicationContext commandSide() {
        return commandSide;
    }

    /** The query side's Spring context, for tests that look inside it (as {@link #commandSide()}). */
    public ApplicationContext querySide() {
        return querySide;
    }

    /** Where it keeps its files: the embedded servers' data, the token signing key, {@code admin-client.json}. */
    public Path dataDir() {
        return dataDir;
    }

    /** The command side's HTTP port; an {@link IllegalStateException} on a query-role node. */
    public int commandPort() {
        return ((WebServerApplicationContext) running(commandSide, "command")).getWebServer().getPort();
    }

    /** The query side's HTTP port; an {@link IllegalStateException} on a command-role node. */
    public int queryPort() {
        return ((WebServerApplicationContext) running(querySide, "query")).getWebServer().getPort();
    }

    private ConfigurableApplicationContext running(ConfigurableApplicationContext side, String name) {
        if (side == null) {
            throw new IllegalStateException("this node (role " + role().id() + ") runs no " + name + " side");
        }
        return side;
    }

    /** The address both HTTP servers are bound to, as their web servers report it (e.g. {@code 127.0.0.1}). */
    public InetAddress commandAddress() {
        return boundAddress(running(commandSide, "command"));
    }

    public InetAddress queryAddress() {
        return boundAddress(running(querySide, "query"));
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
        ConfigurableApplicationContext anySide = commandSide != null ? commandSide : querySide;
        StringBuilder ready = new StringBuilder();
        ready.append(String.format("%nSales Ledger is up%s.%n", role() == NodeRole.ALL ? ""
                : " (role " + role().id() + ": the " + role().id() + " side only)"));
        ready.append(String.format("  listening on  %s%n", settings.bindsEveryInterface()
                ? settings.bindAddress() + " (every interface; SALESLEDGER_BIND_ADDRESS)"
                : settings.bindAddress() + (settings.bindAddress().equals(Settings.DEFAULT_BIND_ADDRESS)
                        ? " (this machine only; SALESLEDGER_BIND_ADDRESS to open it)" : "")));
        if (commandSide != null) {
            ready.append(String.format("  command side  http://%s:%d   (POST /api/v1/actions, POST /api/v1/import)%n",
                    host, commandPort()));
        }
        if (querySide != null) {
            ready.append(String.format("  query side    http://%s:%d   (GET /api/v1/customers/{id}/timeline)%n",
                    host, queryPort()));
            // the sign-in's redirect matches loopback addresses on any port (ADR 36): 127.0.0.1, not localhost
            ready.append(String.format("  dashboard     http://%s:%d/   (`./salesledger demo` loads demo data and "
                    + "prints logins)%n", settings.bindsEveryInterface() ? "127.0.0.1" : host, queryPort()));
        }
        ready.append("  health       ");
        if (commandSide != null) {
            ready.append(String.format(" http://%s:%d/actuator/health", host, commandPort()));
        }
        if (querySide != null) {
            ready.append(String.format(" http://%s:%d/actuator/health", host, queryPort()));
        }
        ready.append(String.format(" (…/liveness, …/readiness)%n"));
        // the password is never printed: it is in the file named here
        String postgres = servers == null ? null : servers.postgresLine(settings);
        String kafka = servers == null ? null : servers.kafkaLine(settings);
        ready.append(String.format("  PostgreSQL    %s%n", postgres != null ? postgres : settings.dbUrl()));
        ready.append(String.format("  Kafka         %s%n", kafka != null ? kafka : settings.kafkaBootstrap()));
        if (commandSide != null) {
            ready.append(String.format("                every action published to topic %s%n",
                    commandSide.getEnvironment().getProperty("salesledger.kafka.topic", "salesledger.actions.v1")));
        }
        String issuer = anySide.getEnvironment().getProperty("salesledger.oidc.issuer-uri", "");
        ready.append(String.format("  tokens        %s%n", !issuer.isBlank() ? "the external issuer " + issuer
                : commandSide != null ? "client in " + settings.dataDir().resolve("admin-client.json")
                + " (contract §7)" : "signed by the command side at " + settings.commandUrl()));
        ready.append(String.format("Press Ctrl-C to stop.%n"));
        System.out.print(ready);
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
            if (querySide != null) {
                querySide.close();
            }
            if (commandSide != null) {
                commandSide.close();
            }
        } finally {
            try {
                if (servers != null) {
                    servers.close();
                }
            } finally {
                stopped.countDown();
            }
        }
    }
}
