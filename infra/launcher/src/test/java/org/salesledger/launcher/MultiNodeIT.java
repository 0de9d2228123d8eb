package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.testing.TestHttp.envelope;
import static org.salesledger.testing.TestHttp.get;
import static org.salesledger.testing.TestHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestKafka;
import org.salesledger.testing.TestPostgres;

/**
 * Three nodes of one system on one shared PostgreSQL and Kafka, each running both sides ({@code run --role all}),
 * with 8 segments per processor ({@code salesledger.processing.segments}), each node claiming at most 4 (ADR 0037).
 * Node C runs in a JVM of its own and starts first, so it holds half of every processor's segments — of the read
 * models, the rules and the Kafka relay; node A takes the other half, node B none. While an import to node A runs, node C is killed ({@code kill -9}): its claims
 * stay in {@code token_entry} until they expire, then node B takes its segments over. In the end every read model
 * holds exactly what the event store holds (the consistency check), every action was stored once, and the Kafka topic
 * holds every action, each customer's in stored order once repeats are dropped by id — the relay's promise is at
 * least once (ADR 0012): a batch Kafka acknowledged whose token the killed node had not yet committed is sent again.
 */
class MultiNodeIT {

    private static final int CHUNKS = 8;
    private static final int CUSTOMERS_PER_CHUNK = 40;
    private static final int CUSTOMERS = CHUNKS * CUSTOMERS_PER_CHUNK;
    private static final int ACTIONS_PER_CUSTOMER = 3;
    private static final int SEGMENTS = 8;
    private static final int CAP = 4;
    private static final List<String> PROCESSORS = List.of("timeline", "funnel", "worklists", "talktrack",
            "attribution", "rules", "timers", "kafka-relay");
    private static final Duration CONVERGE = Duration.ofMinutes(4);

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @TempDir
    Path dirC;

    private final String run = "mn" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aNodeKilledDuringAnImportLeavesEveryReadModelAndTheTopicComplete() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        Process nodeC = startChildNode(db, dirC);
        EmbeddedSystem nodeA = null;
        EmbeddedSystem nodeB = null;
        try {
            awaitClaims(db, "node-c", CAP, nodeC);
            nodeA = startInProcess(db, dirA, "node-a");
            awaitClaims(db, "node-a", SEGMENTS - CAP, nodeC);
            nodeB = startInProcess(db, dirB, "node-b");
            assertThat(claimsOf(db, "node-b")).as("node B starts with every segment claimed by A and C").isEmpty();

            TestHttp.signInAsAdmin(nodeA.commandPort());
            TestHttp.useTokenFor(TestHttp.currentToken(), nodeA.commandPort(), nodeA.queryPort());
            URI commandSide = URI.create("http://localhost:" + nodeA.commandPort());
            URI querySide = URI.create("http://localhost:" + nodeA.queryPort());

            long accepted = 0;
            for (int chunk = 0; chunk < CHUNKS; chunk++) {
                if (chunk == CHUNKS / 2) {
                    assertThat(claimsOf(db, "node-c")).as("node C holds segments when it is killed").isNotEmpty();
                    nodeC.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    assertThat(nodeC.isAlive()).isFalse();
                }
                TestHttp.Response imported = post(commandSide.resolve("/api/v1/import"), chunk(chunk),
                        "Content-Type", "application/x-ndjson");
                assertThat(imported.status()).as(imported.toString()).isEqualTo(200);
                assertThat(imported.json().get("rejected").asLong()).as(imported.toString()).isZero();
                accepted += imported.json().get("accepted").asLong();
            }
            assertThat(accepted).isEqualTo((long) CUSTOMERS * ACTIONS_PER_CUSTOMER);

            // the dead node's segments are taken over: every processor's segments are A's and B's again
            awaitNoClaims(db, "node-c");
            JsonNode report = consistentReport(querySide);
            assertThat(report.get("differencesTotal").asLong()).as(report.toString()).isZero();
            assertThat(report.get("readModels")).hasSize(6).allSatisfy(model -> { // timeline, funnel, worklists, attribution, talktrack, health
                assertThat(model.get("customersCompared").asLong()).as(model.toString()).isEqualTo(CUSTOMERS);
                assertThat(model.get("customersParked").asLong()).as(model.toString()).isZero();
            });
            assertThat(receiptsOfThisRun(db)).as("every action stored once")
                    .isEqualTo((long) CUSTOMERS * ACTIONS_PER_CUSTOMER);

            assertTopicHoldsEveryActionInOrder();
        } finally {
            nodeC.destroyForcibly();
            if (nodeB != null) {
                nodeB.close();
            }
            if (nodeA != null) {
                nodeA.close();
            }
            System.clearProperty("salesledger.processing.max-claimed-segments");
            System.clearProperty("salesledger.processing.segments");
            System.clearProperty("salesledger.processing.node-name");
            System.clearProperty("salesledger.admin-client-secret");
        }
    }

    /** Runs the consistency check on node A until every read model has caught up with the whole import. */
    private static JsonNode consistentReport(URI querySide) throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        JsonNode report;
        do {
            assertThat(post(querySide.resolve("/api/v1/admin/consistency?limit=20"), "").status()).isEqualTo(202);
            report = TestHttp.eventually(querySide.resolve("/api/v1/admin/consistency"),
                    r -> r.status() == 200 && !r.json().path("state").asText().equals("RUNNING"),
                    Duration.ofMinutes(2)).json();
            assertThat(report.get("state").asText()).as(report.toString()).isEqualTo("DONE");
            if (settled(report) || System.nanoTime() > deadline) {
                return report;
            }
            Thread.sleep(1000);
        } while (true);
    }

    private static boolean settled(JsonNode report) {
        if (report.get("differencesTotal").asLong() != 0) {
            return false;
        }
        for (JsonNode model : report.get("readModels")) {
            if (model.get("customersCompared").asLong() != CUSTOMERS) {
                return false;
            }
        }
        return true;
    }

    private void assertTopicHoldsEveryActionInOrder() {
        Map<String, List<String>> sent = new LinkedHashMap<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            sent.put(customer(i), List.of(actionId(i, 0), actionId(i, 1), actionId(i, 2)));
        }
        List<String> everyId = sent.values().stream().flatMap(List::stream).toList();
        List<TopicRecords.Received> received = TopicRecords.readUntil(TestKafka.bootstrapServers(),
                "salesledger.actions.v1", r -> ofThisRun(r).stream().map(TopicRecords.Received::id).toList()
                        .containsAll(everyId), CONVERGE);
        List<TopicRecords.Received> mine = ofThisRun(received);

        Map<String, LinkedHashSet<String>> firstCopies = new LinkedHashMap<>();
        for (TopicRecords.Received record : mine) {
            assertThat(record.key()).isEqualTo(record.value().path("subject").asText());
            firstCopies.computeIfAbsent(record.key(), k -> new LinkedHashSet<>()).add(record.id());
        }
        assertThat(firstCopies.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        sent.forEach((customer, ids) -> assertThat(new ArrayList<>(firstCopies.get(customer)))
                .as("customer %s's actions on the topic, repeats dropped by id", customer)
                .containsExactlyElementsOf(ids));
        long repeats = mine.size() - everyId.size();
        assertThat(repeats).as("repeats are whole records sent again, never an action missing").isNotNegative();
    }

    private List<TopicRecords.Received> ofThisRun(List<TopicRecords.Received> records) {
        return records.stream().filter(r -> r.id().startsWith(run + "-")).toList();
    }

    private String customer(int index) {
        return run + "-c" + index;
    }

    private String actionId(int customer, int step) {
        return customer(customer) + "-" + step;
    }

    /** One chunk of the import: its customers' three actions each, in order. */
    private String chunk(int chunk) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = chunk * CUSTOMERS_PER_CHUNK; i < (chunk + 1) * CUSTOMERS_PER_CHUNK; i++) {
            String customer = customer(i);
            ndjson.append(envelope(actionId(i, 0), "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00",
                    "rep-07", "{\"name\":\"" + customer + "\",\"region\":\"east\",\"ownerRepId\":\"rep-07\","
                            + "\"channel\":\"exhibition\"}")).append('\n');
            ndjson.append(envelope(actionId(i, 1), "ProposalSent", customer, "2025-03-05T10:00:00+08:00", "rep-07",
                    "{\"document\":{\"uri\":\"s3://p/1.pdf\",\"mediaType\":\"application/pdf\"},"
                            + "\"expectedDecisionDate\":\"2025-04-01\",\"keyParameters\":[\"price\",\"delivery\","
                            + "\"warranty\"],\"amount\":{\"value\":\"1200.50\",\"currency\":\"CNY\"}}")).append('\n');
            ndjson.append(envelope(actionId(i, 2), "ContractSigned", customer, "2025-03-20T10:00:00+08:00", "rep-07",
                    "{\"contractId\":\"K-" + customer + "\",\"amount\":{\"value\":\"99000\",\"currency\":\"CNY\"}}"))
                    .append('\n');
        }
        return ndjson.toString();
    }

    private static EmbeddedSystem startInProcess(TestPostgres.TestDatabase db, Path dir, String name)
            throws Exception {
        System.setProperty("salesledger.processing.segments", String.valueOf(SEGMENTS));
        System.setProperty("salesledger.processing.max-claimed-segments", String.valueOf(CAP));
        System.setProperty("salesledger.processing.node-name", name);
        System.setProperty("salesledger.admin-client-secret", TestHttp.ADMIN_SECRET);
        return EmbeddedSystem.start(TestSystems.settings(db, dir));
    }

    /** {@code salesledger run --role all} in a JVM of its own, on the tests' class path. */
    private static Process startChildNode(TestPostgres.TestDatabase db, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Dsalesledger.processing.segments=" + SEGMENTS,
                "-Dsalesledger.processing.max-claimed-segments=" + CAP,
                "-Dsalesledger.processing.node-name=node-c",
                "-cp", System.getProperty("java.class.path"), SalesLedger.class.getName(), "run", "--role", "all");
        Map<String, String> env = builder.environment();
        env.put("SALESLEDGER_DB_URL", db.jdbcUrl());
        env.put("SALESLEDGER_DB_USER", db.user());
        env.put("SALESLEDGER_DB_PASSWORD", db.password());
        env.put("SALESLEDGER_KAFKA_BOOTSTRAP", TestKafka.bootstrapServers());
        env.put("SALESLEDGER_DATA_DIR", dir.toString());
        env.put("SALESLEDGER_COMMAND_PORT", String.valueOf(freePort()));
        env.put("SALESLEDGER_QUERY_PORT", String.valueOf(freePort()));
        env.put("SALESLEDGER_ADMIN_CLIENT_SECRET", TestHttp.ADMIN_SECRET);
        File log = dir.resolve("node-c.log").toFile();
        builder.redirectErrorStream(true).redirectOutput(log);
        return builder.start();
    }

    /** Waits until the node holds {@code count} segments of every processor. */
    private static void awaitClaims(TestPostgres.TestDatabase db, String node, int count, Process nodeC)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, Integer> claims = claimsOf(db, node);
        while (!PROCESSORS.stream().allMatch(p -> claims(claims, p) == count)) {
            assertThat(nodeC.isAlive()).as("node C is running").isTrue();
            assertThat(System.nanoTime()).as("%s holds %d segments of each of %s; it holds %s", node, count,
                    PROCESSORS, claims).isLessThan(deadline);
            Thread.sleep(500);
            claims.clear();
            claims.putAll(claimsOf(db, node));
        }
    }

    /** Waits until no segment is claimed by {@code node} any more, and every segment is claimed by another node. */
    private static void awaitNoClaims(TestPostgres.TestDatabase db, String node) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!claimsOf(db, node).isEmpty() || unclaimed(db) > 0) {
            assertThat(System.nanoTime()).as("%s's segments taken over; it still holds %s, %d unclaimed", node,
                    claimsOf(db, node), unclaimed(db)).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static int claims(Map<String, Integer> claims, String processor) {
        return claims.getOrDefault(processor, 0);
    }

    /** Segments per processor that {@code node} has claimed. */
    private static Map<String, Integer> claimsOf(TestPostgres.TestDatabase db, String node) throws Exception {
        Map<String, Integer> claims = new LinkedHashMap<>();
        if (single(db, "select count(*) from pg_tables where tablename = 'token_entry'") == 0) {
            return claims; // no node has made its tables yet
        }
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             ResultSet rows = connection.createStatement().executeQuery(
                     "select processor_name, count(*) from token_entry where owner = '" + node + "' "
                             + "group by processor_name")) {
            while (rows.next()) {
                claims.put(rows.getString(1), rows.getInt(2));
            }
        }
        return claims;
    }

    private static long unclaimed(TestPostgres.TestDatabase db) throws Exception {
        String processors = String.join("','", PROCESSORS);
        return single(db, "select count(*) from token_entry where owner is null and processor_name in ('"
                + processors + "')");
    }

    private long receiptsOfThisRun(TestPostgres.TestDatabase db) throws Exception {
        return single(db, "select count(*) from action_receipt where action_id like '" + run + "-%'");
    }

    private static long single(TestPostgres.TestDatabase db, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
