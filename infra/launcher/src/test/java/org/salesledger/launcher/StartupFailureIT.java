package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.infra.embedded.EmbeddedPostgresServer;

/**
 * {@code salesledger run} that cannot start says why in one line, never with a stack trace: whether it fails before
 * Spring (a data directory in use) or inside it (a port taken). The stack trace is kept in startup-failure.log.
 */
class StartupFailureIT {

    @TempDir
    Path dir;

    @Test
    void aDataDirectoryInUseByAnotherRunIsRefusedInOneLineNamingItsOwner() throws Exception {
        Path dataDir = dir.resolve("data");
        try (EmbeddedPostgresServer running = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0)) {
            Run run = run(dataDir, 0);

            assertThat(run.exit()).as(run.output()).isEqualTo(1);
            assertThat(failureLines(run)).as(run.output()).singleElement().asString()
                    .contains("is in use by another running Sales Ledger (pid " + ProcessHandle.current().pid() + ")");
            assertThat(run.output()).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ");
            assertThat(running.jdbcUrl()).isNotBlank();
        }
    }

    @Test
    void aCommandPortTakenIsSaidInOneLineAndTheStackTraceGoesToTheLog() throws Exception {
        Path dataDir = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0)) {
            Run run = run(dataDir, taken.getLocalPort());

            assertThat(run.exit()).as(run.output()).isEqualTo(1);
            assertThat(failureLines(run)).as(run.output()).singleElement().asString()
                    .contains("Port " + taken.getLocalPort() + " is already in use")
                    .contains("details: " + dataDir.resolve(StartupFailure.LOG_FILE));
            assertThat(run.output()).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ");
            assertThat(Files.readString(dataDir.resolve(StartupFailure.LOG_FILE))).containsPattern("(?m)^\\s+at ");
        }
    }

    @Test
    void aSettingThatCannotBeUsedIsRefusedInOneLineNamingTheProperty() throws Exception {
        Run run = run(dir.resolve("data"), 0, Map.of("SALESLEDGER_IMPORT_WORKERS", "0"));

        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(failureLines(run)).as(run.output()).singleElement().asString()
                .contains("salesledger.import.workers must be at least 1, got 0");
        assertThat(run.output()).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ");
    }

    private record Run(int exit, String output) {
    }

    private static List<String> failureLines(Run run) {
        List<String> lines = run.output().lines().filter(l -> l.contains("salesledger: could not start")).toList();
        lines.forEach(System.out::println);
        return lines;
    }

    private Run run(Path dataDir, int commandPort) throws IOException, InterruptedException {
        return run(dataDir, commandPort, Map.of());
    }

    private Run run(Path dataDir, int commandPort, Map<String, String> settings)
            throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"));
        command.addAll(SalesLedger.selfLaunch());
        command.add("run");
        Path log = dir.resolve("run.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SALESLEDGER_") || name.equals("SPRING_PROFILES_ACTIVE"));
        env.put("SALESLEDGER_DATA_DIR", dataDir.toString());
        env.put("SALESLEDGER_COMMAND_PORT", Integer.toString(commandPort == 0 ? freePort() : commandPort));
        env.put("SALESLEDGER_QUERY_PORT", Integer.toString(freePort()));
        env.put("SALESLEDGER_KAFKA_PORT", Integer.toString(freePort()));
        env.putAll(settings);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("still running after 5 minutes: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
