package org.salesledger.command.processors;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.ExecutionResult;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.salesledger.infra.platform.ProcessorFailures;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which segments of this node's event processors stand still at a failed batch, since when, at which event and
 * why: what {@code GET /actuator/health/processors} shows ({@link ProcessorsHealthIndicator}).
 *
 * <p>Since ADR 0045 a handler of {@code rules}, {@code timers} or {@code pool-owners} that fails on an event stops
 * its segment there: the batch is rolled back with its token and tried again, after a back-off, until it passes. Before
 * this the stop was visible only in the log and in the token. Here every processor of the command side gets a handler
 * interceptor that, once per batch, remembers a rolled-back batch as a stop of its segment — with the position of the
 * event whose handler threw, when one did — and forgets it when a batch of that segment commits. A batch rolled back
 * because another node claimed the segment is not a stop of this node's. A processor with a dead-letter queue (the
 * Kafka relay) parks a failed customer's events instead of rolling back, so only a batch failing as a whole (its
 * transaction) shows here.
 */
@Configuration(proxyBeanMethods = false)
public class ProcessorStops {

    /**
     * A segment stopped at a failed batch: {@code event} is the position in the event store of the event whose
     * handler threw, null when none did (the batch's commit failed).
     */
    public record Stop(Instant since, Instant lastFailure, int failures, Long event, String error) {
    }

    private static final String BATCH = ProcessorStops.class.getName() + ".batch";

    private final Clock clock = Clock.systemUTC();
    private final Map<String, Map<Integer, Stop>> stops = new ConcurrentHashMap<>();

    @Bean
    ConfigurerModule processorStopsAreRemembered() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerDefaultHandlerInterceptor((configuration, processor) -> interceptorFor(processor)));
    }

    /** The stopped segments of a processor on this node, by segment id. */
    public Map<Integer, Stop> stopped(String processor) {
        Map<Integer, Stop> segments = stops.get(processor);
        return segments == null ? Map.of() : Map.copyOf(segments);
    }

    MessageHandlerInterceptor<EventMessage<?>> interceptorFor(String processor) {
        String segmentKey = "Processor[" + processor + "]/SegmentId";
        return (unitOfWork, chain) -> {
            UnitOfWork<?> root = unitOfWork.root();
            Batch batch = (Batch) root.resources().get(BATCH);
            if (batch == null && root.resources().get(segmentKey) instanceof Integer segment) {
                batch = new Batch();
                root.resources().put(BATCH, batch);
                Batch watched = batch;
                root.afterCommit(u -> passed(processor, segment));
                root.onRollback(u -> failed(processor, segment, watched, u));
            }
            try {
                return chain.proceed();
            } catch (Exception e) {
                if (batch != null && batch.failure == null) {
                    batch.failure = e;
                    batch.event = unitOfWork.getMessage() instanceof TrackedEventMessage<?> event
                            ? event.trackingToken().position().stream().boxed().findFirst().orElse(null) : null;
                }
                throw e;
            }
        };
    }

    private void passed(String processor, int segment) {
        Map<Integer, Stop> segments = stops.get(processor);
        if (segments != null) {
            segments.remove(segment);
        }
    }

    private void failed(String processor, int segment, Batch batch, UnitOfWork<?> unitOfWork) {
        Throwable failure = batch.failure != null ? batch.failure : rollbackCause(unitOfWork);
        if (ProcessorFailures.lostClaim(failure)) {
            passed(processor, segment); // another node holds the segment now: nothing of it is this node's to show
            return;
        }
        Instant now = clock.instant();
        String error = ProcessorFailures.describe(failure);
        Long event = batch.event;
        stops.computeIfAbsent(processor, p -> new ConcurrentHashMap<>()).compute(segment, (s, before) ->
                before == null ? new Stop(now, now, 1, event, error)
                        : new Stop(before.since(), now, before.failures() + 1, event, error));
    }

    /** Why the batch's unit of work rolled back when no handler threw (its commit failed), if Axon says. */
    private static Throwable rollbackCause(UnitOfWork<?> unitOfWork) {
        try {
            ExecutionResult result = unitOfWork.getExecutionResult();
            return result == null ? null : result.getExceptionResult();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** What one batch's interceptor saw: the first handler failure and its event's position. */
    private static final class Batch {
        Throwable failure;
        Long event;
    }
}
