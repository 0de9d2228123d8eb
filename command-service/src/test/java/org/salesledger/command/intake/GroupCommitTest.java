package org.salesledger.command.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.value.CustomerId;

/**
 * The group commit's queue, without a database: what a request gets when its thread is interrupted while it waits.
 * (Storing, sharing transactions and refusals are specified against PostgreSQL in {@code CommandApiIT}.)
 */
class GroupCommitTest {

    /** Stores nothing; the first transaction blocks until released, so that the next request has to wait. */
    static final class BlockingIntake extends ActionIntake {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> stored = new CopyOnWriteArrayList<>();

        BlockingIntake() {
            super(null, null, null, null);
        }

        @Override
        public List<List<IntakeOutcome>> recordAll(List<List<IncomingAction>> byCustomer) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return byCustomer.stream().map(actions -> actions.stream().map(a -> {
                stored.add(a.id());
                return IntakeOutcome.recorded(a.id());
            }).toList()).toList();
        }
    }

    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private static IncomingAction action(String id, String customer) {
        return new IncomingAction(id, new CustomerId(customer), null, Map.of());
    }

    @Test
    void a_request_interrupted_while_it_waits_for_a_transaction_is_told_to_send_again_and_nothing_of_it_is_stored()
            throws Exception {
        BlockingIntake intake = new BlockingIntake();
        GroupCommit commit = new GroupCommit(intake, new GroupCommitSettings(32, 1));

        Future<IntakeOutcome> first = threads.submit(() -> commit.record(action("a-1", "c-1")));
        assertThat(intake.entered.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        threads.submit(() -> {
            waiter.set(Thread.currentThread());
            try {
                commit.record(action("a-2", "c-2"));
                second.complete(null);
            } catch (Throwable t) {
                second.complete(t);
            }
        });
        // the only transaction is taken: the second request waits in the queue until its thread is interrupted
        while (waiter.get() == null || waiter.get().getState() != Thread.State.WAITING) {
            Thread.sleep(5);
        }
        waiter.get().interrupt();

        assertThat(second.get(10, TimeUnit.SECONDS))
                .isInstanceOf(IntakeInterruptedException.class)
                .hasMessage("The server is stopping: action a-2 was not stored. Send it again.");
        intake.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(IntakeOutcome.Status.RECORDED);
        assertThat(intake.stored).containsExactly("a-1");
    }
}
