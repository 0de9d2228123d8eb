package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.salesledger.testing.TestHttp.envelope;
import static org.salesledger.testing.TestHttp.eventually;
import static org.salesledger.testing.TestHttp.get;
import static org.salesledger.testing.TestHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.audit.checkpoint.Checkpoint;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.leaf.ActionLeaf;
import org.salesledger.audit.note.NoteVerifierKey;
import org.salesledger.audit.proof.InvalidProofException;
import org.salesledger.audit.proof.ProofVerifier;
import org.salesledger.audit.proof.TlogProof;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestKafka;
import org.salesledger.testing.TestPostgres;

/**
 * Contract §9's tamper evidence on the running system: every stored action, sent by concurrent writers, becomes a
 * leaf of the audit tree in store order, exactly once, also across a transaction held open and one rolled back
 * (gaps of the global index); the proofs, checkpoints and key the query side serves are checked with the library's
 * verifiers only, the leaf built here from the envelope Kafka carried and the timeline's {@code recordedAt} and
 * {@code recordedBy}; and an {@code UPDATE} of a stored payload in SQL is named by {@code admin/audit/verify} and by
 * {@code salesledger verify} on a later customer export.
 * The tampering test runs last: it leaves the store changed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditLogIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final String PREFIX = "audit-" + UUID.randomUUID().toString().substring(0, 8) + "-";

    @TempDir
    static Path dataDir;

    static TestPostgres.TestDatabase db;
    static EmbeddedSystem system;
    static NoteVerifierKey key;
    static String origin;

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.newDatabase();
        system = EmbeddedSystem.start(TestSystems.settings(db, dataDir));
        TestSystems.signIn(system);
        Response keyAnswer = get(query("/api/v1/audit/key"));
        assertThat(keyAnswer.status()).isEqualTo(200);
        key = NoteVerifierKey.parse(keyAnswer.body().trim());
        origin = key.name();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void everyActionOfConcurrentWritersIsProvedInASignedCheckpointWithTheLeafOfItsKafkaEnvelope() throws Exception {
        List<String> ids = storeConcurrently("w", 4, 3);

        for (String id : ids) {
            eventually(query("/api/v1/audit/proof/" + id), r -> r.status() == 200, CATCH_UP);
        }
        Map<String, JsonNode> onKafka = kafkaEnvelopes(ids);
        for (String id : ids) {
            String proofText = get(query("/api/v1/audit/proof/" + id)).body();
            Hash leaf = independentLeaf(onKafka.get(id));

            Checkpoint checkpoint = TlogProof.parse(proofText).verify(leaf, origin, key);

            assertThat(checkpoint.size()).isGreaterThan(TlogProof.parse(proofText).index());
        }
        // one leaf per action, in store order, none twice
        assertThat(leafGlobalIndexes()).isSorted().doesNotHaveDuplicates();
        assertThat(leafActionIds()).containsAll(ids).doesNotHaveDuplicates();
        // the latest checkpoint is signed by the served key, for this log
        Checkpoint latest = Checkpoint.open(get(query("/api/v1/audit/checkpoint")).body(), key);
        assertThat(latest.origin()).isEqualTo(origin).startsWith("salesledger/");
        assertThat(latest.size()).isPositive();
        // a proof against a checkpoint of another size is checked against that checkpoint
        String someId = ids.get(0);
        long index = TlogProof.parse(get(query("/api/v1/audit/proof/" + someId)).body()).index();
        TlogProof atSize = TlogProof.parse(get(query("/api/v1/audit/proof/" + someId + "?size=" + (index + 1))).body());
        assertThat(atSize.verify(independentLeaf(onKafka.get(someId)), origin, key).size()).isEqualTo(index + 1);
        // and a leaf that is not the action's fails
        assertThatThrownBy(() -> TlogProof.parse(get(query("/api/v1/audit/proof/" + someId)).body())
                .verify(independentLeaf(onKafka.get(ids.get(1))), origin, key))
                .isInstanceOf(InvalidProofException.class);
    }

    @Test
    @Order(2)
    void aLaterCheckpointIsConsistentWithAnEarlierOne() throws Exception {
        List<String> first = storeConcurrently("c1", 2, 2);
        eventually(query("/api/v1/audit/proof/" + first.get(first.size() - 1)), r -> r.status() == 200, CATCH_UP);
        Checkpoint earlier = Checkpoint.open(get(query("/api/v1/audit/checkpoint?size=" + treeSize())).body(), key);
        List<String> later = storeConcurrently("c2", 2, 3);
        for (String id : later) {
            eventually(query("/api/v1/audit/proof/" + id), r -> r.status() == 200, CATCH_UP);
        }
        Checkpoint newer = Checkpoint.open(get(query("/api/v1/audit/checkpoint?size=" + treeSize())).body(), key);
        assertThat(newer.size()).isGreaterThan(earlier.size());

        Response consistency = get(query("/api/v1/audit/consistency?from=" + earlier.size() + "&to=" + newer.size()));

        assertThat(consistency.status()).isEqualTo(200);
        List<Hash> proof = Arrays.stream(consistency.body().split("\n")).filter(l -> !l.isEmpty())
                .map(Hash::fromBase64).toList();
        ProofVerifier.verifyConsistency(earlier.size(), newer.size(), earlier.rootHash(), newer.rootHash(), proof);
        // the same proof does not join the earlier tree to another root
        assertThatThrownBy(() -> ProofVerifier.verifyConsistency(earlier.size(), newer.size(), newer.rootHash(),
                newer.rootHash(), proof)).isInstanceOf(InvalidProofException.class);
    }

    @Test
    @Order(3)
    void aTransactionHeldOpenIsWaitedForAndOneRolledBackIsPassed() throws Exception {
        List<String> before = storeConcurrently("g0", 1, 1);
        eventually(query("/api/v1/audit/proof/" + before.get(0)), r -> r.status() == 200, CATCH_UP);
        String heldId = PREFIX + "held";
        try (Connection held = connect(); Connection rolledBack = connect()) {
            held.setAutoCommit(false);
            rolledBack.setAutoCommit(false);
            // a copy of a stored registration as a new customer's, inserted and not committed yet
            long heldIndex = insertCopy(held, before.get(0), heldId);
            // a global index taken and never used
            long lostIndex = one(rolledBack, "SELECT nextval(pg_get_serial_sequence('domain_event_entry', "
                    + "'global_index'))");
            List<String> after = storeConcurrently("g1", 2, 2);
            rolledBack.rollback();
            held.commit();

            for (String id : after) {
                eventually(query("/api/v1/audit/proof/" + id), r -> r.status() == 200, CATCH_UP);
            }
            eventually(query("/api/v1/audit/proof/" + heldId), r -> r.status() == 200, CATCH_UP);
            List<Long> leaves = leafGlobalIndexes();
            assertThat(leaves).isSorted().doesNotHaveDuplicates().contains(heldIndex).doesNotContain(lostIndex);
            assertThat(lostIndex).isGreaterThan(heldIndex);
        }
    }

    @Test
    @Order(4)
    void badParametersAreRefusedNamingTheField() throws Exception {
        assertRefused("/api/v1/audit/checkpoint?size=ten", 400, "size");
        assertRefused("/api/v1/audit/checkpoint?size=-1", 400, "size");
        assertRefused("/api/v1/audit/checkpoint?size=999999999", 404, "size");
        assertRefused("/api/v1/audit/consistency?to=3", 400, "from");
        assertRefused("/api/v1/audit/consistency?from=1", 400, "to");
        assertRefused("/api/v1/audit/consistency?from=3&to=2", 400, "to");
        assertRefused("/api/v1/audit/consistency?from=0&to=2", 400, "from");
        assertRefused("/api/v1/audit/consistency?from=1&to=999999999", 404, "to");
        assertRefused("/api/v1/audit/proof/no-such-action", 404, "actionId");
        String id = leafActionIds().get(3);
        assertRefused("/api/v1/audit/proof/" + id + "?size=1", 400, "size");
        assertRefused("/api/v1/audit/proof/" + id + "?size=x", 400, "size");
    }

    @Test
    @Order(5)
    void anAuditorReadsTheLogAndARepMayNot() throws Exception {
        String auditor = TestHttp.userToken(system.commandPort(), "auditor-1", "{\"name\":\"Auditor\","
                + "\"roles\":[\"auditor\"]}");
        String rep = TestHttp.userToken(system.commandPort(), "rep-audit", "{\"name\":\"Rep\",\"roles\":[\"rep\"],"
                + "\"region\":\"east\"}");

        assertThat(get(query("/api/v1/audit/key"), auditor).status()).isEqualTo(200);
        assertThat(get(query("/api/v1/admin/audit/verify"), auditor).status()).isEqualTo(200);
        Response refused = get(query("/api/v1/audit/checkpoint"), rep);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("audit:read");
    }

    @Test
    @Order(6)
    void checkpointsArePublishedToTheirTopic() throws Exception {
        String latest = get(query("/api/v1/audit/checkpoint")).body();
        long size = Checkpoint.open(latest, key).size();

        List<String> notes = checkpointRecords(size);

        assertThat(notes).isNotEmpty().allSatisfy(note -> assertThat(Checkpoint.open(note, key).origin())
                .isEqualTo(origin));
        List<Long> sizes = notes.stream().map(n -> Checkpoint.open(n, key).size()).toList();
        assertThat(sizes).contains(size);
    }

    @Test
    @Order(7)
    void aFreeFormNumberNoDoubleHoldsIsInTheLeafAsTheStringOfItsDigits() throws Exception {
        String customer = PREFIX + "big";
        String id = customer + "-1";
        send(envelope(customer + "-0", "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00", "rep-07",
                "{\"name\":\"Big\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\"}"));
        send(envelope(id, "VisitLogged", customer, "2025-03-02T09:00:00+08:00", "rep-07",
                "{\"contactRole\":\"buyer\",\"location\":{\"lat\":31.2,\"lon\":121.5},"
                        + "\"meterReading\":123456789012345678901234567890}"));

        String proofText = eventually(query("/api/v1/audit/proof/" + id), r -> r.status() == 200, CATCH_UP).body();

        ObjectNode onKafka = (ObjectNode) kafkaEnvelopes(List.of(id)).get(id);
        assertThat(onKafka.get("data").get("meterReading").isBigInteger()).isTrue();
        ((ObjectNode) onKafka.get("data")).put("meterReading", "123456789012345678901234567890");
        TlogProof.parse(proofText).verify(independentLeaf(onKafka), origin, key);
    }

    @Test
    @Order(100)
    void anUpdateOfAStoredPayloadInSqlIsNamedByTheVerification() throws Exception {
        List<String> ids = storeConcurrently("t", 1, 3);
        for (String id : ids) {
            eventually(query("/api/v1/audit/proof/" + id), r -> r.status() == 200, CATCH_UP);
        }
        JsonNode clean = get(query("/api/v1/admin/audit/verify")).json();
        assertThat(clean.get("ok").asBoolean()).as(clean.toString()).isTrue();
        assertThat(clean.get("firstMismatch").isNull()).isTrue();
        String tampered = ids.get(1);

        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            int rows = statement.executeUpdate("UPDATE domain_event_entry SET payload = convert_to(replace("
                    + "convert_from(payload, 'UTF8'), 'buyer', 'owner'), 'UTF8') WHERE convert_from(meta_data, "
                    + "'UTF8')::jsonb ->> 'actionId' = '" + tampered + "'");
            assertThat(rows).isEqualTo(1);
        }
        JsonNode report = get(query("/api/v1/admin/audit/verify")).json();

        assertThat(report.get("ok").asBoolean()).as(report.toString()).isFalse();
        assertThat(report.get("firstMismatch").get("actionId").asText()).isEqualTo(tampered);
    }

    @Test
    @Order(101)
    void aCustomerExportVerifiesOfflineAndAnUpdateInSqlIsNamedByVerifyOnALaterExport() throws Exception {
        List<String> ids = storeConcurrently("x", 1, 3);
        String customer = PREFIX + "x-c0";
        for (String id : ids) {
            eventually(query("/api/v1/audit/proof/" + id), r -> r.status() == 200, CATCH_UP);
        }
        Response export = get(query("/api/v1/customers/" + customer + "/export"));
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        List<String> lines = export.body().lines().toList();
        List<String> exported = lines.subList(0, lines.size() - 1).stream()
                .map(line -> parse(line).get("envelope").get("id").asText()).toList();
        assertThat(exported).containsAll(ids);
        assertThat(parse(lines.get(lines.size() - 1)).get("checkpoint").asText()).startsWith(origin + "\n");
        // the export's leaves are the leaves built here from the envelopes Kafka carried
        Map<String, JsonNode> onKafka = kafkaEnvelopes(ids);
        for (String line : lines.subList(0, lines.size() - 1)) {
            JsonNode node = parse(line);
            String id = node.get("envelope").get("id").asText();
            if (onKafka.containsKey(id)) {
                assertThat(ActionLeaf.hash(node.get("envelope"), Instant.parse(node.get("recordedAt").asText()),
                        node.get("recordedBy").isNull() ? null : node.get("recordedBy").asText()))
                        .as(id).isEqualTo(independentLeaf(onKafka.get(id)));
            }
        }

        Verified clean = verify(export.body());
        assertThat(clean.exit()).as(clean.out()).isZero();
        assertThat(clean.out()).startsWith("verify: OK: " + exported.size() + " action");

        String tampered = ids.get(2);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            int rows = statement.executeUpdate("UPDATE domain_event_entry SET payload = convert_to(replace("
                    + "convert_from(payload, 'UTF8'), 'buyer', 'owner'), 'UTF8') WHERE convert_from(meta_data, "
                    + "'UTF8')::jsonb ->> 'actionId' = '" + tampered + "'");
            assertThat(rows).isEqualTo(1);
        }
        Response later = get(query("/api/v1/customers/" + customer + "/export"));
        assertThat(later.status()).as(later.body()).isEqualTo(200);

        Verified caught = verify(later.body());
        assertThat(caught.exit()).as(caught.out()).isEqualTo(1);
        int line = exported.indexOf(tampered) + 1;
        assertThat(caught.out()).startsWith("verify: FAILED at line " + line + ": action " + tampered + " ");
    }

    @Test
    @Order(102)
    void theExportOfAnUnknownCustomerIsNotFound() throws Exception {
        assertRefused("/api/v1/customers/" + PREFIX + "no-such-customer/export", 404, "id");
    }

    private static JsonNode parse(String line) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("an export line is not JSON: " + line, e);
        }
    }

    record Verified(int exit, String out) {
    }

    /** {@code salesledger verify - --key KEY} in this JVM, the export on standard input, the served key. */
    private static Verified verify(String export) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = SalesLedger.execute(new String[] {"verify", "-", "--key", key.encoded()},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
                new java.io.ByteArrayInputStream(export.getBytes(StandardCharsets.UTF_8)), Map.of());
        return new Verified(exit, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    // ---- storing ----

    /** {@code writers} threads each register a customer and log {@code visits} visits; answers the action ids. */
    private static List<String> storeConcurrently(String tag, int writers, int visits) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<String>>> sent = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String customer = PREFIX + tag + "-c" + w;
                sent.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    String registered = customer + "-0";
                    send(envelope(registered, "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00",
                            "rep-07", "{\"name\":\"" + customer + "\",\"region\":\"east\",\"ownerRepId\":\"rep-07\","
                                    + "\"channel\":\"exhibition\"}"));
                    ids.add(registered);
                    for (int v = 1; v <= visits; v++) {
                        String id = customer + "-" + v;
                        send(envelope(id, "VisitLogged", customer, "2025-03-0" + (1 + v) + "T09:00:00.5+08:00",
                                "rep-07", "{\"contactRole\":\"buyer\",\"location\":{\"lat\":31.2,\"lon\":121.5},"
                                        + "\"notes\":\"visit " + v + "\"}"));
                        ids.add(id);
                    }
                    return ids;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<List<String>> f : sent) {
                ids.addAll(f.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    private static void send(String envelope) throws Exception {
        Response answer = post(command("/api/v1/actions"), envelope, "Content-Type", "application/json");
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    // ---- what is checked against ----

    /**
     * The leaf as contract §9 defines it, built here: the envelope Kafka carried, with {@code recordedAt} and
     * {@code recordedBy} exactly as the timeline shows them.
     */
    private static Hash independentLeaf(JsonNode kafkaEnvelope) throws Exception {
        String id = kafkaEnvelope.get("id").asText();
        String customer = kafkaEnvelope.get("subject").asText();
        JsonNode event = null;
        Response timeline = eventually(query("/api/v1/customers/" + customer + "/timeline"),
                r -> r.status() == 200 && r.body().contains("\"" + id + "\""), CATCH_UP);
        for (JsonNode e : timeline.json().get("events")) {
            if (e.get("id").asText().equals(id)) {
                event = e;
            }
        }
        assertThat(event).as("timeline entry of " + id).isNotNull();
        String recordedAt = event.get("recordedAt").asText();
        assertThat(recordedAt).endsWith("Z");
        String recordedBy = event.hasNonNull("recordedBy") ? event.get("recordedBy").asText() : null;
        Instant instant = Instant.parse(recordedAt);
        assertThat(instant.toString()).as("recordedAt as ISO_INSTANT").isEqualTo(recordedAt);
        return ActionLeaf.hash((ObjectNode) kafkaEnvelope.deepCopy(), instant, recordedBy);
    }

    private static Map<String, JsonNode> kafkaEnvelopes(List<String> ids) {
        Map<String, JsonNode> byId = new HashMap<>();
        for (TopicRecords.Received r : TopicRecords.readUntil(TestKafka.bootstrapServers(), "salesledger.actions.v1",
                received -> received.stream().map(TopicRecords.Received::id).toList().containsAll(ids), CATCH_UP)) {
            if (ids.contains(r.id())) {
                byId.put(r.id(), r.value());
            }
        }
        assertThat(byId.keySet()).containsAll(ids);
        return byId;
    }

    /** The notes of this log on the checkpoint topic, read until one of {@code size} is there. */
    private static List<String> checkpointRecords(long size) {
        List<String> notes = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "audit-it-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor("salesledger.checkpoints.v1", Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            boolean found = false;
            while (!found && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (origin.equals(record.key())) {
                        String note = new String(record.value(), StandardCharsets.UTF_8);
                        notes.add(note);
                        found |= Checkpoint.open(note, key).size() == size;
                    }
                }
            }
        }
        return notes;
    }

    private static long treeSize() throws Exception {
        try (Connection connection = connect()) {
            return one(connection, "SELECT size FROM audit_log");
        }
    }

    private static List<Long> leafGlobalIndexes() throws Exception {
        List<Long> indexes = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT global_index FROM audit_leaf ORDER BY leaf_index")) {
            while (rows.next()) {
                indexes.add(rows.getLong(1));
            }
        }
        return indexes;
    }

    private static List<String> leafActionIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT action_id FROM audit_leaf ORDER BY leaf_index")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** Inserts, in {@code connection}'s transaction, a copy of action {@code of}'s event as action {@code id}. */
    private static long insertCopy(Connection connection, String of, String id) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("""
                     INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_type, time_stamp,
                                                     aggregate_identifier, sequence_number, type)
                     SELECT gen_random_uuid()::text,
                            convert_to(replace(convert_from(meta_data, 'UTF8'), '"%1$s"', '"%2$s"'), 'UTF8'),
                            convert_to(replace(convert_from(payload, 'UTF8'), aggregate_identifier, '%2$s'), 'UTF8'),
                            payload_type, time_stamp, '%2$s', 0, type
                     FROM domain_event_entry WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'actionId' = '%1$s'
                     RETURNING global_index""".formatted(of, id))) {
            assertThat(row.next()).isTrue();
            return row.getLong(1);
        }
    }

    private static long one(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).isTrue();
            return row.getLong(1);
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    private static void assertRefused(String path, int status, String field) throws Exception {
        Response answer = get(query(path));
        assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(status);
        assertThat(answer.json().get("errors").get(0).get("field").asText()).as(path).isEqualTo(field);
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }
}
