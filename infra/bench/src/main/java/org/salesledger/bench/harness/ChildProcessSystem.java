package org.salesledger.bench.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The whole system ({@code salesledger run}) in a JVM of its own, as a user runs it, so that its memory is its
 * own: on the given database, with the embedded Kafka broker (or the one given), ports and data directory from
 * the harness, its output in {@code system.log} of its data directory.
 */
public final class ChildProcessSystem implements SystemUnderTest {

    private static final Duration STARTUP = Duration.ofMinutes(5);

    private final Process process;
    private final URI commandUrl;
    private final URI queryUrl;
    private final Database database;
    private final Path dataDir;
    private final boolean commandSide;
    private final boolean querySide;

    private ChildProcessSystem(Process process, URI commandUrl, URI queryUrl, Database database, Path dataDir,
                               boolean commandSide, boolean querySide) {
        this.process = process;
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
        this.database = database;
        this.dataDir = dataDir;
        this.commandSide = commandSide;
        this.querySide = querySide;
    }

    /**
     * A starter: {@code launch} is how to run the launcher ({@code -jar salesledger.jar} or {@code -cp … Main}),
     * {@code javaOptions} the system's JVM options (e.g. {@code -Xmx2g}), {@code env} more environment (e.g. an
     * external Kafka); each configuration gets its own data directory under {@code dataDir}.
     */
    public static SystemStarter starter(List<String> launch, List<String> javaOptions, Ports ports, Path dataDir,
                                        Map<String, String> env) {
        return (configuration, database) -> start(launch, javaOptions,
                configuration.runsBesideAnother() ? new Ports(0, 0, 0) : ports, dataDir.resolve(
                configuration.name().toLowerCase(java.util.Locale.ROOT)), env, configuration, database);
    }

    /**
     * A starter of nodes of one side (issue 20): {@code salesledger run --role command|query} in JVMs of their own on
     * free ports, each with a data directory of its own under {@code dataDir}; {@code env} must name the Kafka they
     * share ({@code SALESLEDGER_KAFKA_BOOTSTRAP}).
     */
    public static NodeStarter nodes(List<String> launch, List<String> javaOptions, Path dataDir,
                                    Map<String, String> env) {
        if (!env.containsKey("SALESLEDGER_KAFKA_BOOTSTRAP")) {
            throw new IllegalArgumentException("nodes of one side share a Kafka: give SALESLEDGER_KAFKA_BOOTSTRAP");
        }
        return new NodeStarter() {
            @Override
            public SystemUnderTest command(Database database, String name, int maxClaimedSegments)
                    throws Exception {
                return commandNode(database, name, nodeOptions(javaOptions, name, BenchOptions.SEGMENTS,
                        maxClaimedSegments));
            }

            @Override
            public SystemUnderTest commandAsShipped(Database database, String name) throws Exception {
                return commandNode(database, name, nodeOptions(javaOptions, name, 0, 0));
            }

            private SystemUnderTest commandNode(Database database, String name, List<String> options)
                    throws Exception {
                ChildProcessSystem node = launch(launch, options, List.of("--role", "command"), new Ports(0, 0, 0),
                        dataDir.resolve(name), env, null, database, true, false);
                node.awaitUp();
                return node;
            }

            @Override
            public List<SystemUnderTest> query(Database database, List<String> names, int maxClaimedSegments,
                                               URI commandUrl) throws Exception {
                Map<String, String> trusting = new java.util.HashMap<>(env);
                trusting.put("SALESLEDGER_COMMAND_URL", commandUrl.toString());
                List<ChildProcessSystem> nodes = new ArrayList<>();
                try {
                    for (String name : names) {
                        nodes.add(launch(launch,
                                nodeOptions(javaOptions, name, BenchOptions.SEGMENTS, maxClaimedSegments),
                                List.of("--role", "query"), new Ports(0, 0, 0), dataDir.resolve(name), trusting, null,
                                database, false, true));
                    }
                    for (ChildProcessSystem node : nodes) {
                        node.awaitUp();
                    }
                } catch (Exception e) {
                    nodes.forEach(ChildProcessSystem::close);
                    throw e;
                }
                return List.copyOf(nodes);
            }
        };
    }

    /**
     * The system's JVM options, and a node's name, the segments per processor (the nodes scenario's
     * {@link BenchOptions#SEGMENTS}, whatever the default; 0: as shipped) and its cap (0: none) as system properties
     * (ADR 0037).
     */
    private static List<String> nodeOptions(List<String> javaOptions, String name, int segments,
                                            int maxClaimedSegments) {
        List<String> options = new ArrayList<>(javaOptions);
        options.add("-Dsalesledger.processing.node-name=" + name);
        if (segments > 0) {
            options.add("-Dsalesledger.processing.segments=" + segments);
        }
        if (maxClaimedSegments > 0) {
            options.add("-Dsalesledger.processing.max-claimed-segments=" + maxClaimedSegments);
        }
        return options;
    }

    /** The ports the system listens on (0: any free one). */
    public record Ports(int command, int query, int kafka) {
    }

    static ChildProcessSystem start(List<String> launch, List<String> javaOptions, Ports ports, Path dataDir,
                                    Map<String, String> env, Configuration configuration, Database database)
            throws IOException, InterruptedException {
        ChildProcessSystem system = launch(launch, javaOptions, List.of(), ports, dataDir, env,
                configuration.springProfile(), database, true, true);
        system.awaitUp();
        return system;
    }

    /**
     * Starts {@code salesledger run ARGS…} without waiting for it: {@code args} e.g. {@code --role query},
     * {@code commandSide}/{@code querySide} which sides it runs (those {@link #awaitUp} waits for and signs in to).
     */
    static ChildProcessSystem launch(List<String> launch, List<String> javaOptions, List<String> args, Ports ports,
                                     Path dataDir, Map<String, String> env, String springProfile, Database database,
                                     boolean commandSide, boolean querySide) throws IOException {
        Files.createDirectories(dataDir);
        int command = ports.command() == 0 ? freePort() : ports.command();
        int query = ports.query() == 0 ? freePort() : ports.query();
        int kafka = ports.kafka() == 0 ? freePort() : ports.kafka();
        List<String> commandLine = new ArrayList<>();
        commandLine.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        commandLine.addAll(javaOptions);
        commandLine.addAll(launch);
        commandLine.add("run");
        commandLine.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(commandLine)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("system.log").toFile());
        Map<String, String> environment = builder.environment();
        environment.put("SALESLEDGER_COMMAND_PORT", Integer.toString(command));
        environment.put("SALESLEDGER_QUERY_PORT", Integer.toString(query));
        environment.put("SALESLEDGER_KAFKA_PORT", Integer.toString(kafka));
        environment.put("SALESLEDGER_DATA_DIR", dataDir.toString());
        environment.put("SALESLEDGER_DB_URL", database.jdbcUrl());
        environment.put("SALESLEDGER_DB_USER", database.user() == null ? "" : database.user());
        environment.put("SALESLEDGER_DB_PASSWORD", database.password() == null ? "" : database.password());
        environment.remove("SALESLEDGER_JAVA_OPTS");
        if (springProfile != null) {
            environment.put("SPRING_PROFILES_ACTIVE", springProfile);
        } else {
            environment.remove("SPRING_PROFILES_ACTIVE");
        }
        environment.putAll(env);
        Process process = builder.start();
        return new ChildProcessSystem(process, URI.create("http://localhost:" + command),
                URI.create("http://localhost:" + query), database, dataDir, commandSide, querySide);
    }

    /**
     * Waits until the sides it runs answer healthy, then signs in with the admin client its command side wrote (a
     * query-only node takes the token of the command side it trusts, signed in before); stops it on failure.
     */
    void awaitUp() throws IOException, InterruptedException {
        try {
            awaitHealthy(dataDir.resolve("system.log"));
            if (commandSide) {
                // signed in with every configuration: without tokens, the harness sends half its calls with a token
                // and half without, to the same system at the same time (BenchRun#pairedTokenCheck)
                Http.signIn(dataDir, querySide ? new URI[]{commandUrl, queryUrl} : new URI[]{commandUrl});
            } else {
                Http.useCurrentTokenFor(queryUrl);
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    private void awaitHealthy(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the system stopped while starting (exit " + process.exitValue()
                        + "); see " + log);
            }
            if ((!commandSide || up(http, commandUrl)) && (!querySide || up(http, queryUrl))) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IOException("the system did not answer healthy within " + STARTUP + "; see " + log);
    }

    private static boolean up(HttpClient http, URI base) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public URI commandUrl() {
        return commandUrl;
    }

    @Override
    public URI queryUrl() {
        return queryUrl;
    }

    @Override
    public Database database() {
        return database;
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    /** SIGTERM (the system stops cleanly), then SIGKILL after a minute. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
