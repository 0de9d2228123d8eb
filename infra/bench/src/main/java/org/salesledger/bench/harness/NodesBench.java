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
 * run it.
 */
final class NodesBench {

    private static final long SEED = 7;
    private static final String LAG = "salesledger_projection_lag_events{";
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
        Database store = databases.fresh(Configuration.NODES);
        log.printf("%n== nodes: loading a store of %s events through a command node on %s%n",
                BenchRun.count(options.nodesEvents()), store);
        try {
            load(store);
            long events = single(store, "SELECT count(*) FROM domain_event_entry");
            for (int n : options.nodeCounts()) {
                catchUp(store, events, n);
            }
        } finally {
            drop(store, store.name());
        }
    }

    /** Imports the generated events through one command node and stops it once its processors are at the head. */
    private void load(Database store) throws Exception {
        String prefix = "nd-";
        long events = options.nodesEvents();
        long customers = (long) Math.ceil(events / DataGenerator.LINES_PER_CUSTOMER * 1.05) + 1;
        GeneratorOptions data = GeneratorOptions.of(customers, SEED).withPrefix(prefix).withMaxEvents(events);
        Path file = options.dataDir().resolve("data").resolve("nodes-actions.ndjson");
        Files.createDirectories(file.getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            new DataGenerator(data).write(out);
        }
        try (SystemUnderTest loader = nodes.command(store, "loader")) {
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
        } finally {
            Files.deleteIfExists(file);
        }
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
            SystemUnderTest command = nodes.command(copy, "n" + n + "-command");
            started.add(command);
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                names.add("n" + n + "-query-" + i);
            }
            long postmaster = CpuTime.postmasterOf(copy);
            OptionalLong postgresBefore = CpuTime.ofPostgres(postmaster);
            double loadBefore = loadAverage();
            log.printf("   command node %s up; starting %d query node(s), 1-min load %.2f…%n", command.commandUrl(), n,
                    loadBefore);
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
                int models = 0;
                if (answer.status() == 200) {
                    for (String line : answer.body().split("\n")) {
                        if (line.startsWith(LAG)) {
                            models++;
                            total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        }
                    }
                }
                every &= models > 0;
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

    private static void drop(Database store, String name) throws SQLException {
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
