package org.salesledger.command.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.command.api.CommandApiIT.envelope;
import static org.salesledger.command.api.CommandApiIT.registered;
import static org.salesledger.command.api.CommandApiIT.visit;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
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
 * How the command side stores many customers at once and keeps customers in memory, against a real PostgreSQL:
 * one worker, so that every customer of an import batch is stored in one transaction.
 */
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=command-service", TestHttp.ADMIN_SECRET_PROPERTY, "salesledger.import.workers=1",
                "salesledger.import.batch-size=50"})
class ImportTransactionsIT {

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

    @Test
    void manyCustomersInterleavedInOneBatchAreEachStoredInTheirOwnOrder() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            lines.add(registered("mc-" + c + "-0", "cust-mc-" + c));
        }
        for (int v = 1; v <= 3; v++) {
            for (int c = 0; c < 10; c++) {
                lines.add(visit("mc-" + c + "-" + v, "cust-mc-" + c));
            }
        }

        Response report = importLines(lines);

        assertThat(report.json().get("accepted").asLong()).as(report.toString()).isEqualTo(40);
        for (int c = 0; c < 10; c++) {
            assertThat(jdbc.queryForList("SELECT e.sequence_number FROM domain_event_entry e "
                    + "WHERE e.aggregate_identifier = ? ORDER BY e.global_index", Long.class, "cust-mc-" + c))
                    .containsExactly(0L, 1L, 2L, 3L);
        }
    }

    @Test
    void aCustomerThatCannotBeWrittenDoesNotStopTheOthersOfItsTransaction() throws Exception {
        jdbc.execute("""
                CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.aggregate_identifier = 'cust-poison' THEN
                        RAISE EXCEPTION 'disk on fire for %', NEW.aggregate_identifier;
                    END IF;
                    RETURN NEW;
                END $$""");
        jdbc.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON domain_event_entry FOR EACH ROW "
                + "EXECUTE FUNCTION refuse_poison()");
        try {
            Response report = importLines(List.of(
                    registered("ok-a-0", "cust-ok-a"),
                    registered("poison-0", "cust-poison"),
                    registered("ok-b-0", "cust-ok-b"),
                    visit("poison-1", "cust-poison"),
                    visit("ok-a-1", "cust-ok-a")));

            assertThat(report.json().get("accepted").asLong()).as(report.toString()).isEqualTo(3);
            assertThat(report.json().get("rejected").asLong()).isEqualTo(2);
            assertThat(report.json().get("errors")).extracting(e -> e.get("line").asLong())
                    .containsExactly(2L, 4L);
            assertThat(report.json().get("errors").get(0).get("message").asText()).contains("send the line again");
        } finally {
            jdbc.execute("DROP TRIGGER refuse_poison ON domain_event_entry");
            jdbc.execute("DROP FUNCTION refuse_poison()");
        }
        assertThat(count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = 'cust-poison'"))
                .isZero();
        assertThat(count("SELECT count(*) FROM action_receipt WHERE customer_id = 'cust-poison'")).isZero();
        assertThat(count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier LIKE 'cust-ok-%'"))
                .isEqualTo(3);
        // sent again once the fault is gone, the refused lines are stored
        Response again = importLines(List.of(registered("poison-0", "cust-poison"), visit("poison-1", "cust-poison")));
        assertThat(again.json().get("accepted").asLong()).as(again.toString()).isEqualTo(2);
    }

    @Test
    void aCustomerChangedByAnotherNodeIsReloadedRatherThanDecidedOnWhatWasInMemory() throws Exception {
        post(registered("node-0", "cust-node"));
        post(visit("node-1", "cust-node"));
        // another node records an action of this customer: this node's copy in memory is now one event behind
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_revision, "
                + "payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                + "SELECT 'other-node-2', meta_data, payload, payload_revision, payload_type, time_stamp, "
                + "aggregate_identifier, 2, type FROM domain_event_entry "
                + "WHERE aggregate_identifier = 'cust-node' AND sequence_number = 1");

        Response afterwards = post(visit("node-3", "cust-node"));

        assertThat(afterwards.status()).as(afterwards.toString()).isEqualTo(202);
        assertThat(jdbc.queryForList("SELECT sequence_number FROM domain_event_entry "
                + "WHERE aggregate_identifier = 'cust-node' ORDER BY sequence_number", Long.class))
                .containsExactlyElementsOf(IntStream.rangeClosed(0, 3).mapToObj(Long::valueOf).toList());
    }

    @Test
    void aPaymentForAContractAnotherNodeRecordedIsAcceptedThoughThisNodeHeldTheCustomerBefore() throws Exception {
        post(registered("pay-0", "cust-pay"));
        post(registered("pay-src-0", "cust-pay-src"));
        post(envelope("pay-src-1", "ContractSigned", "cust-pay-src",
                "{\"contractId\":\"PAY-1\",\"amount\":{\"value\":\"10.00\",\"currency\":\"CNY\"}}"));
        // another node signs contract PAY-1 for cust-pay: this node still holds cust-pay without it
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_revision, "
                + "payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                + "SELECT 'other-node-pay', meta_data, payload, payload_revision, payload_type, time_stamp, "
                + "'cust-pay', 1, type FROM domain_event_entry "
                + "WHERE aggregate_identifier = 'cust-pay-src' AND sequence_number = 1");

        Response payment = post(envelope("pay-2", "PaymentReceived", "cust-pay",
                "{\"contractId\":\"PAY-1\",\"amount\":{\"value\":\"10.00\",\"currency\":\"CNY\"}}"));

        assertThat(payment.status()).as(payment.toString()).isEqualTo(202);
        assertThat(count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = 'cust-pay'"))
                .isEqualTo(3);
    }

    @Test
    void aCustomerRegisteredByAnotherNodeIsNotTakenForANewOneAndIsRefusedARegistrationAgain() throws Exception {
        post(registered("twin-0", "cust-twin-a"));
        // another node registered cust-twin-b: it is in the store, not in this node's memory
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_revision, "
                + "payload_type, time_stamp, aggregate_identifier, sequence_number, type) "
                + "SELECT 'other-node-twin', meta_data, payload, payload_revision, payload_type, time_stamp, "
                + "'cust-twin-b', 0, type FROM domain_event_entry WHERE aggregate_identifier = 'cust-twin-a'");

        Response report = importLines(List.of(registered("twin-1", "cust-twin-b"), registered("twin-2", "cust-twin-c")));

        assertThat(report.json().get("accepted").asLong()).as(report.toString()).isEqualTo(1);
        assertThat(report.json().get("rejected").asLong()).isEqualTo(1);
        assertThat(report.json().get("errors").get(0).get("message").asText()).contains("already registered");
        assertThat(count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = 'cust-twin-b'"))
                .isEqualTo(1);
    }

    @Test
    void aContractSignedInARolledBackTransactionIsNotRememberedByTheCustomer() throws Exception {
        post(registered("rb-0", "cust-rb"));
        jdbc.execute("""
                CREATE FUNCTION refuse_contract() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.aggregate_identifier = 'cust-rb' THEN
                        RAISE EXCEPTION 'no room for %', NEW.aggregate_identifier;
                    END IF;
                    RETURN NEW;
                END $$""");
        jdbc.execute("CREATE TRIGGER refuse_contract BEFORE INSERT ON domain_event_entry FOR EACH ROW "
                + "EXECUTE FUNCTION refuse_contract()");
        Response failed;
        try {
            failed = post(envelope("rb-1", "ContractSigned", "cust-rb",
                    "{\"contractId\":\"RB-1\",\"amount\":{\"value\":\"10.00\",\"currency\":\"CNY\"}}"));
        } finally {
            jdbc.execute("DROP TRIGGER refuse_contract ON domain_event_entry");
            jdbc.execute("DROP FUNCTION refuse_contract()");
        }

        Response payment = post(envelope("rb-2", "PaymentReceived", "cust-rb",
                "{\"contractId\":\"RB-1\",\"amount\":{\"value\":\"10.00\",\"currency\":\"CNY\"}}"));

        assertThat(failed.status()).isGreaterThanOrEqualTo(500);
        assertThat(payment.status()).as(payment.toString()).isEqualTo(400);
        assertThat(payment.json().toString()).contains("no contract 'RB-1'");
        assertThat(count("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = 'cust-rb'"))
                .isEqualTo(1);
    }

    private Response importLines(List<String> lines) throws Exception {
        return TestHttp.post(URI.create("http://localhost:" + port + "/api/v1/import"), String.join("\n", lines) + "\n",
                "Content-Type", "application/x-ndjson");
    }

    private Response post(String body) throws Exception {
        return TestHttp.post(URI.create("http://localhost:" + port + "/api/v1/actions"), body,
                "Content-Type", "application/json");
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
