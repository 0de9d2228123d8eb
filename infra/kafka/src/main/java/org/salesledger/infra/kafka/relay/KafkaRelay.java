package org.salesledger.infra.kafka.relay;

import java.util.ArrayList;
import java.util.List;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.salesledger.infra.kafka.ActionEnvelope;
import org.salesledger.kernel.CustomerAction;

/**
 * The relay's event handler, run by the {@value #PROCESSING_GROUP} streaming processor over the event store.
 *
 * <p>For every stored {@link CustomerAction} it builds the envelope (contract §1) and adds it to the processor's
 * current batch; when the batch is about to commit — in the transaction that also moves the processor's token —
 * {@link RelayPublisher} sends the whole batch and waits until Kafka has acknowledged every record. If Kafka does
 * not, the batch and the token roll back and the batch is tried again later: the token never moves past an event
 * Kafka has not acknowledged.
 *
 * <p>Events that are not customer actions (those of other aggregates) are not the published language and are
 * skipped. An event that can never be published ({@link PoisonEventException}) is thrown out of {@link #handle},
 * which parks it in the dead-letter queue.
 *
 * <p>The relay {@linkplain #supportsReset() refuses a reset}: resetting it would publish the whole history again
 * to every integrator. History goes to a new integrator through a replay into a topic of its own.
 */
public class KafkaRelay implements EventMessageHandler {

    public static final String PROCESSING_GROUP = "kafka-relay";
    private static final String BATCH = KafkaRelay.class.getName() + ".batch";

    private final RelayPublisher publisher;

    public KafkaRelay(RelayPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Object handle(EventMessage<?> event) {
        PendingRecord record = toRecord(event, publisher.recordLimit());
        if (CurrentUnitOfWork.isStarted()) {
            batchOf(CurrentUnitOfWork.get()).add(record);
        } else {
            publisher.publish(List.of(record));
        }
        return null;
    }

    /** The envelope of a stored action as a record; {@link PoisonEventException} if it can never be sent. */
    static PendingRecord toRecord(EventMessage<?> event, int limitBytes) {
        CustomerAction action;
        byte[] value;
        try {
            action = (CustomerAction) event.getPayload();
            long sequence = event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : -1;
            value = ActionEnvelope.bytes(ActionEnvelope.of(action, event.getMetaData(), event.getIdentifier(),
                    sequence, event.getTimestamp()));
        } catch (RuntimeException e) {
            throw new PoisonEventException("stored event " + event.getIdentifier() + " (" + event.getPayloadType()
                    .getSimpleName() + ") cannot be turned into an envelope: " + e.getMessage(), e);
        }
        if (value.length > limitBytes) {
            throw new PoisonEventException("the envelope of stored event " + event.getIdentifier() + " is "
                    + value.length + " bytes, more than the " + limitBytes + " bytes the topic takes", null);
        }
        String actionId = String.valueOf(event.getMetaData().getOrDefault(
                org.salesledger.kernel.envelope.ActionMetadata.ACTION_ID, event.getIdentifier()));
        return new PendingRecord(action.customerId().value(), value, actionId, event.getTimestamp());
    }

    /** The records of the current unit of work, sent and acknowledged before it commits. */
    private List<PendingRecord> batchOf(UnitOfWork<?> unitOfWork) {
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            List<PendingRecord> records = new ArrayList<>();
            unitOfWork.onPrepareCommit(u -> publisher.publish(records));
            return records;
        });
    }

    @Override
    public boolean canHandle(EventMessage<?> event) {
        return canHandleType(event.getPayloadType());
    }

    @Override
    public boolean canHandleType(Class<?> payloadType) {
        return CustomerAction.class.isAssignableFrom(payloadType);
    }

    @Override
    public boolean supportsReset() {
        return false;
    }
}
