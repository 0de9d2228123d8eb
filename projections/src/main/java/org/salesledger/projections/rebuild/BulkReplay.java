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
 * <p>One thread reads the events and sorts each the read model handles to its segment of the customers (as the
 * processor's segments would divide them); {@code appliers} threads deserialise and apply them, each its own
 * segment's part of every chunk, one transaction and one unit of work per part. The processor is shut down
 * meanwhile; {@link #replay} answers the token to resume it from.
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
            TrackingToken last = read(invoker, until, segments, queues, running);
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

    /**
     * Reads, and sorts each event of the read model to the applier whose segment it belongs to;
     * hands every applier its part of each chunk, and ends each applier's queue.
     */
    private TrackingToken read(EventHandlerInvoker invoker, long until, List<Segment> segments,
                               List<BlockingQueue<Chunk>> queues, List<Future<?>> running) throws Exception {
        TrackingToken last = null;
        List<List<EventMessage<?>>> parts = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            parts.add(new ArrayList<>());
        }
        int read = 0;
        try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(null, false)) {
            var iterator = events.iterator();
            while (iterator.hasNext()) {
                TrackedEventMessage<?> event = iterator.next();
                last = event.trackingToken();
                if (invoker.canHandleType(event.getPayloadType())) {
                    // sorted by the handlers' types and the sequencing policy (the customer): nothing is deserialised
                    // here, each applier deserialises its own events, so that one reading thread does not bound the
                    // replay (docs/benchmarks.md, "Rebuilds with arrays in binary…")
                    for (int i = 0; i < segments.size(); i++) {
                        if (invoker.canHandle(event, segments.get(i))) {
                            parts.get(i).add(event);
                            read++;
                            break;
                        }
                    }
                }
                long position = last.position().orElse(0L);
                if (read >= chunkSize || position >= until) {
                    hand(parts, position, queues, running);
                    read = 0;
                    if (position >= until) {
                        break;
                    }
                }
            }
        }
        if (read > 0) {
            hand(parts, last.position().orElse(0L), queues, running);
        }
        for (BlockingQueue<Chunk> queue : queues) {
            hand(queue, END, running);
        }
        return last;
    }

    /** Hands each applier its part of a chunk, and empties the parts for the next one. */
    private static void hand(List<List<EventMessage<?>>> parts, long position, List<BlockingQueue<Chunk>> queues,
                             List<Future<?>> running) throws Exception {
        for (int i = 0; i < queues.size(); i++) {
            hand(queues.get(i), new Chunk(List.copyOf(parts.get(i)), position), running);
            parts.get(i).clear();
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

    private void apply(EventHandlerInvoker invoker, List<EventMessage<?>> events, Segment segment) {
        // the events of this applier's segment, as the processor's segments divide them (sorted by the reader): only
        // they are loaded and applied in this unit of work
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
