package org.salesledger.projections.talktrack;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.isolation.EventIsolatedException;
import org.salesledger.projections.testing.ReadModelDatabase;
import org.salesledger.testing.TestPostgres;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * One customer the talk-track read model cannot write, inside a processor batch of several customers that the
 * projection writes as one {@code unnest} statement per table (ADR 0039), so that the bad row fails the statement for
 * everybody: {@link BatchIsolation} isolates exactly that customer from its failing event, and when the batch is
 * delivered again every other customer's rows are committed as if the bad customer had never been in the batch, the
 * bad customer's rows up to its failing event too, and nothing of it from that event on.
 *
 * <p>Driven as a pooled processor drives it, on a real PostgreSQL: the customers' events interleaved in one
 * {@link BatchingUnitOfWork} with its segment, in a Spring transaction. A trigger refuses the rows of the customer and
 * table the test names; an event refused by the projection (and the customer's later ones) stands for what Axon's
 * dead-letter queue parks.
 */
class TalkTrackIsolationIT {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final String BAD = "b-3";

    private static DriverManagerDataSource dataSource;
    private static DSLContext db;
    private static DataSourceTransactionManager transactions;

    private BatchIsolation isolation;
    private TalkTrackProjection projection;

    @BeforeAll
    static void database() {
        TestPostgres.TestDatabase test = ReadModelDatabase.create();
        dataSource = new DriverManagerDataSource(test.jdbcUrl(), test.user(), test.password());
        db = DSL.using(new TransactionAwareDataSourceProxy(dataSource), SQLDialect.POSTGRES);
        transactions = new DataSourceTransactionManager(dataSource);
        db.execute("CREATE TABLE tt_refused (table_name TEXT NOT NULL, customer_id TEXT NOT NULL)");
        db.execute("""
                CREATE FUNCTION tt_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM tt_refused r WHERE r.table_name = TG_TABLE_NAME
                             AND r.customer_id = NEW.customer_id) THEN
                    RAISE EXCEPTION 'refused % row of %', TG_TABLE_NAME, NEW.customer_id;
                  END IF;
                  RETURN NEW;
                END $$""");
        for (String table : List.of("talktrack_customer", "talktrack_use", "talktrack_contract", "talktrack_cycle")) {
            db.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION tt_refuse()");
        }
    }

    @BeforeEach
    void fresh() {
        db.execute("DELETE FROM tt_refused");
        isolation = new BatchIsolation(db, transactions);
        projection = new TalkTrackProjection(db, new TalkTrackTables().talkTrackTables(), isolation);
        projection.reset();
    }

    // ---- the batch: four customers' events, interleaved as the event store holds them ----

    /** b-1: registered, a proposal, a use, a contract, a new owner, another use. */
    private static List<DomainEventMessage<CustomerAction>> b1() {
        return List.of(
                registered("b-1", 0, "east", "rep-a"),
                proposal("b-1", 1, 2),
                used("b-1", 2, 3, "cert-1"),
                signed("b-1", 3, 10),
                reassigned("b-1", 4, 11, "rep-a", "rep-b"),
                used("b-1", 5, 12, "cert-2"));
    }

    /** b-2: registered, a proposal, two contracts (the second back-dated: the earliest is its first), to the pool. */
    private static List<DomainEventMessage<CustomerAction>> b2() {
        return List.of(
                registered("b-2", 0, "west", "rep-b"),
                proposal("b-2", 1, 4),
                signed("b-2", 2, 9),
                signed("b-2", 3, 7),
                released("b-2", 4, 13, "rep-b"));
    }

    /**
     * b-3, the customer whose row the trigger refuses: every table gets a row of it, and each of its events after the
     * contract would change a row written before it (a new owner, a use, a back-dated proposal).
     */
    private static List<DomainEventMessage<CustomerAction>> b3() {
        return List.of(
                registered("b-3", 0, "east", "rep-c"),
                proposal("b-3", 1, 1),
                used("b-3", 2, 2, "cert-1"),
                signed("b-3", 3, 5),
                reassigned("b-3", 4, 6, "rep-c", "rep-a"),
                used("b-3", 5, 6, "cert-2"),
                proposal("b-3", 6, 0));
    }

    /** b-4: registered, a use, a proposal, feedback that is not a use. */
    private static List<DomainEventMessage<CustomerAction>> b4() {
        return List.of(
                registered("b-4", 0, "north", "rep-a"),
                used("b-4", 1, 1, "cert-2"),
                proposal("b-4", 2, 3),
                feedback("b-4", 3, 4, "cert-1", TalkTrackFeedback.NOT_APPLICABLE));
    }

    /** The customers' events as a segment of a pooled processor gets them: in store order, customers interleaved. */
    private static List<DomainEventMessage<CustomerAction>> batch() {
        List<List<DomainEventMessage<CustomerAction>>> customers = List.of(b1(), b2(), b3(), b4());
        List<DomainEventMessage<CustomerAction>> batch = new ArrayList<>();
        for (int i = 0; batch.size() < customers.stream().mapToInt(List::size).sum(); i++) {
            for (List<DomainEventMessage<CustomerAction>> events : customers) {
                if (i < events.size()) {
                    batch.add(events.get(i));
                }
            }
        }
        return batch;
    }

    // ---- the rows expected: the other customers' rows, whatever b-3 does ----

    private static final List<String> OTHERS_CUSTOMERS = List.of(
            "[b-1, east, rep-b, 4]",
            "[b-2, west, null, 4]",
            "[b-4, north, rep-a, 0]");
    private static final List<String> OTHERS_CYCLES = List.of(
            "[b-1, 2025-01-03 00:00:00, 2025-01-11 00:00:00]",
            "[b-2, 2025-01-05 00:00:00, 2025-01-08 00:00:00]",
            "[b-4, 2025-01-04 00:00:00, null]");
    private static final List<String> OTHERS_CONTRACTS = List.of(
            "[b-1-3, b-1, 2025-01-11 00:00:00]",
            "[b-2-2, b-2, 2025-01-10 00:00:00]",
            "[b-2-3, b-2, 2025-01-08 00:00:00]");
    private static final List<String> OTHERS_USES = List.of(
            "[b-1-2, b-1, cert-1, 2025-01-04 00:00:00]",
            "[b-1-5, b-1, cert-2, 2025-01-13 00:00:00]",
            "[b-4-1, b-4, cert-2, 2025-01-02 00:00:00]");

    /**
     * b-3's contract row refused: the first delivery of the batch commits nothing and isolates b-3 from its contract
     * (sequence 3) alone; delivered again, b-3's contract and its later events are refused, in order, and every row
     * of the batch is written but theirs — b-3's own owner, cycle and use up to the contract included.
     */
    @Test
    void aRefusedContractRowIsolatesItsCustomerFromTheContractAndTheOtherCustomersRowsAreWrittenAsWithoutIt() {
        refuse("talktrack_contract", BAD);
        List<DomainEventMessage<CustomerAction>> batch = batch();

        Outcome first = deliver(batch);

        assertThat(first.committed()).isFalse();
        assertThat(rows()).isEqualTo(new Rows(List.of(), List.of(), List.of(), List.of()));
        assertThat(isolation.isolated(TalkTrackProjection.GROUP)).containsOnlyKeys(BAD);
        assertThat(isolation.isolated(TalkTrackProjection.GROUP).get(BAD).fromSequence()).isEqualTo(3);
        assertThat(isolation.isolated(TalkTrackProjection.GROUP).get(BAD).cause())
                .contains("refused talktrack_contract row of b-3");

        Outcome second = deliver(batch);

        assertThat(second.committed()).isTrue();
        assertThat(second.refused()).containsExactly("b-3@3", "b-3@4", "b-3@5", "b-3@6");
        assertThat(rows()).isEqualTo(new Rows(
                List.of("[b-1, east, rep-b, 4]", "[b-2, west, null, 4]", "[b-3, east, rep-c, 0]",
                        "[b-4, north, rep-a, 0]"),
                List.of("[b-1, 2025-01-03 00:00:00, 2025-01-11 00:00:00]",
                        "[b-2, 2025-01-05 00:00:00, 2025-01-08 00:00:00]",
                        "[b-3, 2025-01-02 00:00:00, null]",
                        "[b-4, 2025-01-04 00:00:00, null]"),
                List.of("[b-1-3, b-1, 2025-01-11 00:00:00]",
                        "[b-2-2, b-2, 2025-01-10 00:00:00]",
                        "[b-2-3, b-2, 2025-01-08 00:00:00]"),
                List.of("[b-1-2, b-1, cert-1, 2025-01-04 00:00:00]",
                        "[b-1-5, b-1, cert-2, 2025-01-13 00:00:00]",
                        "[b-3-2, b-3, cert-1, 2025-01-03 00:00:00]",
                        "[b-4-1, b-4, cert-2, 2025-01-02 00:00:00]")));
        assertThat(isolation.isolated(TalkTrackProjection.GROUP)).isEmpty();
        assertThat(isolation.stopped(TalkTrackProjection.GROUP)).isEmpty();
    }

    /**
     * Whichever table refuses b-3's row, b-3 is isolated from its first event writing one (its registration for the
     * customer table, its first proposal for the cycle, its first use), and the other customers' rows are the same.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aRefusedRowOfAnyTableIsolatesItsCustomerFromItsFirstEventWritingThere(String table, long from,
                                                                               Rows badCustomersRows) {
        refuse(table, BAD);
        List<DomainEventMessage<CustomerAction>> batch = batch();

        assertThat(deliver(batch).committed()).isFalse();
        assertThat(isolation.isolated(TalkTrackProjection.GROUP)).containsOnlyKeys(BAD);
        assertThat(isolation.isolated(TalkTrackProjection.GROUP).get(BAD).fromSequence()).isEqualTo(from);
        Outcome second = deliver(batch);

        assertThat(second.committed()).isTrue();
        List<String> refused = new ArrayList<>();
        for (long seq = from; seq <= 6; seq++) {
            refused.add(BAD + "@" + seq);
        }
        assertThat(second.refused()).isEqualTo(refused);
        assertThat(rows()).isEqualTo(new Rows(
                sorted(OTHERS_CUSTOMERS, badCustomersRows.customers()),
                sorted(OTHERS_CYCLES, badCustomersRows.cycles()),
                sorted(OTHERS_CONTRACTS, badCustomersRows.contracts()),
                sorted(OTHERS_USES, badCustomersRows.uses())));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("talktrack_customer", 0L, new Rows(List.of(), List.of(), List.of(), List.of())),
                Arguments.of("talktrack_cycle", 1L,
                        new Rows(List.of("[b-3, east, rep-c, 0]"), List.of(), List.of(), List.of())),
                Arguments.of("talktrack_use", 2L,
                        new Rows(List.of("[b-3, east, rep-c, 0]"), List.of("[b-3, 2025-01-02 00:00:00, null]"),
                                List.of(), List.of())));
    }

    // ---- driving it as a processor does ----

    /** Whether the batch committed, and the events refused ({@code customer@sequence}): what the DLQ parks. */
    private record Outcome(boolean committed, List<String> refused) {
    }

    private Outcome deliver(List<DomainEventMessage<CustomerAction>> batch) {
        BatchingUnitOfWork<DomainEventMessage<CustomerAction>> unitOfWork = new BatchingUnitOfWork<>(batch);
        unitOfWork.attachTransaction(new SpringTransactionManager(transactions));
        unitOfWork.resources().put("Processor[" + TalkTrackProjection.GROUP + "]/SegmentId", 0);
        Set<String> parked = new HashSet<>();
        List<String> refused = new ArrayList<>();
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
            DomainEventMessage<CustomerAction> m = unitOfWork.getMessage();
            String customer = m.getAggregateIdentifier();
            String event = customer + "@" + m.getSequenceNumber();
            if (parked.contains(customer)) {
                refused.add(event); // what the dead-letter queue does with a parked customer's later events
                return null;
            }
            try {
                handle(m);
            } catch (EventIsolatedException e) {
                parked.add(customer);
                refused.add(event);
            }
            return null;
        });
        return new Outcome(!result.isExceptional() && !unitOfWork.isRolledBack(), refused);
    }

    private void handle(DomainEventMessage<CustomerAction> m) {
        TalkTrackDelivery.deliver(projection, m);
    }

    private static void refuse(String table, String customer) {
        db.execute("INSERT INTO tt_refused VALUES (?, ?)", table, customer);
    }

    // ---- the rows, as text, per table ----

    /** Every talk-track table's rows, ordered by key, times in UTC. */
    record Rows(List<String> customers, List<String> cycles, List<String> contracts, List<String> uses) {
    }

    private static Rows rows() {
        return new Rows(
                text("select customer_id, region, owner_rep_id, last_seq from talktrack_customer order by 1"),
                text("select customer_id, (first_proposal_at at time zone 'UTC')::text, "
                        + "(first_contract_at at time zone 'UTC')::text from talktrack_cycle order by 1"),
                text("select action_id, customer_id, (signed_at at time zone 'UTC')::text from talktrack_contract "
                        + "order by 1"),
                text("select action_id, customer_id, script_id, (used_at at time zone 'UTC')::text "
                        + "from talktrack_use order by 1"));
    }

    private static List<String> text(String query) {
        return db.fetch(query).map(r -> r.intoList().toString());
    }

    private static List<String> sorted(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).sorted().toList();
    }

    // ---- the events ----

    private static DomainEventMessage<CustomerAction> message(CustomerAction action, long sequence, int day) {
        String customer = action.customerId().value();
        MetaData metadata = MetaData.with(ActionMetadata.OCCURRED_AT, T0.plusSeconds(day * 86_400L).toString())
                .and(ActionMetadata.ACTION_ID, customer + "-" + sequence);
        return new GenericDomainEventMessage<>("Customer", customer, sequence, action, metadata);
    }

    private static DomainEventMessage<CustomerAction> registered(String c, long seq, String region, String owner) {
        return message(new CustomerRegistered(CustomerId.of(c), c, region, RepId.of(owner), "web", null, null, null,
                null, null, null), seq, 0);
    }

    private static DomainEventMessage<CustomerAction> proposal(String c, long seq, int day) {
        return message(new ProposalSent(CustomerId.of(c), new Document("s3://p.pdf", Document.PDF),
                LocalDate.of(2026, 1, 1), List.of("a"), null, null), seq, day);
    }

    private static DomainEventMessage<CustomerAction> signed(String c, long seq, int day) {
        return message(new ContractSigned(CustomerId.of(c), "K-" + seq, new Money(BigDecimal.TEN, "CNY"), null, null,
                null), seq, day);
    }

    private static DomainEventMessage<CustomerAction> used(String c, long seq, int day, String script) {
        return feedback(c, seq, day, script, TalkTrackFeedback.USED);
    }

    private static DomainEventMessage<CustomerAction> feedback(String c, long seq, int day, String script,
                                                               TalkTrackFeedback feedback) {
        return message(new TalkTrackFeedbackGiven(CustomerId.of(c), "s-" + seq, script, feedback, null), seq, day);
    }

    private static DomainEventMessage<CustomerAction> reassigned(String c, long seq, int day, String from, String to) {
        return message(new CustomerReassigned(CustomerId.of(c), RepId.of(from), RepId.of(to), "SUPERVISOR", null,
                null), seq, day);
    }

    private static DomainEventMessage<CustomerAction> released(String c, long seq, int day, String from) {
        return message(new CustomerReleasedToPool(CustomerId.of(c), RepId.of(from), T0, "P30D", "pool", 1, null), seq,
                day);
    }
}
