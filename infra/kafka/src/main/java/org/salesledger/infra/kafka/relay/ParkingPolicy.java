package org.salesledger.infra.kafka.relay;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay does with an event it cannot publish: it parks it (the customer's later events follow it into the
 * dead-letter queue, so that customer's order holds), reports it in the log and the {@code poison} error count,
 * and goes on with everyone else. Only {@link KafkaRelay#handle} throws here, and only for what no retry can fix.
 */
public class ParkingPolicy implements EnqueuePolicy<EventMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(ParkingPolicy.class);

    private final RelayMetrics metrics;

    public ParkingPolicy(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
        metrics.parked();
        EventMessage<?> message = letter.message();
        log.error("parked stored event {} of customer {}, and the customer's later events behind it; repair it and "
                        + "POST /api/v1/admin/kafka-relay/parked/retry: {}", message.getIdentifier(),
                message instanceof DomainEventMessage<?> event ? event.getAggregateIdentifier() : "?",
                cause.getMessage());
        return Decisions.enqueue(ThrowableCause.truncated(cause));
    }
}
