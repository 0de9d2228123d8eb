package org.salesledger.infra.kafka.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How far behind the relay is and what it has parked, read from the database so that every node answers the same,
 * whichever node holds the relay's segments.
 */
public class RelayMonitor {

    private final EventStore events;
    private final JdbcTemplate jdbc;
    private final TokenSchema tokens;
    private final Serializer serializer;
    private final EventProcessingConfiguration processing;

    /** One parked event: the customer it holds back, the event, why, and since when. */
    public record Parked(String customerId, String eventIdentifier, String payloadType, String cause,
                         java.time.Instant parkedAt, long waitingBehindIt) {
    }

    public RelayMonitor(EventStore events, JdbcTemplate jdbc, TokenSchema tokens, Serializer serializer,
                        EventProcessingConfiguration processing) {
        this.events = events;
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.serializer = serializer;
        this.processing = processing;
    }

    /**
     * Events stored but not yet acknowledged by Kafka: the head of the event store minus the position of the relay's
     * slowest segment (all of the store before the relay's first start). Counts positions, so events of other
     * aggregates and numbers left unused by rolled-back transactions count too.
     */
    public long lag() {
        TrackingToken headToken = events.createHeadToken();
        long head = headToken == null ? 0 : headToken.position().orElse(0);
        List<Long> positions = jdbc.query("SELECT " + tokens.tokenColumn() + ", " + tokens.tokenTypeColumn()
                        + " FROM " + tokens.tokenTable() + " WHERE " + tokens.processorNameColumn() + " = ?",
                (rs, i) -> position(rs.getBytes(1), rs.getString(2)), KafkaRelay.PROCESSING_GROUP);
        long slowest = positions.isEmpty() ? 0 : positions.stream().mapToLong(Long::longValue).min().orElse(0);
        return Math.max(0, head - slowest);
    }

    private long position(byte[] token, String type) {
        if (token == null || type == null) {
            return 0;
        }
        TrackingToken tracking = serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null));
        return tracking == null ? 0 : tracking.position().orElse(0);
    }

    /** Events parked: unpublishable ones and the same customers' later ones waiting behind them. */
    public long parked() {
        return queue().map(SequencedDeadLetterQueue::size).orElse(0L);
    }

    /** Up to {@code limit} parked customers, with the event at the head of each. */
    public List<Parked> parkedCustomers(int limit) {
        List<Parked> result = new ArrayList<>();
        queue().ifPresent(queue -> {
            for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
                if (result.size() >= limit) {
                    break;
                }
                long count = 0;
                DeadLetter<? extends EventMessage<?>> first = null;
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    if (first == null) {
                        first = letter;
                    }
                    count++;
                }
                if (first != null) {
                    EventMessage<?> message = first.message();
                    String customer = message instanceof org.axonframework.eventhandling.DomainEventMessage<?> d
                            ? d.getAggregateIdentifier() : "?";
                    result.add(new Parked(customer, message.getIdentifier(), message.getPayloadType().getName(),
                            first.cause().map(c -> c.type() + ": " + c.message()).orElse(null), first.enqueuedAt(),
                            count - 1));
                }
            }
        });
        return result;
    }

    /** Tries the parked events again, customer by customer; answers how many customers were let through. */
    public int retryParked() {
        int released = 0;
        var processor = processing.sequencedDeadLetterProcessor(KafkaRelay.PROCESSING_GROUP);
        if (processor.isEmpty()) {
            return 0;
        }
        long sequences = queue().map(SequencedDeadLetterQueue::amountOfSequences).orElse(0L);
        for (long i = 0; i < sequences; i++) {
            if (processor.get().processAny()) {
                released++;
            }
        }
        return released;
    }

    /** Whether this process runs the relay's processor, and the segments it holds. */
    public Optional<StreamingEventProcessor> processor() {
        return processing.eventProcessor(KafkaRelay.PROCESSING_GROUP, StreamingEventProcessor.class);
    }

    private Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue() {
        return processing.deadLetterQueue(KafkaRelay.PROCESSING_GROUP);
    }
}
