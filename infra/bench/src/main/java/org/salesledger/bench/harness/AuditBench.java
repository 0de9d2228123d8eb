package org.salesledger.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.salesledger.bench.generate.DataGenerator;
import org.salesledger.bench.generate.GeneratorOptions;

/**
 * The scenarios of issue 19 (contract §9): what the audit tree costs the command path and the import (two systems,
 * with and without the tree, measured in alternating rounds), how fast proofs are answered over HTTP (at the run's
 * tree size and on a synthetic tree of 10 million leaves), and how fast one customer's state and changes are
 * answered when it has 10,000 actions.
 */
final class AuditBench {

    /** Waits until a system has applied what it was sent (its read models caught up). */
    interface Settle {
        void await(SystemUnderTest system) throws Exception;
    }

    /** The order of the rounds of a paired comparison: with, without, without, with (ABBA: a linear drift cancels). */
    private static final boolean[] ROUNDS_WITH_TREE = {true, false, false, true};
    private static final String PAIR = "with / without the tree, alternating";
    private static final long SEED = 7;

    private final BenchOptions options;
    private final Http http;
    private final PrintStream log;
    private final Consumer<Row> rows;
    private final Settle settle;
    private final String runTag;

    AuditBench(BenchOptions options, Http http, PrintStream log, Consumer<Row> rows, Settle settle, String runTag) {
        this.options = options;
        this.http = http;
        this.log = log;
        this.rows = rows;
        this.settle = settle;
        this.runTag = runTag;
    }

    // ---- the tree's cost: command path and import, with and without it, in alternating rounds ----

    /**
     * The command path at each concurrency and the import, on two systems started side by side on the same
     * PostgreSQL — {@code with} the tree as shipped, {@code without} it (its appender off) — in four rounds each
     * (with, without, without, with), each system's rounds added up. Between rounds the system just measured is let
     * settle (its read models and, with the tree, its appender caught up), so that neither's background work runs in
     * the other's round. The verdict: the rate with the tree within 10 % of the rate without.
     */
    void pairedCost(SystemUnderTest with, SystemUnderTest without, boolean command, boolean imports)
            throws Exception {
        if (command) {
            for (int clients : options.clients()) {
                pairedCommand(with, without, clients);
            }
        }
        if (imports) {
            pairedImport(with, without, Math.max(1, options.defaultsImportSize() / 2));
        }
    }

    private void pairedCommand(SystemUnderTest with, SystemUnderTest without, int clients) throws Exception {
        String scenario = "command path, " + clients + (clients == 1 ? " client" : " clients") + ", the audit tree";
        Duration round = Duration.ofMillis(Math.max(1000, options.duration().toMillis() / 2));
        Latencies[] latencies = {new Latencies(), new Latencies()};
        long[] done = new long[2];
        long[] failed = new long[2];
        double[] seconds = new double[2];
        for (int r = 0; r < ROUNDS_WITH_TREE.length; r++) {
            boolean tree = ROUNDS_WITH_TREE[r];
            int side = tree ? 0 : 1;
            SystemUnderTest system = tree ? with : without;
            log.printf("-- %s: round %d of %d, %s…%n", scenario, r + 1, ROUNDS_WITH_TREE.length,
                    tree ? "with the tree" : "without");
            URI actions = system.commandUrl().resolve("/api/v1/actions");
            GeneratorOptions journeys = GeneratorOptions.of(10_000_000, SEED)
                    .withPrefix(runTag + "at" + clients + "-" + r + "-");
            Measurement measured = Load.run(clients, options.warmup(), round, client -> {
                Iterator<String> lines = BenchRun.linesOfClient(journeys, client, clients);
                return () -> http.postJson(actions, lines.next()).status() == 202;
            }, Load.Window.NONE, latencies[side]);
            done[side] += measured.count();
            failed[side] += measured.failures();
            seconds[side] += measured.seconds();
            settle(system, tree);
        }
        Measurement withTree = Measurement.of(done[0], seconds[0], latencies[0].histogram(), failed[0]);
        Measurement withoutTree = Measurement.of(done[1], seconds[1], latencies[1].histogram(), failed[1]);
        costRow(scenario, withTree, withoutTree, "actions");
    }

    private void pairedImport(SystemUnderTest with, SystemUnderTest without, long events) throws Exception {
        String scenario = "import, " + BenchRun.count(events) + " events per round, the audit tree";
        long[] accepted = new long[2];
        long[] rejected = new long[2];
        double[] seconds = new double[2];
        for (int r = 0; r < ROUNDS_WITH_TREE.length; r++) {
            boolean tree = ROUNDS_WITH_TREE[r];
            int side = tree ? 0 : 1;
            SystemUnderTest system = tree ? with : without;
            String prefix = runTag + "ai" + r + "-";
            long customers = (long) Math.ceil(events / DataGenerator.LINES_PER_CUSTOMER * 1.05) + 1;
            Path file = options.dataDir().resolve("data").resolve(prefix + "actions.ndjson");
            Files.createDirectories(file.getParent());
            try {
                try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
                    new DataGenerator(GeneratorOptions.of(customers, SEED).withPrefix(prefix).withMaxEvents(events))
                            .write(out);
                }
                log.printf("-- %s: round %d of %d, %s…%n", scenario, r + 1, ROUNDS_WITH_TREE.length,
                        tree ? "with the tree" : "without");
                long started = System.nanoTime();
                Http.Answer answer = http.postFile(system.commandUrl().resolve("/api/v1/import"), file);
                seconds[side] += (System.nanoTime() - started) / 1e9;
                if (answer.status() != 200) {
                    rows.accept(new Row(scenario, PAIR, "failed: HTTP " + answer.status(), "—", "—",
                            "≥ 0.90 (within 10 %)", answer.body().lines().findFirst().orElse("")));
                    return;
                }
                accepted[side] += answer.json().path("accepted").asLong();
                rejected[side] += answer.json().path("rejected").asLong();
            } finally {
                Files.deleteIfExists(file);
            }
            settle(system, tree);
        }
        costRow(scenario, new Measurement(accepted[0], seconds[0], Double.NaN, Double.NaN, rejected[0]),
                new Measurement(accepted[1], seconds[1], Double.NaN, Double.NaN, rejected[1]), "events");
    }

    private void costRow(String scenario, Measurement withTree, Measurement withoutTree, String unit) {
        double ratio = withTree.perSecond() / withoutTree.perSecond();
        boolean met = ratio >= 0.90 && withTree.failures() == 0 && withoutTree.failures() == 0;
        rows.accept(new Row(scenario, PAIR, "with the tree " + withTree.describe(unit) + "; without "
                + withoutTree.describe(unit), "—", String.format(Locale.ROOT, "%.2f", ratio),
                "≥ 0.90 (within 10 %)", met ? "met" : "missed"));
    }

    private void settle(SystemUnderTest system, boolean tree) throws Exception {
        settle.await(system);
        if (tree) {
            awaitTree(system);
        }
    }

    /**
     * Waits until the audit appender has passed every stored event (its {@code audit_log.position} at the event
     * store's highest global index).
     */
    private void awaitTree(SystemUnderTest system) throws Exception {
        long deadline = System.nanoTime() + options.catchUpTimeout().toNanos();
        long behind = -1;
        while (System.nanoTime() < deadline) {
            behind = treeBehind(system.database());
            if (behind <= 0) {
                return;
            }
            Thread.sleep(200);
        }
        log.printf("   the audit tree is still %,d events behind after %s; going on%n", behind,
                options.catchUpTimeout());
    }

    private static long treeBehind(Database database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT (SELECT coalesce(max(global_index), 0) "
                     + "FROM domain_event_entry) - (SELECT position FROM audit_log WHERE id = 1)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---- proofs ----

    /** Inclusion and consistency proofs over HTTP in the tree the run's actions made, once it has caught up. */
    void proofsOfTheRun(Configuration configuration, SystemUnderTest system) throws Exception {
        awaitTree(system);
        long size = treeSize(system.database());
        if (size == 0) {
            rows.accept(Row.skipped("audit proofs", configuration.label(), "the tree is empty: run a scenario that "
                    + "stores actions (command, import, state)"));
            return;
        }
        List<String> actionIds = randomActionIds(system.database(), size, 1000);
        proofRows(configuration.label(), system, size, "the run's actions", actionIds);
    }

    /**
     * Fills the empty audit tables of {@code system} (started with the tree off) with a synthetic tree of
     * {@code --synthetic-leaves} leaves through the tree library's own append path, then times proofs in it over
     * HTTP. Labelled as synthetic: the leaves are not actions (see {@link SyntheticTree}).
     */
    void proofsOfASyntheticTree(Configuration configuration, SystemUnderTest system) throws Exception {
        long leaves = options.syntheticLeaves();
        log.printf("-- audit proofs: filling a synthetic tree of %s leaves through TreeAppender…%n",
                BenchRun.count(leaves));
        long started = System.nanoTime();
        long size = SyntheticTree.fill(system.database(), leaves, log);
        log.printf("   filled in %.0f s%n", (System.nanoTime() - started) / 1e9);
        List<String> actionIds = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            actionIds.add(SyntheticTree.actionId(ThreadLocalRandom.current().nextLong(size)));
        }
        proofRows(configuration.label(), system, size, "synthetic leaves filled through TreeAppender, not actions",
                actionIds);
    }

    private void proofRows(String configuration, SystemUnderTest system, long size, String what,
                           List<String> actionIds) throws Exception {
        URI query = system.queryUrl();
        // the checkpoint of this size, signed now if it is not yet, so that every proof is against it
        Http.Answer checkpoint = http.get(query.resolve("/api/v1/audit/checkpoint?size=" + size));
        if (checkpoint.status() != 200) {
            rows.accept(Row.skipped("audit proofs, tree of " + BenchRun.count(size) + " leaves", configuration,
                    "the checkpoint of that size answered HTTP " + checkpoint.status() + ": "
                            + checkpoint.body().lines().findFirst().orElse("")));
            return;
        }
        String tree = "tree of " + BenchRun.count(size) + " leaves (" + what + ")";
        Supplier<URI> inclusion = () -> query.resolve("/api/v1/audit/proof/" + URLEncoder.encode(
                actionIds.get(ThreadLocalRandom.current().nextInt(actionIds.size())), StandardCharsets.UTF_8));
        Supplier<URI> consistency = () -> query.resolve("/api/v1/audit/consistency?from="
                + (1 + ThreadLocalRandom.current().nextLong(size)) + "&to=" + size);
        for (int clients : List.of(1, 8)) {
            latencyRow("audit inclusion proof, " + tree + ", " + clients(clients), configuration, clients, inclusion,
                    "proofs", "p99 < 20 ms", 20);
            latencyRow("audit consistency proof, " + tree + ", " + clients(clients), configuration, clients,
                    consistency, "proofs", "p99 < 20 ms", 20);
        }
    }

    private static long treeSize(Database database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT size FROM audit_log WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The action ids of up to {@code count} leaves drawn at random (with repeats) from a tree of {@code size}. */
    private static List<String> randomActionIds(Database database, long size, int count) throws SQLException {
        Long[] indexes = new Long[count];
        for (int i = 0; i < count; i++) {
            indexes[i] = ThreadLocalRandom.current().nextLong(size);
        }
        List<String> ids = new ArrayList<>();
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT action_id FROM audit_leaf WHERE leaf_index = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("int8", indexes));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    // ---- one customer's state and changes ----

    /**
     * One customer with {@code --state-actions} actions, imported (generated journeys of many customers put on one:
     * every registration but the first and every loss left out, so that the aggregate takes them), then
     * {@code GET /customers/{id}/state} (now), the same at an instant halfway through its history, and
     * {@code /changes}, each at 1 client (an auditor asking) and the state also at 8.
     */
    void state(Configuration configuration, SystemUnderTest system) throws Exception {
        int actions = options.stateActions();
        String customer = runTag + "st-one";
        Path file = options.dataDir().resolve("data").resolve(runTag + "st-actions.ndjson");
        Files.createDirectories(file.getParent());
        String middle = writeOneCustomer(file, customer, actions);
        Http.Answer answer;
        try {
            log.printf("-- state: importing %s actions of one customer…%n", BenchRun.count(actions));
            answer = http.postFile(system.commandUrl().resolve("/api/v1/import"), file);
        } finally {
            Files.deleteIfExists(file);
        }
        String scenario = "state of one customer";
        if (answer.status() != 200) {
            rows.accept(new Row(scenario, configuration.label(), "failed: the import answered HTTP "
                    + answer.status(), "—", "—", "p99 < 100 ms", answer.body().lines().findFirst().orElse("")));
            return;
        }
        settle.await(system);
        URI query = system.queryUrl();
        String path = "/api/v1/customers/" + URLEncoder.encode(customer, StandardCharsets.UTF_8);
        Http.Answer state = http.get(query.resolve(path + "/state"));
        if (state.status() != 200) {
            rows.accept(Row.skipped(scenario, configuration.label(), "the state answered HTTP " + state.status() + ": "
                    + state.body().lines().findFirst().orElse("")));
            return;
        }
        JsonNode report = answer.json();
        long applied = state.json().path("actionsApplied").asLong();
        String size = " (" + BenchRun.count(applied) + " actions applied; " + BenchRun.count(report.path("accepted")
                .asLong()) + " imported, " + BenchRun.count(report.path("rejected").asLong()) + " refused)";
        URI now = query.resolve(path + "/state");
        URI halfway = query.resolve(path + "/state?asOf=" + URLEncoder.encode(middle, StandardCharsets.UTF_8));
        URI changes = query.resolve(path + "/changes");
        latencyRow("state now" + size + ", 1 client", configuration.label(), 1, () -> now, "queries",
                "p99 < 100 ms", 100);
        latencyRow("state now" + size + ", 8 clients", configuration.label(), 8, () -> now, "queries",
                "p99 < 100 ms", 100);
        latencyRow("state halfway through its history" + size + ", 1 client", configuration.label(), 1,
                () -> halfway, "queries", "p99 < 100 ms", 100);
        latencyRow("changes, every action" + size + ", 1 client", configuration.label(), 1, () -> changes, "queries",
                "— (none set)", Double.NaN);
    }

    /**
     * Writes {@code actions} lines of one customer: the journeys of generated customers in turn, each put on
     * {@code customer}; answers the {@code time} of the line halfway through.
     */
    private String writeOneCustomer(Path file, String customer, int actions) throws IOException {
        String prefix = runTag + "st-";
        long journeys = (long) Math.ceil(actions / DataGenerator.LINES_PER_CUSTOMER * 2) + 10;
        GeneratorOptions generated = GeneratorOptions.of(journeys, SEED).withPrefix(prefix);
        String middle = null;
        int written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (long index = 0; written < actions && index < journeys; index++) {
                String subject = "\"subject\":\"" + prefix + "c-" + index + "\"";
                for (String line : DataGenerator.journey(generated, index)) {
                    if (written == actions) {
                        break;
                    }
                    boolean registers = line.contains("\"type\":\"CustomerRegistered\"");
                    if ((registers && written > 0) || line.contains("\"type\":\"DealLost\"")) {
                        continue;
                    }
                    out.write(line.replace(subject, "\"subject\":\"" + customer + "\""));
                    out.write('\n');
                    written++;
                    if (written == actions / 2) {
                        int at = line.indexOf("\"time\":\"") + 8;
                        middle = line.substring(at, line.indexOf('"', at));
                    }
                }
            }
        }
        return middle;
    }

    // ---- rows ----

    private void latencyRow(String scenario, String configuration, int clients, Supplier<URI> uri, String unit,
                            String target, double p99Millis) throws Exception {
        log.printf("-- %s…%n", scenario);
        Measurement measured = Load.run(clients, options.warmup(), options.duration(), client -> () ->
                http.get(uri.get()).status() == 200);
        String verdict = Double.isNaN(p99Millis) ? "measured"
                : measured.p99() < p99Millis && measured.failures() == 0 ? "met" : "missed";
        rows.accept(new Row(scenario, configuration, measured.describe(unit), "—", "—", target, verdict));
    }

    private static String clients(int clients) {
        return clients + (clients == 1 ? " client" : " clients");
    }
}
