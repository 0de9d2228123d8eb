package org.salesledger.bench.harness;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.salesledger.bench.generate.DataGenerator;
import org.salesledger.bench.generate.GeneratorOptions;

/**
 * The nodes scenario (issue 20, ADR 0037): how fast the read models catch up with a loaded store on 1, 2, 3… query
 * nodes. A store is loaded once — a command node ({@code --role command}) imports generated events, its own
 * processors (the rules, the timers, the Kafka relay) are let reach the store's head, and it stops —, then for each
 * number N a copy of that database ({@code CREATE DATABASE … TEMPLATE …}: no query node ever ran on it, so the read
 * models' tables and tokens are empty) gets a command node (whose tokens the query nodes trust; it has nothing left
 * to process) and N query nodes, each a JVM of its own claiming at most ceil(8 / N) segments of each processor. The
 * time runs from the query nodes' launch until every node reports every read model's lag
 * ({@code salesledger_projection_lag_events}) at 0: JVM and Spring start, the projections' migrations and the whole
 * catch-up. The Kafka relay is out of the timing: it published the store during the load, and query nodes do not
 * run it. Then, for each N, the same events imported through N command nodes on a fresh database, the file split by
 * customer over them (the relay and the rules run alongside, as in the import scenario).
 */
final class NodesBench {

    private static final long SEED = 7;
    /** A tracking token's position in its serialized form (XML or JSON). */
    private static final Pattern TOKEN_INDEX = Pattern.compile("<index>(\\d+)</index>|\"index\"\\s*:\\s*(\\d+)");
    private static final Duration NO_PROGRESS = Duration.ofMinutes(2);

    private final BenchOptions options;
    private final NodeStarter nodes;
    private final BenchRun.Databases databases;
    private final Http http;
    private final PrintStream log;
    private final Consumer<Row> rows;

    NodesBench(BenchOptions options, NodeStarter nodes, BenchRun.Databases databases, Http http, PrintStream log,
               Consumer<Row> rows) {
        this.options = options;
        this.nodes = nodes;
        this.databases = databases;
        this.http = http;
        this.log = log;
        this.rows = rows;
    }

    void run() throws Exception {
        Path file = generate();
        try {
            Database store = databases.fresh(Configuration.NODES);
            log.printf("%n== nodes: loading a store of %s events through a command node on %s%n",
                    BenchRun.count(options.nodesEvents()), store);
            try {
                load(store, file);
                long events = single(store, "SELECT count(*) FROM domain_event_entry");
                for (int n : options.nodeCounts()) {
                    catchUp(store, events, n);
                }
            } finally {
                drop(store, store.name());
            }
            for (int n : options.nodeCounts()) {
                importThrough(file, n);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The generated events, the import scenario's generator (seed 7, customer ids {@code nd-c-…}). */
    private Path generate() throws IOException {
        long events = options.nodesEvents();
        long customers = (long) Math.ceil(events / DataGenerator.LINES_PER_CUSTOMER * 1.05) + 1;
        GeneratorOptions data = GeneratorOptions.of(customers, SEED).withPrefix("nd-").withMaxEvents(events);
        Path file = options.dataDir().resolve("data").resolve("nodes-actions.ndjson");
        Files.createDirectories(file.getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            new DataGenerator(data).write(out);
        }
        return file;
    }

    /** Imports the generated events through one command node and stops it once its processors are at the head. */
    private void load(Database store, Path file) throws Exception {
        try (SystemUnderTest loader = nodes.command(store, "loader", 0)) {
            log.printf("   command node %s; POST /api/v1/import of %,.0f MB…%n", loader.commandUrl(),
                    Files.size(file) / 1e6);
            long started = System.nanoTime();
            Http.Answer answer = http.postFile(loader.commandUrl().resolve("/api/v1/import"), file);
            if (answer.status() != 200) {
                throw new IOException("the import into the store of the nodes scenario failed: HTTP "
                        + answer.status() + " " + answer.body().lines().findFirst().orElse(""));
            }
            log.printf("   imported %,d events (%,d refused) in %.1f s; waiting for the command side's processors "
                            + "(rules, timers, Kafka relay) to reach the store's head…%n",
                    answer.json().path("accepted").asLong(), answer.json().path("rejected").asLong(),
                    (System.nanoTime() - started) / 1e9);
            awaitProcessorsAtHead(store);
        }
    }

    /**
     * One row: the generated events imported through {@code n} command nodes on a fresh database, the file split by
     * customer (each customer's lines, in order, to one node; customers dealt round-robin as they first appear), the
     * N requests sent at once; timed until the last answers. The nodes' processors (rules, timers, Kafka relay) run
     * meanwhile, capped at ceil(8 / N) segments per node; no query node runs.
     */
    private void importThrough(Path file, int n) throws Exception {
        int cap = (BenchOptions.SEGMENTS + n - 1) / n;
        String scenario = "import through " + n + " command node" + (n == 1 ? "" : "s");
        String configuration = "max-claimed-segments " + cap;
        List<Path> parts = split(file, n);
        Database database = databases.fresh(Configuration.NODES);
        log.printf("%n-- %s (%s) on %s: starting the nodes…%n", scenario, configuration, database);
        List<SystemUnderTest> started = new ArrayList<>();
        try {
            for (int i = 1; i <= n; i++) {
                started.add(nodes.command(database, "i" + n + "-command-" + i, cap));
            }
            long postmaster = CpuTime.postmasterOf(database);
            double loadBefore = loadAverage();
            long[] jvmsBefore = cpuOf(started);
            OptionalLong postgresBefore = CpuTime.ofPostgres(postmaster);
            log.printf("   %d node(s) up, 1-min load %.2f; POST /api/v1/import of one part to each…%n", n,
                    loadBefore);
            List<java.util.concurrent.CompletableFuture<Http.Answer>> answers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                java.net.URI importUri = started.get(i).commandUrl().resolve("/api/v1/import");
                Path part = parts.get(i);
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return http.postFile(importUri, part);
                    } catch (IOException | InterruptedException e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                }));
            }
            long accepted = 0;
            long rejected = 0;
            List<String> failures = new ArrayList<>();
            for (java.util.concurrent.CompletableFuture<Http.Answer> future : answers) {
                Http.Answer answer = future.join();
                if (answer.status() != 200) {
                    failures.add("HTTP " + answer.status() + " " + answer.body().lines().findFirst().orElse(""));
                    continue;
                }
                accepted += answer.json().path("accepted").asLong();
                rejected += answer.json().path("rejected").asLong();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] jvmsAfter = cpuOf(started);
            OptionalLong postgresAfter = CpuTime.ofPostgres(postmaster);
            double loadAfter = loadAverage();
            OptionalLong jvms = jvmsBefore[1] == n && jvmsAfter[1] == n
                    ? OptionalLong.of(jvmsAfter[0] - jvmsBefore[0]) : OptionalLong.empty();
            OptionalLong postgres = postgresBefore.isPresent() && postgresAfter.isPresent()
                    ? OptionalLong.of(postgresAfter.getAsLong() - postgresBefore.getAsLong()) : OptionalLong.empty();
            CpuUse used = new CpuUse(n == 1 ? "command node" : "command nodes", jvms, postgres);
            Measurement measured = new Measurement(accepted, seconds, Double.NaN, Double.NaN, rejected)
                    .withCpu(used, "event");
            String figure = measured.describe("events") + String.format(Locale.ROOT,
                    " (%s events in %.1f s, the file split by customer over the nodes); 1-min load %.2f before, "
                            + "%.2f at the end (%d cores)", BenchRun.count(accepted), seconds, loadBefore, loadAfter,
                    Runtime.getRuntime().availableProcessors());
            String verdict = !failures.isEmpty() ? "failed: " + String.join("; ", failures)
                    : rejected > 0 ? BenchRun.count(rejected) + " refused" : "imported";
            rows.accept(new Row(scenario, configuration, figure, "—", "—", "—", verdict));
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            drop(database, database.name());
            for (Path part : parts) {
                Files.deleteIfExists(part);
            }
        }
    }

    /** The CPU used so far by the nodes' JVMs, summed, and how many could be read. */
    private static long[] cpuOf(List<SystemUnderTest> nodes) {
        long sum = 0;
        long read = 0;
        for (SystemUnderTest node : nodes) {
            OptionalLong used = node.pid().isPresent() ? CpuTime.ofProcess(node.pid().getAsLong())
                    : OptionalLong.empty();
            if (used.isPresent()) {
                sum += used.getAsLong();
                read++;
            }
        }
        return new long[]{sum, read};
    }

    /**
     * The file in {@code n} parts by customer (the envelope's {@code subject}): each customer's lines, in their order,
     * in one part; customers dealt round-robin in the order they first appear.
     */
    static List<Path> split(Path file, int n) throws IOException {
        List<Path> parts = new ArrayList<>();
        List<java.io.BufferedWriter> writers = new ArrayList<>();
        java.util.Map<String, Integer> partOf = new java.util.HashMap<>();
        try {
            for (int i = 0; i < n; i++) {
                Path part = file.resolveSibling(file.getFileName() + ".part" + (i + 1) + "of" + n);
                parts.add(part);
                writers.add(Files.newBufferedWriter(part, StandardCharsets.UTF_8));
            }
            try (java.io.BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    int part = partOf.computeIfAbsent(subject(line), customer -> partOf.size() % n);
                    writers.get(part).write(line);
                    writers.get(part).write('\n');
                }
            }
        } finally {
            for (java.io.BufferedWriter writer : writers) {
                writer.close();
            }
        }
        return parts;
    }

    /** The envelope's {@code subject} (the customer): the first {@code "subject"} of the line, before its data. */
    private static String subject(String line) {
        int start = line.indexOf("\"subject\":\"");
        if (start < 0) {
            return "";
        }
        start += "\"subject\":\"".length();
        return line.substring(start, line.indexOf('"', start));
    }

    /**
     * Waits until every processor with tokens in the store (only the command side's: no query node ran on it) stands
     * at the store's head, so that the copies hold no work left for a command node; gives up after two minutes
     * without progress.
     */
    private void awaitProcessorsAtHead(Database store) throws Exception {
        long behind = Long.MAX_VALUE;
        long lastProgress = System.nanoTime();
        while (true) {
            long head = single(store, "SELECT coalesce(max(global_index), 0) FROM domain_event_entry");
            long lowest = lowestTokenPosition(store);
            if (lowest >= head) {
                log.printf("   every command-side processor at the head (%,d)%n", head);
                return;
            }
            if (head - lowest < behind) {
                behind = head - lowest;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > NO_PROGRESS.toNanos()) {
                log.printf("   a command-side processor stays %,d events behind the head; going on%n", head - lowest);
                return;
            }
            Thread.sleep(500);
        }
    }

    /** The lowest position of any segment's token in {@code token_entry} (0 for a segment without one). */
    private static long lowestTokenPosition(Database database) throws SQLException {
        long lowest = Long.MAX_VALUE;
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT token FROM token_entry")) {
            while (rs.next()) {
                byte[] token = rs.getBytes(1);
                long position = 0;
                if (token != null) {
                    Matcher index = TOKEN_INDEX.matcher(new String(token, StandardCharsets.UTF_8));
                    if (index.find()) {
                        position = Long.parseLong(index.group(1) != null ? index.group(1) : index.group(2));
                    }
                }
                lowest = Math.min(lowest, position);
            }
        }
        return lowest == Long.MAX_VALUE ? 0 : lowest;
    }

    /** One row: the read models of a fresh copy of the store caught up by {@code n} query nodes. */
    private void catchUp(Database store, long events, int n) throws Exception {
        int cap = (BenchOptions.SEGMENTS + n - 1) / n;
        String scenario = "read models caught up with " + n + " query node" + (n == 1 ? "" : "s");
        String configuration = "max-claimed-segments " + cap;
        String copyName = store.name() + "_n" + n;
        log.printf("%n-- %s (%s): copying the store to %s…%n", scenario, configuration, copyName);
        Database copy = copy(store, copyName);
        List<SystemUnderTest> started = new ArrayList<>();
        try {
            SystemUnderTest command = nodes.command(copy, "n" + n + "-command", 0);
            started.add(command);
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                names.add("n" + n + "-query-" + i);
            }
            long postmaster = CpuTime.postmasterOf(copy);
            OptionalLong postgresBefore = CpuTime.ofPostgres(postmaster);
            double loadBefore = loadAverage();
            log.printf("   command node %s up; starting %d query node(s), 1-min load %.2f…%n",
                    command.commandUrl(), n, loadBefore);
            long t0 = System.nanoTime();
            List<SystemUnderTest> queryNodes = nodes.query(copy, names, cap, command.commandUrl());
            started.addAll(queryNodes);
            double healthy = (System.nanoTime() - t0) / 1e9;
            log.printf("   every query node healthy after %.1f s (%s); waiting for lag 0 on every node…%n", healthy,
                    String.join(", ", queryNodes.stream().map(q -> q.queryUrl().toString()).toList()));
            boolean caughtUp = awaitNoLag(queryNodes, t0);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long jvms = 0;
            boolean everyJvm = true;
            for (SystemUnderTest node : queryNodes) {
                OptionalLong used = node.pid().isPresent() ? CpuTime.ofProcess(node.pid().getAsLong())
                        : OptionalLong.empty();
                everyJvm &= used.isPresent();
                jvms += used.orElse(0);
            }
            OptionalLong postgresAfter = CpuTime.ofPostgres(postmaster);
            OptionalLong postgres = postgresBefore.isPresent() && postgresAfter.isPresent()
                    ? OptionalLong.of(postgresAfter.getAsLong() - postgresBefore.getAsLong()) : OptionalLong.empty();
            double loadAfter = loadAverage();
            CpuUse used = new CpuUse(n == 1 ? "query node" : "query nodes",
                    everyJvm ? OptionalLong.of(jvms) : OptionalLong.empty(), postgres);
            Measurement measured = Measurement.rate(events, seconds).withCpu(used, "event");
            String figure = measured.describe("events") + String.format(Locale.ROOT,
                    " (%s events in %.1f s from the JVMs' start, every node healthy after %.1f s); 1-min load %.2f "
                            + "before, %.2f at the end (%d cores)", BenchRun.count(events), seconds, healthy,
                    loadBefore, loadAfter, Runtime.getRuntime().availableProcessors());
            rows.accept(new Row(scenario, configuration, figure, "—", "—", "—", caughtUp ? "caught up"
                    : "behind after " + options.catchUpTimeout()));
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).close();
            }
            drop(store, copyName);
        }
    }

    /**
     * Waits until every node reports every read model's lag at 0 (and reports some: before its metrics are up a node
     * has not caught up); false after the catch-up timeout.
     */
    private boolean awaitNoLag(List<SystemUnderTest> queryNodes, long t0) throws Exception {
        long deadline = t0 + options.catchUpTimeout().toNanos();
        long lastLog = System.nanoTime();
        while (System.nanoTime() < deadline) {
            double total = 0;
            boolean every = true;
            for (SystemUnderTest node : queryNodes) {
                Http.Answer answer = http.get(node.queryUrl().resolve("/actuator/prometheus"));
                OptionalDouble lag = answer.status() == 200 ? Prometheus.sum(answer.body(), BenchRun.LAG)
                        : OptionalDouble.empty();
                total += lag.orElse(0);
                every &= lag.isPresent();
            }
            if (every && total == 0) {
                return true;
            }
            if (System.nanoTime() - lastLog > Duration.ofSeconds(10).toNanos()) {
                log.printf("   %.0f s: lag %,.0f events summed over the read models and nodes%n",
                        (System.nanoTime() - t0) / 1e9, total);
                lastLog = System.nanoTime();
            }
            Thread.sleep(500);
        }
        return false;
    }

    /**
     * {@code CREATE DATABASE name TEMPLATE store}, from the server's {@code postgres} database: the copy needs no
     * session on the store, so one a stopped node left is ended first.
     */
    private static Database copy(Database store, String name) throws Exception {
        drop(store, name);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection connection = store.sibling("postgres").connect();
             Statement statement = connection.createStatement()) {
            while (true) {
                try {
                    statement.execute("CREATE DATABASE " + name + " TEMPLATE " + store.name());
                    return store.sibling(name);
                } catch (SQLException e) {
                    // 55006: the template is in use by another session (a node's pool closing)
                    if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                            + store.name() + "' AND pid <> pg_backend_pid()");
                    Thread.sleep(500);
                }
            }
        }
    }

    /** Drops a database of the harness's PostgreSQL, ending its connections first. */
    static void drop(Database store, String name) throws SQLException {
        try (Connection connection = store.sibling("postgres").connect();
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
                    + "' AND pid <> pg_backend_pid()");
            statement.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    private static long single(Database database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The 1-minute load average (/proc/loadavg), NaN where it cannot be read. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
