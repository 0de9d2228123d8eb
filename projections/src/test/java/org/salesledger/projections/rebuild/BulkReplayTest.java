package org.salesledger.projections.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How a rebuild's replay hands the history to a read model's handlers: every event once, each customer's in order,
 * in chunks and split over the appliers as the processor's segments split them. (The handlers' effect on real
 * tables is specified by EndToEndIT, which rebuilds in chunks of three events and compares every row.)
 */
class BulkReplayTest {

    record Touched(String customer, int n) {
    }

    /** A type the read model has no handler for. */
    record Unrelated(String note) {
    }

    /** Records what it is given: per customer the sequence numbers, and the size of each unit of work. */
    static class Recorder {
        final Map<String, List<Long>> seen = Collections.synchronizedMap(new LinkedHashMap<>());
        final List<Integer> units = new CopyOnWriteArrayList<>();
        final AtomicInteger failAt = new AtomicInteger(-1);
        /** A customer whose events take long to apply: its applier falls behind the other. */
        volatile String slow;

        @EventHandler
        void on(Touched touched, @SequenceNumber Long sequence) throws InterruptedException {
            if (touched.n() == failAt.get()) {
                throw new IllegalStateException("cannot apply event " + touched.n());
            }
            if (touched.customer().equals(slow)) {
                Thread.sleep(400);
            }
            seen.computeIfAbsent(touched.customer(), c -> new CopyOnWriteArrayList<>()).add(sequence);
            CurrentUnitOfWork.get().root().getOrComputeResource("counted", k -> {
                units.add(1);
                return true;
            });
        }
    }

    private final InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine();
    private final Recorder recorder = new Recorder();
    private final SimpleEventHandlerInvoker handlers = SimpleEventHandlerInvoker.builder()
            .eventHandlers(recorder)
            .sequencingPolicy(SequentialPerAggregatePolicy.instance())
            // as the read models' processors without a dead-letter queue: a handler's failure fails the batch
            .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
            .build();

    @Test
    void everyHandledEventIsAppliedOnceAndEachCustomersInOrderOverManyChunksAndBothAppliers() throws Exception {
        int events = store(40, 25);

        TrackingToken reached = replay(7, 2, events - 1);

        assertThat(recorder.seen).hasSize(40);
        recorder.seen.values().forEach(sequences -> assertThat(sequences)
                .isEqualTo(java.util.stream.LongStream.range(0, 25).boxed().toList()));
        assertThat(recorder.units).as("units of work: about 1,000 events in chunks of 7, split in two").hasSizeGreaterThan(200);
        assertThat(reached.position()).hasValue(events - 1L);
    }

    @Test
    void aHistoryEndingWithEventsTheReadModelDoesNotHandleIsReplayedToItsEnd() throws Exception {
        List<Segment> segments = Segment.splitBalanced(Segment.ROOT_SEGMENT, 1);
        String first = customerOf(segments.get(0));
        String second = customerOf(segments.get(1));
        // the last chunks read: the slow customer's last event, the other's, and one with no event of the read model;
        // the applier of the slow customer is still at its last event when the reader ends its queue. Either applier
        // in turn.
        for (List<String> slowAndOther : List.of(List.of(first, second), List.of(second, first))) {
            InMemoryEventStorageEngine store = new InMemoryEventStorageEngine();
            for (int n = 0; n < 4; n++) {
                for (String customer : slowAndOther) {
                    store.appendEvents(new GenericDomainEventMessage<>("Customer", customer, n, new Touched(customer, n)));
                }
            }
            for (int i = 0; i < 10; i++) {
                store.appendEvents(new GenericDomainEventMessage<>("Other", "other-1", i, new Unrelated("n" + i)));
            }
            recorder.seen.clear();
            recorder.slow = slowAndOther.get(0);

            TrackingToken reached = new BulkReplay(store, transactions(), 1, 2)
                    .replay(handlers, 17, position -> { });

            assertThat(recorder.seen).as("slow: %s", recorder.slow).containsOnlyKeys(slowAndOther)
                    .allSatisfy((customer, sequences) -> assertThat(sequences).containsExactly(0L, 1L, 2L, 3L));
            assertThat(reached.position()).hasValue(17L);
        }
    }

    /** A customer id that falls in {@code segment}. */
    private static String customerOf(Segment segment) {
        for (int c = 0; ; c++) {
            if (segment.matches((Object) ("cust-" + c))) {
                return "cust-" + c;
            }
        }
    }

    @Test
    void anEventTheHandlersCannotApplyFailsTheReplayWithItsCause() {
        store(5, 10);
        recorder.failAt.set(7);

        assertThatThrownBy(() -> replay(6, 2, 49)).hasMessageContaining("cannot apply event 7");
    }

    @Test
    void anEmptyStoreReplaysNothingAndResumesFromTheStart() throws Exception {
        assertThat(replay(10, 2, 0)).isNull();
        assertThat(recorder.seen).isEmpty();
    }

    @Test
    void chunkSizeAndThreadsMustBePositive() {
        assertThatThrownBy(() -> new BulkReplay(storage, transactions(), 0, 2))
                .hasMessageContaining("salesledger.rebuild.chunk-size must be at least 1; got 0");
        assertThatThrownBy(() -> new BulkReplay(storage, transactions(), 10, 0))
                .hasMessageContaining("salesledger.rebuild.threads must be at least 1; got 0");
    }

    /** Customers' events interleaved as in a live store; answers how many were stored. */
    private int store(int customers, int each) {
        List<DomainEventMessage<?>> all = new ArrayList<>();
        for (int n = 0; n < each; n++) {
            for (int c = 0; c < customers; c++) {
                all.add(new GenericDomainEventMessage<>("Customer", "cust-" + c, n, new Touched("cust-" + c, n)));
            }
        }
        storage.appendEvents(all);
        return all.size();
    }

    private TrackingToken replay(int chunkSize, int threads, long until) throws Exception {
        return new BulkReplay(storage, transactions(), chunkSize, threads).replay(handlers, until, position -> {
        });
    }

    /** Transactions without a database: what is specified here is the order and grouping of the events. */
    private static TransactionTemplate transactions() {
        return new TransactionTemplate(new AbstractPlatformTransactionManager() {
            @Override
            protected Object doGetTransaction() {
                return new Object();
            }

            @Override
            protected void doBegin(Object transaction, TransactionDefinition definition) {
            }

            @Override
            protected void doCommit(DefaultTransactionStatus status) {
            }

            @Override
            protected void doRollback(DefaultTransactionStatus status) {
            }
        });
    }
}
