package org.salesledger.projections.deadletter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.rebuild.ReadModelRebuilds;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The read models' dead letters: events a projection could not apply, parked in {@code dead_letter_entry} with
 * their cause, each customer's later events queued behind them (in order) while all other customers go on. An
 * operator sees them here and retries them once the cause is fixed (a new version deployed, a database problem
 * gone). A rebuild starts its read model's queue afresh: the replay applies every event again.
 */
@Service
public class DeadLetters {

    private final Map<String, ReadModelTables> readModels = new LinkedHashMap<>();
    private final EventProcessingConfiguration processing;
    private final TransactionTemplate snapshot;
    private final BatchIsolation isolation;

    public DeadLetters(List<ReadModelTables> readModels, EventProcessingConfiguration processing,
                       PlatformTransactionManager transactions, BatchIsolation isolation) {
        this.isolation = isolation;
        readModels.forEach(m -> this.readModels.put(m.readModel(), m));
        this.processing = processing;
        // the summary's letters and counts are read in one repeatable-read snapshot, so a letter parked meanwhile
        // never shows in the counts without showing in the list
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    public List<String> readModels() {
        return List.copyOf(readModels.keySet());
    }

    /** The read model's parked events, the {@code limit} oldest sequences listed in full. */
    public Summary summary(String readModel, int limit) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(readModel);
        return snapshot.execute(status -> summary(readModel, queue, limit));
    }

    private Summary summary(String readModel, SequencedDeadLetterQueue<EventMessage<?>> queue, int limit) {
        List<Letter> letters = new ArrayList<>();
        int sequences = 0;
        for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            if (sequences++ >= limit) {
                break;
            }
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                letters.add(Letter.of(letter));
            }
        }
        return new Summary(readModel, queue.size(), queue.amountOfSequences(), letters);
    }

    /** Events parked for the read model; 0 when it has no dead-letter queue. */
    public long count(String readModel) {
        return queueOf(readModel).map(SequencedDeadLetterQueue::size).orElse(0L);
    }

    /**
     * Tries every parked customer sequence once, oldest first: a sequence whose events now apply leaves the queue,
     * one that fails again stays, with the new cause.
     */
    public Retry retry(String readModel) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = queue(readModel);
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processing
                .sequencedDeadLetterProcessor(tables(readModel).processingGroup())
                .orElseThrow(() -> new IllegalStateException("no dead-letter processor for " + readModel));
        // a customer isolated but not yet parked would have its retried events refused again (ADR 0022)
        isolation.forgetIsolated(tables(readModel).processingGroup());
        long sequences = queue.amountOfSequences();
        int applied = 0;
        for (long i = 0; i < sequences; i++) {
            if (processor.processAny()) {
                applied++;
            }
        }
        return new Retry(readModel, sequences, applied, queue.amountOfSequences(), queue.size());
    }

    private SequencedDeadLetterQueue<EventMessage<?>> queue(String readModel) {
        return queueOf(readModel).orElseThrow(() -> new IllegalStateException(
                "read model '" + readModel + "' has no dead-letter queue (axon.eventhandling.processors."
                        + tables(readModel).processingGroup() + ".dlq.enabled is false)"));
    }

    private Optional<SequencedDeadLetterQueue<EventMessage<?>>> queueOf(String readModel) {
        return processing.deadLetterQueue(tables(readModel).processingGroup());
    }

    private ReadModelTables tables(String readModel) {
        ReadModelTables tables = readModels.get(readModel);
        if (tables == null) {
            throw new ReadModelRebuilds.UnknownReadModelException(readModel, String.join(", ", readModels.keySet()));
        }
        return tables;
    }

    /** A read model's dead letters: how many events and customers, and the oldest ones. */
    public record Summary(String readModel, long events, long customers, List<Letter> letters) {
    }

    /** One parked event: whose, what, when it was parked and last tried, and why it failed. */
    public record Letter(String customerId, long sequenceNumber, String type, String actionId, Instant enqueuedAt,
                         Instant lastTouched, String causeType, String cause) {

        static Letter of(DeadLetter<? extends EventMessage<?>> letter) {
            EventMessage<?> message = letter.message();
            String customer = message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
            long sequence = message instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : -1;
            Object actionId = message.getMetaData().get(ActionMetadata.ACTION_ID);
            return new Letter(customer, sequence, message.getPayloadType().getSimpleName(),
                    actionId == null ? null : actionId.toString(), letter.enqueuedAt(), letter.lastTouched(),
                    letter.cause().map(c -> c.type()).orElse(null),
                    letter.cause().map(c -> c.message()).orElse(null));
        }
    }

    /** What a retry did: sequences tried, applied and still parked. */
    public record Retry(String readModel, long sequencesTried, long sequencesApplied, long sequencesLeft,
                        long eventsLeft) {
    }
}
