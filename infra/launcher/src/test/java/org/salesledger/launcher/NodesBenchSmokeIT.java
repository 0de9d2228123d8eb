package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The benchmark's nodes scenario (issue 20), quick, with nodes of the system started as a user starts them; a class
 * of its own so that it runs beside {@link BenchSmokeIT} in the other fork rather than after it.
 */
class NodesBenchSmokeIT {

    @TempDir
    Path dataDir;

    /**
     * Issue 20's nodes scenario, quick: a store of 5,000 generated events loaded through a command node, then a fresh
     * copy of it caught up by two query nodes (each a JVM of its own on the tests' PostgreSQL and Kafka, capped at 4
     * segments), every read model caught up on both; then the same events imported through two command nodes, the file
     * split by customer, every line accepted: a row for each. Two nodes only, not the quick run's one and two: one
     * node is the same path with a wider cap, and each node is a JVM start this suite waits for. No timing asserted.
     */
    @Test
    void aQuickNodesRunCatchesUpOnTwoQueryNodesAndImportsThroughTwoCommandNodes() throws Exception {
        BenchOptions options = BenchOptions.parse(new String[]{"nodes", "--quick", "--node-counts", "2",
                "--data-dir", dataDir.toString()},
                Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ResultsTable table = BenchCommand.run(options,
                (configuration, database) -> {
                    throw new AssertionError("the nodes scenario starts no whole system: " + configuration);
                },
                ChildProcessSystem.nodes(SalesLedger.selfLaunch(), List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"),
                        dataDir.resolve("nodes"), Map.of("SALESLEDGER_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers())),
                configuration -> {
                    TestPostgres.TestDatabase db = TestPostgres.newDatabase();
                    return new Database(db.jdbcUrl(), db.user(), db.password());
                },
                new PrintStream(log, true, StandardCharsets.UTF_8));

        System.out.println(table.text());
        String output = log.toString(StandardCharsets.UTF_8);
        assertThat(table.rows()).as(output).extracting(Row::scenario, Row::configuration, Row::verdict)
                .containsExactly(
                        tuple("read models caught up with 2 query nodes",
                                "max-claimed-segments 4", "caught up"),
                        tuple("import through 2 command nodes",
                                "max-claimed-segments 4", "imported"));
        Pattern caughtUp = Pattern.compile("[0-9,]+ events/s; CPU per event: "
                + "query nodes? [0-9.]+ ms, PostgreSQL [0-9.]+ ms \\(([0-9,]+) events in [0-9.]+ s from the JVMs' "
                + "start, every node healthy after [0-9.]+ s\\); 1-min load [0-9.]+ before, [0-9.]+ at the end "
                + "\\([0-9]+ cores\\)");
        Pattern imported = Pattern.compile("[0-9,]+ events/s; CPU per event: "
                + "command nodes? [0-9.]+ ms, PostgreSQL [0-9.]+ ms \\(([0-9,]+) events in [0-9.]+ s, the file split "
                + "by customer over the nodes\\); 1-min load [0-9.]+ before, [0-9.]+ at the end \\([0-9]+ cores\\)");
        for (Row row : table.rows()) {
            boolean isImport = row.scenario().startsWith("import");
            Matcher matched = (isImport ? imported : caughtUp).matcher(row.figure());
            assertThat(matched.matches()).as(row.toString()).isTrue();
            long events = Long.parseLong(matched.group(1).replace(",", ""));
            if (isImport) {
                // the parts of the split file hold every generated line, each accepted by its node
                assertThat(events).as(row.toString()).isEqualTo(5_000);
            } else {
                // every imported line is an event of the store the nodes caught up with (the rules may add more)
                assertThat(events).as(row.toString()).isGreaterThanOrEqualTo(5_000);
            }
            assertThat(row.baseline()).isEqualTo("—");
            assertThat(row.target()).isEqualTo("—");
        }
    }
}
