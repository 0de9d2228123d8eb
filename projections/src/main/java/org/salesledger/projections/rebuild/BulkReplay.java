package org.salesledger.projections.rebuild;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The replay of a rebuild: the stored events, read in order straight from the storage engine, applied by the read
 * model's own event handlers (its processor's {@link EventHandlerInvoker}, with its dead-letter queue) in chunks of
 * many thousand events — the same handlers, batch state and statements as the live processor, without its
 * coordinator and work queues, and with far fewer, larger batches (docs/adr/0018).
 *
 * <p>One thread reads the events and deserialises the ones the read model handles; {@code appliers} threads apply
 * them, each the events of its own segment of the customers (as the processor's segments would), one transaction
 * and one unit of work per chunk. The processor is shut down meanwhile; {@link #replay} answers the token to resume
 * it from.
 */
final class BulkReplay {

    /** Ends an applier's queue (compared by identity: a chunk may hold no events of the read model). */
    private static final Chunk END = new Chunk(List.of(), Long.MAX_VALUE);

    private final EventStorageEngine storage;
    private final TransactionTemplate transaction;
    private final int chunkSize;
    private final int appliers;

    BulkReplay(EventStorageEngine storage, TransactionTemplate transaction, int chunkSize, int appliers) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("salesledger.rebuild.chunk-size must be at least 1; got " + chunkSize);
        }
        if (appliers < 1) {
            throw new IllegalArgumentException("salesledger.rebuild.threads must be at least 1; got " + appliers);
        }
        this.storage = storage;
        this.transaction = transaction;
        this.chunkSize = chunkSize;
        this.appliers = appliers;
    }

    /**
     * Applies every stored event up to position {@code until} (and those read with it in the last chunk) through
     * {@code invoker}; reports the position every applier has passed after each chunk. Answers the token of the last
     * event read, or {@code null} when the store is empty.
     */
    TrackingToken replay(EventHandlerInvoker invoker, long until, LongConsumer progress) throws Exception {
        List<Segment> segments = Segment.splitBalanced(Segment.ROOT_SEGMENT, appliers - 1);
        List<BlockingQueue<Chunk>> queues = new ArrayList<>();
        AtomicLongArray applied = new AtomicLongArray(segments.size());
        ExecutorService pool = Executors.newFixedThreadPool(segments.size(), r -> {
            Thread thread = new Thread(r, "read-model-rebuild-apply");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2);
                queues.add(queue);
                Segment segment = segments.get(i);
                int index = i;
                running.add(pool.submit(() -> {
                    for (Chunk chunk = queue.take(); chunk != END; chunk = queue.take()) {
                        apply(invoker, chunk.events(), segment);
                        applied.set(index, chunk.position());
                        progress.accept(lowest(applied));
                    }
                    return null;
                }));
            }
            TrackingToken last = read(invoker, until, queues, running);
            for (Future<?> applier : running) {
                applier.get();
            }
            return last;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** Reads and deserialises, handing every chunk to every applier; ends each applier's queue. */
    private TrackingToken read(EventHandlerInvoker invoker, long until, List<BlockingQueue<Chunk>> queues,
                               List<Future<?>> running) throws Exception {
        TrackingToken last = null;
        List<EventMessage<?>> chunk = new ArrayList<>(chunkSize);
        try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(null, false)) {
            var iterator = events.iterator();
            while (iterator.hasNext()) {
                TrackedEventMessage<?> event = iterator.next();
                last = event.trackingToken();
                if (invoker.canHandleType(event.getPayloadType())) {
                    // deserialised here, on the reading thread, while the appliers write
                    event.getPayload();
                    event.getMetaData();
                    chunk.add(event);
                }
                long position = last.position().orElse(0L);
                if (chunk.size() >= chunkSize || position >= until) {
                    hand(new Chunk(List.copyOf(chunk), position), queues, running);
                    chunk.clear();
                    if (position >= until) {
                        break;
                    }
                }
            }
        }
        if (!chunk.isEmpty()) {
            hand(new Chunk(List.copyOf(chunk), last.position().orElse(0L)), queues, running);
        }
        for (BlockingQueue<Chunk> queue : queues) {
            hand(queue, END, running);
        }
        return last;
    }

    private static void hand(Chunk chunk, List<BlockingQueue<Chunk>> queues, List<Future<?>> running)
            throws Exception {
        for (BlockingQueue<Chunk> queue : queues) {
            hand(queue, chunk, running);
        }
    }

    /**
     * Waits for room in the queue, and throws the failure of an applier that has failed meanwhile (an applier ends
     * normally only after {@link #END}, the last chunk its queue is given).
     */
    private static void hand(BlockingQueue<Chunk> queue, Chunk chunk, List<Future<?>> running) throws Exception {
        while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            for (Future<?> applier : running) {
                if (applier.isDone()) {
                    applier.get();
                }
            }
        }
    }

    private void apply(EventHandlerInvoker invoker, List<EventMessage<?>> chunk, Segment segment) {
        // the events of this applier's segment, as the processor's segments divide them: only they are loaded and
        // applied in this unit of work
        List<EventMessage<?>> events = chunk.stream().filter(event -> invoker.canHandle(event, segment)).toList();
        if (events.isEmpty()) {
            return;
        }
        transaction.executeWithoutResult(status -> {
            BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(events);
            ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
                invoker.handle(unitOfWork.getMessage(), segment);
                return null;
            }, RollbackConfigurationType.ANY_THROWABLE);
            if (result.isExceptional()) {
                Throwable cause = result.exceptionResult();
                throw cause instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException("applying events to the read model failed", cause);
            }
        });
    }

    private static long lowest(AtomicLongArray applied) {
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < applied.length(); i++) {
            lowest = Math.min(lowest, applied.get(i));
        }
        return lowest;
    }

    /** Events to apply, and the position of the last event read with them. */
    private record Chunk(List<EventMessage<?>> events, long position) {
    }
}
