package org.salesledger.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The command side over HTTP against a real PostgreSQL: what is stored, what is refused, and that an envelope id
 * is stored once however often and however concurrently it is sent.
 */
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=command-service", TestHttp.ADMIN_SECRET_PROPERTY, "salesledger.snapshot-every=50",
                "salesledger.import.batch-size=3"})
class CommandApiIT {

    @LocalServerPort
    int port;

    @org.junit.jupiter.api.BeforeEach
    void signInAsAdmin() {
        TestHttp.signInAsAdmin(port);
    }

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }

    // ---- single actions ----

    @Test
    void storesAnActionOnceAndSaysWhenItIsADuplicate() throws Exception {
        String registration = registered("dup-1", "cust-dup");
        Response first = post("/api/v1/actions", registration);
        Response again = post("/api/v1/actions", registration);

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("id").asText()).isEqualTo("dup-1");
        assertThat(first.json().get("duplicate").asBoolean()).isFalse();
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(eventsOf("cust-dup")).isEqualTo(1);
    }

    @Test
    void refusesAnInvalidActionFieldByFieldAndStoresNothing() throws Exception {
        post("/api/v1/actions", registered("inv-0", "cust-inv"));
        String visitWithoutLocationOrRole = envelope("inv-1", "VisitLogged", "cust-inv", "{\"notes\":\"hello\"}");

        Response response = post("/api/v1/actions", visitWithoutLocationOrRole);

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response)).containsExactlyInAnyOrder("data.contactRole", "data.location");
        assertThat(eventsOf("cust-inv")).isEqualTo(1);
        assertThat(receipt("inv-1")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON     | {\"specversion\":\"1.0\",                                   | ''",
            "unknown type       | " + "{\"specversion\":\"1.0\",\"id\":\"x-1\",\"source\":\"/t\",\"type\":\"Teleported\",\"subject\":\"c\",\"time\":\"2025-03-01T09:30:00Z\",\"actor\":\"r\",\"data\":{}} | type",
            "unparseable time   | " + "{\"specversion\":\"1.0\",\"id\":\"x-2\",\"source\":\"/t\",\"type\":\"DealLost\",\"subject\":\"c\",\"time\":\"yesterday\",\"actor\":\"r\",\"data\":{\"reason\":\"price\"}} | time",
            "time without offset| " + "{\"specversion\":\"1.0\",\"id\":\"x-3\",\"source\":\"/t\",\"type\":\"DealLost\",\"subject\":\"c\",\"time\":\"2025-03-01T09:30:00\",\"actor\":\"r\",\"data\":{\"reason\":\"price\"}} | time",
            "not an object      | [1,2,3]                                                    | ''"})
    void refusesBadInputWithAFieldAndAMessage(String name, String body, String field) throws Exception {
        long before = allEvents();

        Response response = post("/api/v1/actions", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response)).contains(field);
        assertThat(response.json().get("errors").get(0).get("message").asText()).isNotBlank();
        assertThat(allEvents()).isEqualTo(before);
    }

    @Test
    void refusesAnOversizedBodyWith413AndAMessage() throws Exception {
        String huge = envelope("big-1", "DealLost", "cust-big", "{\"reason\":\"" + "x".repeat(1_100_000) + "\"}");

        Response response = post("/api/v1/actions", huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("message").asText()).contains("limit");
        assertThat(response.body()).doesNotContain("at org.");
    }

    @Test
    void anActionForAnUnknownCustomerIsRefusedAndLeavesNoReceipt() throws Exception {
        String visit = visit("early-1", "cust-late");

        Response refused = post("/api/v1/actions", visit);
        post("/api/v1/actions", registered("late-0", "cust-late"));
        Response acceptedLater = post("/api/v1/actions", visit);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(fields(refused)).containsExactly("subject");
        assertThat(acceptedLater.status()).isEqualTo(202);
        assertThat(acceptedLater.json().get("duplicate").asBoolean()).isFalse();
    }

    // ---- concurrency ----

    @Test
    void theSameActionSentFromManyThreadsIsStoredOnce() throws Exception {
        post("/api/v1/actions", registered("cc-0", "cust-cc"));
        String visit = visit("cc-1", "cust-cc");

        List<Response> responses = concurrently(16, i -> post("/api/v1/actions", visit));

        assertThat(responses).extracting(Response::status).containsOnly(202);
        assertThat(responses).filteredOn(r -> !r.json().get("duplicate").asBoolean()).hasSize(1);
        assertThat(eventsOf("cust-cc")).isEqualTo(2);
    }

    @Test
    void concurrentActionsOnOneCustomerAreAllStored() throws Exception {
        post("/api/v1/actions", registered("par-0", "cust-par"));

        List<Response> responses = concurrently(24, i -> post("/api/v1/actions", visit("par-" + (i + 1), "cust-par")));

        assertThat(responses).extracting(Response::status).containsOnly(202);
        assertThat(eventsOf("cust-par")).isEqualTo(25);
        assertThat(jdbc.queryForList("SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = ? "
                + "ORDER BY sequence_number", Long.class, "cust-par"))
                .containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(Long::valueOf).toList());
    }

    /**
     * Concurrent single actions of many customers share transactions (group commit, ADR 0038): each is answered for
     * itself, a refusal in a shared transaction sinks none of the others, and every accepted action is stored once,
     * in its customer's unbroken sequence.
     */
    @Test
    void concurrentActionsOfManyCustomersAreEachAnsweredAndStoredAndARefusalSinksNoOther() throws Exception {
        for (int c = 0; c < 8; c++) {
            post("/api/v1/actions", registered("gc-reg-" + c, "cust-gc-" + c));
        }

        List<Response> responses = concurrently(32, i -> i < 8
                ? post("/api/v1/actions", visit("gc-none-" + i, "cust-gc-none-" + i))
                : post("/api/v1/actions", visit("gc-" + i, "cust-gc-" + (i % 8))));

        assertThat(responses.subList(0, 8)).extracting(Response::status).containsOnly(400);
        assertThat(responses.subList(8, 32)).extracting(Response::status).containsOnly(202);
        assertThat(responses.subList(8, 32)).allSatisfy(r -> assertThat(r.json().get("duplicate").asBoolean())
                .isFalse());
        for (int c = 0; c < 8; c++) {
            assertThat(jdbc.queryForList("SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = ? "
                    + "ORDER BY sequence_number", Long.class, "cust-gc-" + c)).containsExactly(0L, 1L, 2L, 3L);
        }
        for (int i = 0; i < 8; i++) {
            assertThat(receipt("gc-none-" + i)).isZero();
            assertThat(eventsOf("cust-gc-none-" + i)).isZero();
        }
        for (int i = 8; i < 32; i++) {
            assertThat(receipt("gc-" + i)).isEqualTo(1);
        }
    }

    @Test
    void aWriterWaitsWhileAnotherNodeHoldsTheCustomersLockAndClaimsNothingMeanwhile() throws Exception {
        post("/api/v1/actions", registered("lock-0", "cust-lock"));
        try (java.sql.Connection otherNode = jdbc.getDataSource().getConnection()) {
            otherNode.setAutoCommit(false);
            try (var lock = otherNode.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "cust-lock");
                lock.execute();
            }
            java.util.concurrent.CompletableFuture<Response> waiting = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return post("/api/v1/actions", visit("lock-1", "cust-lock"));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            awaitAdvisoryLockWaiter();

            assertThat(waiting).isNotDone();
            assertThat(receipt("lock-1")).isZero();
            otherNode.commit();
            assertThat(waiting.get().status()).isEqualTo(202);
        }
        assertThat(eventsOf("cust-lock")).isEqualTo(2);
        assertThat(receipt("lock-1")).isEqualTo(1);
    }

    /** Until some session waits for an advisory lock that another holds. */
    private void awaitAdvisoryLockWaiter() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Long waiting = jdbc.queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    + "AND NOT granted", Long.class);
            if (waiting != null && waiting > 0) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no writer came to wait for the customer's lock");
    }

    // ---- snapshots ----

    @Test
    void aCustomerWithManyActionsIsSnapshottedAndStillDecidesCorrectly() throws Exception {
        post("/api/v1/actions", registered("snap-0", "cust-snap"));
        post("/api/v1/actions", envelope("snap-k", "ContractSigned", "cust-snap",
                "{\"contractId\":\"K-1\",\"amount\":{\"value\":\"1000.00\",\"currency\":\"CNY\"}}"));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            lines.append(visit("snap-v" + i, "cust-snap")).append('\n');
        }
        post("/api/v1/import", lines.toString());

        Response payment = post("/api/v1/actions", envelope("snap-p", "PaymentReceived", "cust-snap",
                "{\"contractId\":\"K-1\",\"amount\":{\"value\":\"500\",\"currency\":\"CNY\"}}"));
        Response unknownContract = post("/api/v1/actions", envelope("snap-q", "PaymentReceived", "cust-snap",
                "{\"contractId\":\"K-2\",\"amount\":{\"value\":\"500\",\"currency\":\"CNY\"}}"));

        assertThat(jdbc.queryForObject("SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?",
                Long.class, "cust-snap")).isPositive();
        assertThat(payment.status()).isEqualTo(202);
        assertThat(unknownContract.status()).isEqualTo(400);
        assertThat(fields(unknownContract)).containsExactly("data.contractId");
        assertThat(eventsOf("cust-snap")).isEqualTo(153);
    }

    // ---- import ----

    @Test
    void anImportReportsExactCountsAndARepeatedImportStoresNothingNew() throws Exception {
        String file = String.join("\n",
                registered("imp-1", "cust-imp"),                                   // 1 accepted
                "{ this is not json",                                              // 2 rejected: JSON
                visit("imp-2", "cust-imp"),                                        // 3 accepted
                visit("imp-2", "cust-imp"),                                        // 4 duplicate
                "",                                                                // 5 blank: ignored
                envelope("imp-3", "VisitLogged", "cust-imp", "{\"location\":{\"lat\":1,\"lon\":2}}"), // 6 rejected
                visit("imp-4", "cust-nobody"),                                     // 7 rejected: unknown customer
                envelope("imp-5", "DealLost", "cust-imp", "{\"reason\":\"budget cut\"}")) + "\n"; // 8 accepted

        Response first = post("/api/v1/import", file);
        Response second = post("/api/v1/import", file);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("accepted").asLong()).isEqualTo(3);
        assertThat(first.json().get("duplicates").asLong()).isEqualTo(1);
        assertThat(first.json().get("rejected").asLong()).isEqualTo(3);
        assertThat(lineErrors(first)).containsExactly("2:", "6:data.contactRole", "7:subject");
        assertThat(second.json().get("accepted").asLong()).isZero();
        assertThat(second.json().get("duplicates").asLong()).isEqualTo(4);
        assertThat(second.json().get("rejected").asLong()).isEqualTo(3);
        assertThat(eventsOf("cust-imp")).isEqualTo(3);
    }

    @Test
    void anImportDeclaringMoreThanTheLimitIsRefusedWith413BeforeAnythingIsRead() throws Exception {
        // the default limit is 16 GiB: a declared length over it is refused before a byte of the body is read
        int status = statusOfPostDeclaring("/api/v1/import", 17_179_869_185L);

        assertThat(status).isEqualTo(413);
    }

    // ---- helpers ----

    private int statusOfPostDeclaring(String path, long contentLength) throws IOException {
        try (var socket = new java.net.Socket("localhost", port)) {
            var out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-ndjson\r\n"
                    + "Authorization: Bearer " + TestHttp.currentToken() + "\r\n"
                    + "Content-Length: " + contentLength + "\r\nConnection: close\r\n\r\n").getBytes());
            out.flush();
            // read the status line only: the server answers at once, without waiting for the announced body
            byte[] statusLine = socket.getInputStream().readNBytes(12);
            return Integer.parseInt(new String(statusLine).substring(9, 12));
        }
    }

    static String envelope(String id, String type, String customer, String data) {
        return TestHttp.envelope(id, type, customer, "2025-03-01T09:30:00+08:00", "rep-07", data);
    }

    static String registered(String id, String customer) {
        return envelope(id, "CustomerRegistered", customer,
                "{\"name\":\"Acme\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\"}");
    }

    static String visit(String id, String customer) {
        return envelope(id, "VisitLogged", customer,
                "{\"contactRole\":\"equipment\",\"location\":{\"lat\":31.2,\"lon\":121.5}}");
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private Response post(String path, String body) throws IOException, InterruptedException {
        return TestHttp.post(URI.create(base() + path), body,
                "Content-Type", path.endsWith("import") ? "application/x-ndjson" : "application/json");
    }

    private static List<String> fields(Response response) {
        List<String> fields = new ArrayList<>();
        response.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    private static List<String> lineErrors(Response response) {
        List<String> errors = new ArrayList<>();
        response.json().get("errors").forEach(e -> errors.add(e.get("line").asLong() + ":" + e.get("field").asText()));
        return errors;
    }

    private long eventsOf(String customer) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, customer);
    }

    private long allEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }

    private long receipt(String id) {
        return jdbc.queryForObject("SELECT count(*) FROM action_receipt WHERE action_id = ?", Long.class, id);
    }

    private interface Call {
        Response call(int i) throws Exception;
    }

    private static List<Response> concurrently(int threads, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit((Callable<Response>) () -> {
                    start.await();
                    return call.call(n);
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
