package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.bench.generate.DataGenerator;
import org.salesledger.bench.generate.GeneratorOptions;
import org.salesledger.testing.TestHttp;

/**
 * Issue 16, item 4: {@code salesledger run} as a user runs it (its own JVM, embedded PostgreSQL and Kafka under its
 * data directory) is killed with SIGKILL in the middle of an import, run again on the same directory, and sent the
 * same file again. The second start recovers without a hand, and nothing accepted is lost or doubled: the counts
 * reconcile, every timeline is what was sent, the funnel is what an independent reading of the file says, and Kafka
 * holds every action in per-customer order (at least once: a redelivery after the kill is allowed, a gap is not).
 */
class CrashRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "salesledger.actions.v1";
    private static final Duration STARTUP = Duration.ofMinutes(4);
    private static final Duration CATCH_UP = Duration.ofMinutes(3);
    private static final List<String> ORDERED_STAGES = List.of("FIRST_CONTACT", "NEEDS_CONFIRMED", "PROPOSAL_SENT",
            "PRICE_OBJECTION", "TRIAL_REQUESTED", "CONTRACT_SIGNED");

    @TempDir
    Path dir;

    private final List<Process> launched = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() throws InterruptedException {
        for (Process process : launched) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aLauncherKilledInTheMiddleOfAnImportStartsAgainAndTheSameImportReconcilesExactly() throws Exception {
        ByteArrayOutputStream generated = new ByteArrayOutputStream();
        DataGenerator.Summary summary = new DataGenerator(GeneratorOptions.of(300, 16).withPrefix("crash-"))
                .write(generated);
        byte[] file = generated.toByteArray();
        List<Sent> sent = parse(file);
        Map<String, List<String>> idsByCustomer = new LinkedHashMap<>();
        sent.forEach(s -> idsByCustomer.computeIfAbsent(s.customer(), c -> new ArrayList<>()).add(s.id()));
        Path dataDir = dir.resolve("data");
        Ports ports = new Ports(freePort(), freePort(), freePort());

        // run 1: killed with SIGKILL while the import is streaming in, after its first batches were stored
        Process first = launch(dataDir, ports, "run-1.log");
        awaitHealthy(first, ports, "run-1.log");
        TestHttp.signInAsAdmin(dataDir, ports.command(), ports.query());
        long acceptedBeforeKill = importAndKillMidway(first, ports, file, dataDir);

        // run 2: the same command on the same data directory
        long restart = System.nanoTime();
        Process second = launch(dataDir, ports, "run-2.log");
        awaitHealthy(second, ports, "run-2.log");
        TestHttp.forgetTokens();
        TestHttp.signInAsAdmin(dataDir, ports.command(), ports.query());
        Duration recovered = Duration.ofNanos(System.nanoTime() - restart);
        JsonNode report = TestHttp.post(URI.create("http://localhost:" + ports.command() + "/api/v1/import"),
                new String(file, StandardCharsets.UTF_8), "Content-Type", "application/x-ndjson").json();

        System.out.printf("crash test: %,d lines of %,d customers; accepted before the SIGKILL (as far as known): %,d; "
                        + "restart to healthy: %.1f s; second import: accepted %,d, duplicates %,d, rejected %,d%n",
                summary.lines(), idsByCustomer.size(), acceptedBeforeKill, recovered.toMillis() / 1000.0,
                report.path("accepted").asLong(), report.path("duplicates").asLong(),
                report.path("rejected").asLong());
        assertThat(report.path("rejected").asLong()).as(report.toString()).isZero();
        assertThat(report.path("accepted").asLong() + report.path("duplicates").asLong()).as(report.toString())
                .isEqualTo(sent.size());
        assertThat(report.path("duplicates").asLong()).as("what the first run stored is known again")
                .isGreaterThanOrEqualTo(acceptedBeforeKill);
        assertThat(storedActionIds(dataDir)).as("the store holds each line of the file once")
                .hasSize(sent.size())
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(Sent::id).toList());

        for (Map.Entry<String, List<String>> customer : idsByCustomer.entrySet()) {
            URI timeline = URI.create("http://localhost:" + ports.query() + "/api/v1/customers/" + customer.getKey()
                    + "/timeline");
            TestHttp.Response answer = TestHttp.eventually(timeline,
                    r -> r.status() == 200 && timelineIds(r).equals(customer.getValue()), CATCH_UP);
            assertThat(timelineIds(answer)).as("timeline of %s", customer.getKey())
                    .containsExactlyElementsOf(customer.getValue());
        }

        List<Long> expectedFunnel = funnelOracle(sent);
        TestHttp.Response funnel = TestHttp.eventually(URI.create("http://localhost:" + ports.query()
                + "/api/v1/funnel"), r -> r.status() == 200 && funnelFigures(r.json()).equals(expectedFunnel), CATCH_UP);
        assertThat(funnelFigures(funnel.json())).as("current × 6, reached × 6, won, lost")
                .containsExactlyElementsOf(expectedFunnel);

        Set<String> allIds = sent.stream().map(Sent::id).collect(Collectors.toSet());
        List<TopicRecords.Received> records = TopicRecords.readUntil("localhost:" + ports.kafka(), TOPIC,
                r -> r.stream().map(TopicRecords.Received::id).collect(Collectors.toSet()).containsAll(allIds),
                CATCH_UP);
        Map<String, List<String>> publishedByCustomer = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (TopicRecords.Received record : records) {
            assertThat(record.key()).isEqualTo(record.value().path("subject").asText());
            if (seen.add(record.id())) {
                publishedByCustomer.computeIfAbsent(record.key(), c -> new ArrayList<>()).add(record.id());
            }
        }
        System.out.printf("crash test: Kafka holds %,d records for %,d actions (%,d redelivered after the kill)%n",
                records.size(), seen.size(), records.size() - seen.size());
        assertThat(seen).containsExactlyInAnyOrderElementsOf(allIds);
        assertThat(publishedByCustomer).as("each customer's actions on Kafka, first deliveries in stored order")
                .containsExactlyInAnyOrderEntriesOf(idsByCustomer);
    }

    /**
     * Streams the first part of the file to the import, waits until the system has stored some of it, and kills the
     * launcher's JVM with SIGKILL while the import is still open. Answers how many actions were stored by then.
     */
    private long importAndKillMidway(Process launcher, Ports ports, byte[] file, Path dataDir) throws Exception {
        int cut = indexAfterLine(file, 6 * countLines(file) / 10);
        HttpURLConnection upload = (HttpURLConnection) URI.create("http://localhost:" + ports.command()
                + "/api/v1/import").toURL().openConnection();
        upload.setRequestMethod("POST");
        upload.setDoOutput(true);
        upload.setChunkedStreamingMode(64 * 1024);
        upload.setRequestProperty("Content-Type", "application/x-ndjson");
        upload.setRequestProperty("Authorization", TestHttp.authorization()[1]);
        OutputStream body = upload.getOutputStream();
        body.write(file, 0, cut);
        body.flush();
        long stored = 0;
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        try (Connection c = database(dataDir); Statement s = c.createStatement()) {
            while (stored == 0 && System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM action_receipt")) {
                    rs.next();
                    stored = rs.getLong(1);
                }
                Thread.sleep(20);
            }
        }
        assertThat(stored).as("the first run stored part of the import before the kill").isPositive();
        launcher.destroyForcibly().waitFor();
        try {
            body.close();
            upload.getResponseCode();
        } catch (IOException expected) {
            // the server died under the upload
        }
        upload.disconnect();
        return stored;
    }

    private Process launch(Path dataDir, Ports ports, String log) throws IOException {
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx768m", "-XX:TieredStopAtLevel=1"));
        command.addAll(SalesLedger.selfLaunch());
        command.add("run");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SALESLEDGER_") || name.equals("SPRING_PROFILES_ACTIVE"));
        env.put("SALESLEDGER_DATA_DIR", dataDir.toString());
        env.put("SALESLEDGER_COMMAND_PORT", Integer.toString(ports.command()));
        env.put("SALESLEDGER_QUERY_PORT", Integer.toString(ports.query()));
        env.put("SALESLEDGER_KAFKA_PORT", Integer.toString(ports.kafka()));
        Process process = builder.start();
        launched.add(process);
        return process;
    }

    private void awaitHealthy(Process launcher, Ports ports, String log) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!(up(ports.command()) && up(ports.query()))) {
            assertThat(launcher.isAlive())
                    .as("the launcher stopped while starting (%s); its output:%n%s", log, tail(log)).isTrue();
            assertThat(System.nanoTime()).as("not healthy within %s (%s); its output:%n%s", STARTUP, log, tail(log))
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static boolean up(int port) throws InterruptedException {
        try {
            TestHttp.Response health = TestHttp.get(URI.create("http://localhost:" + port + "/actuator/health"));
            return health.status() == 200 && health.body().contains("\"UP\"");
        } catch (IOException notYet) {
            return false;
        }
    }

    private String tail(String log) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(log));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static Connection database(Path dataDir) throws Exception {
        List<String> pidFile = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pidFile.get(3).trim() + "/salesledger",
                "postgres", Files.readString(dataDir.resolve("postgres-password")).trim());
    }

    private static List<String> storedActionIds(Path dataDir) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = database(dataDir); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT convert_from(meta_data, 'UTF8')::jsonb ->> 'actionId' "
                     + "FROM domain_event_entry ORDER BY global_index")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    private static List<String> timelineIds(TestHttp.Response timeline) {
        if (timeline.status() != 200) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        timeline.json().path("events").forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private static List<Long> funnelFigures(JsonNode funnel) {
        List<Long> figures = new ArrayList<>();
        funnel.path("stages").forEach(s -> figures.add(s.path("current").asLong()));
        funnel.path("stages").forEach(s -> figures.add(s.path("reached").asLong()));
        figures.add(funnel.path("won").asLong());
        figures.add(funnel.path("lost").asLong());
        return figures;
    }

    /**
     * The funnel the file implies, read from it apart from the system's Lifecycle (contract §2): stages only move
     * forward, skipping is allowed, a PRICE objection counts only after a proposal, won and lost are final.
     */
    static List<Long> funnelOracle(List<Sent> sent) {
        Map<String, String> stage = new LinkedHashMap<>();
        Map<String, Integer> furthest = new LinkedHashMap<>();
        for (Sent s : sent) {
            String current = stage.get(s.customer());
            if (s.type().equals("CustomerRegistered")) {
                stage.putIfAbsent(s.customer(), "FIRST_CONTACT");
                furthest.putIfAbsent(s.customer(), 0);
                continue;
            }
            if (current == null || current.equals("CONTRACT_SIGNED") || current.equals("LOST")) {
                continue;
            }
            String target = switch (s.type()) {
                case "NeedsConfirmed" -> "NEEDS_CONFIRMED";
                case "ProposalSent" -> "PROPOSAL_SENT";
                case "TrialRequested" -> "TRIAL_REQUESTED";
                case "ContractSigned" -> "CONTRACT_SIGNED";
                case "DealLost" -> "LOST";
                case "ObjectionRaised" -> s.objectionType().equals("PRICE")
                        && ORDERED_STAGES.indexOf(current) >= ORDERED_STAGES.indexOf("PROPOSAL_SENT")
                        ? "PRICE_OBJECTION" : null;
                default -> null;
            };
            if (target == null) {
                continue;
            }
            if (target.equals("LOST")) {
                stage.put(s.customer(), "LOST");
            } else if (ORDERED_STAGES.indexOf(target) > ORDERED_STAGES.indexOf(current)) {
                stage.put(s.customer(), target);
                furthest.merge(s.customer(), ORDERED_STAGES.indexOf(target), Math::max);
            }
        }
        List<Long> figures = new ArrayList<>();
        for (String s : ORDERED_STAGES) {
            figures.add(stage.values().stream().filter(s::equals).count());
        }
        for (int rank = 0; rank < ORDERED_STAGES.size(); rank++) {
            int r = rank;
            figures.add(furthest.values().stream().filter(f -> f >= r).count());
        }
        figures.add(stage.values().stream().filter("CONTRACT_SIGNED"::equals).count());
        figures.add(stage.values().stream().filter("LOST"::equals).count());
        return figures;
    }

    record Sent(String id, String customer, String type, String objectionType) {
    }

    record Ports(int command, int query, int kafka) {
    }

    private static List<Sent> parse(byte[] file) throws IOException {
        List<Sent> sent = new ArrayList<>();
        for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode envelope = JSON.readTree(line);
                sent.add(new Sent(envelope.path("id").asText(), envelope.path("subject").asText(),
                        envelope.path("type").asText(), envelope.path("data").path("objectionType").asText("")));
            }
        }
        return sent;
    }

    private static int countLines(byte[] file) {
        int lines = 0;
        for (byte b : file) {
            lines += b == '\n' ? 1 : 0;
        }
        return lines;
    }

    private static int indexAfterLine(byte[] file, int line) {
        int seen = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == '\n' && ++seen == line) {
                return i + 1;
            }
        }
        return file.length;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
