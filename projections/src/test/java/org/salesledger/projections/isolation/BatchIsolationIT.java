package org.salesledger.projections.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.testing.TestPostgres;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * {@link BatchIsolation} on a real PostgreSQL, driven as a pooled processor drives it: a batch of many customers'
 * events in one {@link BatchingUnitOfWork} with its segment, in a Spring transaction. A trigger refuses the rows the
 * test names; a refused event stands for what Axon's dead-letter queue would park.
 */
class BatchIsolationIT {

    private static final String GROUP = "test-model";

    private static DriverManagerDataSource dataSource;
    private static DSLContext db;
    private static DataSourceTransactionManager transactions;

    private final AtomicInteger isolationStatements = new AtomicInteger();
    private final List<List<Event>> writes = new ArrayList<>();
    private BatchIsolation isolation;

    record Event(String customer, long seq) {
    }

    @BeforeAll
    static void database() {
        TestPostgres.TestDatabase test = TestPostgres.newDatabase();
        dataSource = new DriverManagerDataSource(test.jdbcUrl(), test.user(), test.password());
        db = DSL.using(new TransactionAwareDataSourceProxy(dataSource), SQLDialect.POSTGRES);
        transactions = new DataSourceTransactionManager(dataSource);
        db.execute("CREATE TABLE iso_row (customer_id TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (customer_id, seq))");
        db.execute("CREATE TABLE iso_refused (customer_id TEXT NOT NULL, from_seq BIGINT NOT NULL)");
        db.execute("""
                CREATE FUNCTION iso_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM iso_refused r WHERE r.customer_id IN (NEW.customer_id, '*')
                             AND NEW.seq >= r.from_seq) THEN
                    RAISE EXCEPTION 'refused % %', NEW.customer_id, NEW.seq;
                  END IF;
                  RETURN NEW;
                END $$""");
        db.execute("""
                CREATE FUNCTION iso_deadlock() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM iso_refused r WHERE r.customer_id = NEW.customer_id) THEN
                    RAISE EXCEPTION 'deadlock on %', NEW.customer_id USING ERRCODE = '40P01';
                  END IF;
                  RETURN NEW;
                END $$""");
    }

    @BeforeEach
    void fresh() {
        db.execute("DELETE FROM iso_row");
        db.execute("DELETE FROM iso_refused");
        db.execute("DROP TRIGGER IF EXISTS at_write ON iso_row");
        db.execute("DROP TRIGGER IF EXISTS at_commit ON iso_row");
        db.execute("DROP TRIGGER IF EXISTS deadlock ON iso_row");
        DefaultConfiguration counted = new DefaultConfiguration();
        counted.set(new TransactionAwareDataSourceProxy(dataSource)).set(SQLDialect.POSTGRES)
                .set(new ExecuteListener() {
                    @Override
                    public void executeStart(ExecuteContext ctx) {
                        isolationStatements.incrementAndGet();
                    }
                });
        isolation = new BatchIsolation(DSL.using(counted), transactions);
    }

    @Test
    void aBatchNothingFailsInIsWrittenOnceWhenItCommitsWithNoStatementOfItsOwn() {
        onWrite();
        List<Event> batch = interleaved(8, 3);

        Outcome outcome = deliver(batch);

        assertThat(outcome.committed()).isTrue();
        assertThat(writes).containsExactly(batch);
        assertThat(isolationStatements).hasValue(0);
        assertThat(rowsPerCustomer()).hasSize(8).allSatisfy((c, n) -> assertThat(n).isEqualTo(3));
    }

    @Test
    void aWriteFailingForOneCustomerIsIsolatedToItsFailingEventAndOnRedeliveryOnlyThoseAreRefused() {
        onWrite();
        refuse("c-3", 1);
        List<Event> batch = interleaved(8, 3);

        Outcome first = deliver(batch);

        assertThat(first.committed()).isFalse();
        assertThat(rowsPerCustomer()).isEmpty();
        assertThat(isolation.isolated(GROUP)).containsOnlyKeys("c-3");
        assertThat(isolation.isolated(GROUP).get("c-3").fromSequence()).isEqualTo(1);
        assertThat(isolation.isolated(GROUP).get("c-3").cause()).contains("refused c-3 1");

        Outcome second = deliver(batch);

        assertThat(second.committed()).isTrue();
        assertThat(second.refused()).containsExactly(new Event("c-3", 1), new Event("c-3", 2));
        Map<String, Integer> expected = new TreeMap<>();
        for (int c = 0; c < 8; c++) {
            expected.put("c-" + c, c == 3 ? 1 : 3);
        }
        assertThat(rowsPerCustomer()).isEqualTo(expected);
        assertThat(isolation.isolated(GROUP)).isEmpty();
        assertThat(isolation.stopped(GROUP)).isEmpty();
    }

    @Test
    void aCheckDeferredToTheCommitIsIsolatedAsAFailureAtTheWriteIs() {
        db.execute("CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON iso_row DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION iso_refuse()");
        refuse("c-5", 0);
        List<Event> batch = interleaved(8, 2);

        assertThat(deliver(batch).committed()).isFalse();
        Outcome second = deliver(batch);

        assertThat(second.committed()).isTrue();
        assertThat(second.refused()).containsExactly(new Event("c-5", 0), new Event("c-5", 1));
        assertThat(rowsPerCustomer()).hasSize(7).doesNotContainKey("c-5");
    }

    @Test
    void aFailureForEveryCustomerIsolatesNobodyAndStopsTheSegmentUntilOneOfItsBatchesCommits() {
        onWrite();
        refuse("*", 0);
        List<Event> batch = interleaved(6, 2);

        assertThat(deliver(batch).committed()).isFalse();
        assertThat(deliver(batch).committed()).isFalse();

        assertThat(isolation.isolated(GROUP)).isEmpty();
        assertThat(isolation.stopped(GROUP)).containsOnlyKeys(0);
        assertThat(isolation.stopped(GROUP).get(0).cause()).contains("refused");
        assertThat(rowsPerCustomer()).isEmpty();

        db.execute("DELETE FROM iso_refused");
        Outcome resumed = deliver(batch);

        assertThat(resumed.committed()).isTrue();
        assertThat(resumed.refused()).isEmpty();
        assertThat(rowsPerCustomer()).hasSize(6).allSatisfy((c, n) -> assertThat(n).isEqualTo(2));
        assertThat(isolation.stopped(GROUP)).isEmpty();
    }

    /**
     * A deadlock (or a lock or statement timeout, a lost connection) met by one customer's rows says nothing about its
     * data: nobody is isolated, the segment stops and the whole batch is retried.
     */
    @Test
    void aTransientFailureForOneCustomerIsolatesNobodyAndStopsTheSegment() {
        db.execute("CREATE TRIGGER deadlock BEFORE INSERT ON iso_row FOR EACH ROW EXECUTE FUNCTION iso_deadlock()");
        refuse("c-2", 0);
        List<Event> batch = interleaved(6, 2);

        assertThat(deliver(batch).committed()).isFalse();

        assertThat(isolation.isolated(GROUP)).isEmpty();
        assertThat(isolation.stopped(GROUP)).containsOnlyKeys(0);
        assertThat(isolation.stopped(GROUP).get(0).cause()).contains("deadlock on c-2");

        db.execute("DELETE FROM iso_refused");
        Outcome resumed = deliver(batch);

        assertThat(resumed.committed()).isTrue();
        assertThat(resumed.refused()).isEmpty();
        assertThat(rowsPerCustomer()).hasSize(6).allSatisfy((c, n) -> assertThat(n).isEqualTo(2));
    }

    @Test
    void outsideAProcessorBatchAFailureFailsItsUnitOfWorkAndNothingIsProbedOrRefused() {
        onWrite();
        refuse("c-1", 0);

        Outcome replay = deliver(interleaved(4, 2), false);

        assertThat(replay.committed()).isFalse();
        assertThat(isolationStatements).hasValue(0);
        assertThat(isolation.isolated(GROUP)).isEmpty();
        assertThat(isolation.stopped(GROUP)).isEmpty();
    }

    // ---- driving it as a processor does ----

    private record Outcome(boolean committed, List<Event> refused) {
    }

    private Outcome deliver(List<Event> batch) {
        return deliver(batch, true);
    }

    private Outcome deliver(List<Event> batch, boolean processorBatch) {
        List<EventMessage<?>> messages = new ArrayList<>();
        batch.forEach(e -> messages.add(GenericEventMessage.asEventMessage(e)));
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(messages);
        unitOfWork.attachTransaction(new SpringTransactionManager(transactions));
        if (processorBatch) {
            unitOfWork.resources().put("Processor[" + GROUP + "]/SegmentId", 0);
        }
        List<Event> refused = new ArrayList<>();
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
            Event event = (Event) unitOfWork.getMessage().getPayload();
            if (refused.stream().anyMatch(r -> r.customer().equals(event.customer()))) {
                refused.add(event); // what the dead-letter queue does with a parked customer's later events
                return null;
            }
            try {
                isolation.handle(GROUP, event.customer(), event.seq(), event, this::write);
            } catch (EventIsolatedException e) {
                refused.add(event);
            }
            return null;
        });
        return new Outcome(!result.isExceptional() && !unitOfWork.isRolledBack(), refused);
    }

    private void write(List<Event> events) {
        writes.add(List.copyOf(events));
        for (Event e : events) {
            db.execute("INSERT INTO iso_row VALUES (?, ?)", e.customer(), e.seq());
        }
    }

    private static List<Event> interleaved(int customers, int each) {
        List<Event> events = new ArrayList<>();
        for (int seq = 0; seq < each; seq++) {
            for (int c = 0; c < customers; c++) {
                events.add(new Event("c-" + c, seq));
            }
        }
        return events;
    }

    private static void onWrite() {
        db.execute("CREATE TRIGGER at_write BEFORE INSERT ON iso_row FOR EACH ROW EXECUTE FUNCTION iso_refuse()");
    }

    private static void refuse(String customer, long fromSeq) {
        db.execute("INSERT INTO iso_refused VALUES (?, ?)", customer, fromSeq);
    }

    private static Map<String, Integer> rowsPerCustomer() {
        Map<String, Integer> rows = new TreeMap<>();
        db.resultQuery("SELECT customer_id, count(*)::int FROM iso_row GROUP BY customer_id").fetch()
                .forEach(r -> rows.put(r.get(0, String.class), r.get(1, Integer.class)));
        return rows;
    }
}
