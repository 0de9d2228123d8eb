package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.bench.harness.BenchCommand;
import org.salesledger.bench.harness.BenchOptions;
import org.salesledger.bench.harness.ChildProcessSystem;
import org.salesledger.bench.harness.Database;
import org.salesledger.bench.harness.ResultsTable;
import org.salesledger.bench.harness.Row;
import org.salesledger.testing.TestKafka;
import org.salesledger.testing.TestPostgres;

/**
 * The benchmark's smoke run ({@code salesledger bench --quick}) against the whole system started as a user starts
 * it, in a JVM of its own, tuned and on Axon's defaults, without the token check and with and without the audit
 * tree: every scenario yields its row (the health rows of issue 18 among them). No timing is asserted: speed is measured by the harness on a quiet machine,
 * not by tests.
 */
class BenchSmokeIT {

    @TempDir
    Path dataDir;

    @Test
    void aQuickRunProducesARowForEveryScenarioInBothConfigurations() throws Exception {
        BenchOptions options = BenchOptions.parse(new String[]{"--quick", "--duration", "1", "--clients", "1,8",
                "--data-dir", dataDir.toString()}, Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ResultsTable table = BenchCommand.run(options,
                ChildProcessSystem.starter(SalesLedger.selfLaunch(), List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"),
                        new ChildProcessSystem.Ports(0, 0, 0), dataDir,
                        Map.of("SALESLEDGER_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers())),
                // the import's store-alone row imports through a command node alone
                ChildProcessSystem.nodes(SalesLedger.selfLaunch(), List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"),
                        dataDir.resolve("nodes"), Map.of("SALESLEDGER_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers())),
                configuration -> {
                    TestPostgres.TestDatabase db = TestPostgres.newDatabase();
                    return new Database(db.jdbcUrl(), db.user(), db.password());
                },
                new PrintStream(log, true, StandardCharsets.UTF_8));

        System.out.println(table.text());
        List<String> rows = table.rows().stream().map(r -> r.configuration() + ": " + r.scenario()).toList();
        assertThat(rows).as(log.toString(StandardCharsets.UTF_8)).contains(
                "tuned: command path, 1 client", "tuned: command path, 8 clients",
                // issue 22: what each work of the system spent per action while the command path's load ran
                "tuned: command path, 8 clients, where the system's CPU went while it ran",
                "Axon defaults: command path, 8 clients, where the system's CPU went while it ran",
                "Axon defaults: command path, 1 client", "Axon defaults: command path, 8 clients",
                "tuned: import, 2,000 events, stored", "Axon defaults: import, 2,000 events, stored",
                // issue 22: the same import timed until every read model of the query side has applied it
                "tuned: import, 2,000 events, every read model caught up",
                "Axon defaults: import, 2,000 events, every read model caught up",
                // and where the system's CPU went until then, per work (each read model, the audit log, the import…)
                "tuned: import, 2,000 events, where the system's CPU went until then",
                // and the same file through a command node alone: the store without the read models
                "a command node alone: import, 2,000 events, store alone (a command node, no read model running)",
                "a command node alone: import, 2,000 events, store alone (a command node, no read model running): "
                        + "where the command node's CPU went during the request",
                "tuned: memory, during the 2,000 import", "tuned: Kafka relay",
                "tuned: command path, 8 clients, the token check on the server",
                "half with, half without: command path, 1 client, the token check",
                "half with, half without: command path, 8 clients, the token check",
                // issue 19: the tree's cost, two systems in alternating rounds
                "with / without the tree, alternating: command path, 1 client, the audit tree",
                "with / without the tree, alternating: command path, 8 clients, the audit tree",
                "with / without the tree, alternating: import, 1,000 events per round, the audit tree",
                // proofs in a synthetic tree (10 M in the full run), filled through the library's append path
                "without the audit tree: audit inclusion proof, tree of 10,000 leaves (synthetic leaves filled "
                        + "through TreeAppender, not actions), 1 client",
                "without the audit tree: audit consistency proof, tree of 10,000 leaves (synthetic leaves filled "
                        + "through TreeAppender, not actions), 8 clients",
                // one customer of 1,000 actions (10,000 in the full run), every generated line taken
                "tuned: state now (1,000 actions applied; 1,000 imported, 0 refused), 1 client",
                "tuned: state now (1,000 actions applied; 1,000 imported, 0 refused), 8 clients",
                "tuned: state halfway through its history (1,000 actions applied; 1,000 imported, 0 refused), 1 client",
                "tuned: changes, every action (1,000 actions applied; 1,000 imported, 0 refused), 1 client");
        assertThat(rows).anyMatch(r -> r.startsWith("tuned: query funnel ("))
                .anyMatch(r -> r.startsWith("tuned: query funnel, region and channel filter"))
                .anyMatch(r -> r.startsWith("tuned: query timeline"))
                .anyMatch(r -> r.startsWith("tuned: query attribution"))
                .anyMatch(r -> r.startsWith("tuned: rebuild timeline, "))
                .anyMatch(r -> r.startsWith("tuned: rebuild funnel, "))
                .anyMatch(r -> r.startsWith("tuned: rebuild attribution, "))
                .anyMatch(r -> r.startsWith("tuned: rebuild worklists, "))
                .anyMatch(r -> r.startsWith("tuned: rebuild talktrack, "))
                .anyMatch(r -> r.startsWith("tuned: rebuild health, "))
                // issue 18: a rep-month and the ranking of every rep, at 1 and 8 clients
                .anyMatch(r -> r.matches("tuned: health of one rep-month \\([0-9,]+ reps, .*\\), 1 client"))
                .anyMatch(r -> r.matches("tuned: health of one rep-month \\([0-9,]+ reps, .*\\), 8 clients"))
                .anyMatch(r -> r.matches("tuned: health ranking by rep, one month \\([0-9,]+ reps, .*\\), 1 client"))
                .anyMatch(r -> r.matches("tuned: health ranking by rep, one month \\([0-9,]+ reps, .*\\), 8 clients"))
                .anyMatch(r -> r.startsWith("tuned: audit inclusion proof, tree of ")
                        && r.endsWith(" leaves (the run's actions), 1 client"))
                .anyMatch(r -> r.startsWith("tuned: audit consistency proof, tree of ")
                        && r.endsWith(" leaves (the run's actions), 8 clients"));
        for (Row row : table.rows()) {
            if (row.scenario().endsWith(", the token check")) {
                // the check's cost, calls with and without a token in pairs: the end-to-end difference may fall
                // either way in a seconds-long smoke run; the server's own timing of the check is there for both
                assertThat(row.figure()).as(row.toString()).matches("[0-9,]+ actions/s; with a token p50 [0-9.]+ ms, "
                        + "p99 [0-9.]+ ms; without p50 [0-9.]+ ms, p99 [0-9.]+ ms; difference p50 [+-][0-9.]+ ms, "
                        + "p99 [+-][0-9.]+ ms");
                assertThat(row.baseline()).as(row.toString()).matches("the check on the server: with a token "
                        + "p50 ≤ [0-9.]+ ms, p99 ≤ [0-9.]+ ms; without p50 ≤ [0-9.]+ ms, p99 ≤ [0-9.]+ ms");
                continue;
            }
            if (row.scenario().endsWith(", the audit tree")) {
                // with and without the tree, each system's rounds added up; the verdict on their ratio
                assertThat(row.figure()).as(row.toString()).doesNotContain("failed")
                        .matches("with the tree [0-9,]+ (actions|events)/s.*; without [0-9,]+ (actions|events)/s.*");
                assertThat(row.ratio()).as(row.toString()).matches("\\d+\\.\\d\\d");
                assertThat(row.target()).isEqualTo("≥ 0.90 (within 10 %)");
                assertThat(row.verdict()).isIn("met", "missed");
                continue;
            }
            if (row.scenario().startsWith("audit ") || row.scenario().startsWith("state ")
                    || row.scenario().startsWith("health ")
                    || row.scenario().startsWith("changes")) {
                assertThat(row.figure()).as(row.toString()).doesNotContain("failed")
                        .matches("[0-9,]+ (proofs|queries)/s, p50 [0-9.]+ ms, p99 [0-9.]+ ms");
                continue;
            }
            if (row.scenario().endsWith(", the token check on the server")) {
                assertThat(row.figure()).as(row.toString()).matches("p50 ≤ [0-9.]+ ms, p99 ≤ [0-9.]+ ms .*");
                continue;
            }
            if (row.scenario().endsWith(", where the system's CPU went until then")) {
                assertThat(row.figure()).as(row.toString()).startsWith("per event: ")
                        .contains(" timeline ", " attribution ", " health ", " audit log ", " import ", " coordinators ")
                        .contains("outside Java threads (GC, JIT)").matches("per event:( [a-z -]+ -?[0-9.]+ ms[,(]?.*)+");
                continue;
            }
            if (row.scenario().endsWith(", where the system's CPU went while it ran")) {
                // the command path's load: what each work of the system spent per action while it ran
                assertThat(row.figure()).as(row.toString()).startsWith("per action: ").contains(" http ")
                        .contains("outside Java threads (GC, JIT)");
                continue;
            }
            if (row.scenario().endsWith(": where the command node's CPU went during the request")) {
                // a command node alone: its import and processors, no read model's
                assertThat(row.figure()).as(row.toString()).startsWith("per event: ")
                        .contains(" import ", " coordinators ", "outside Java threads (GC, JIT)")
                        .doesNotContain(" timeline ", " attribution ", " health ");
                continue;
            }
            if (row.scenario().startsWith("command path") || row.scenario().startsWith("import")) {
                assertThat(row.figure()).as(row.toString()).doesNotContain("failed").matches("[0-9,]+ .*/s.*");
                assertThat(row.baseline()).as(row.toString()).matches("[0-9,]+ .*/s.*");
                assertThat(row.ratio()).as(row.toString()).matches("\\d+\\.\\d\\d");
            }
        }
        // the imports on Axon's defaults are compared with the tuned ones by their ratios, whatever their sizes
        assertThat(table.rows()).filteredOn(row -> row.configuration().equals("Axon defaults")
                        && row.scenario().startsWith("import, ") && !row.scenario().endsWith(" until then"))
                .hasSize(2).allSatisfy(row -> assertThat(row.verdict()).as(row.toString())
                        .containsPattern("tuned's ratio is [0-9.]+× this one"));
        assertThat(table.rows()).filteredOn(row -> row.scenario().equals("Kafka relay")).singleElement()
                .satisfies(row -> assertThat(row.figure()).as(row.toString()).contains("stored→acked p99"));
        assertThat(table.rows()).filteredOn(row -> row.scenario().startsWith("query "))
                .allSatisfy(row -> assertThat(row.figure()).as(row.toString()).doesNotContain("failed"));
        assertThat(table.markdown()).startsWith("| scenario | configuration |").contains("| tuned | ");
    }
}
