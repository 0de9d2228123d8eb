package org.salesledger.command.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/**
 * The event store engine, except that loading a customer the current transaction knows to be new (it checked, under
 * the customer's lock, that no event of it exists) answers "no snapshot, no events" without the two queries: an
 * import of new customers would otherwise spend most of its time asking for events that are not there.
 */
final class SkipLoadingNewCustomers implements EventStorageEngine {

    private final EventStorageEngine store;

    SkipLoadingNewCustomers(EventStorageEngine store) {
        this.store = store;
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return KnownNewCustomers.isNew(aggregateIdentifier) ? Optional.empty() : store.readSnapshot(aggregateIdentifier);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return KnownNewCustomers.takeNew(aggregateIdentifier) ? DomainEventStream.empty()
                : store.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        store.appendEvents(events);
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        store.storeSnapshot(snapshot);
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return store.readEvents(trackingToken, mayBlock);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return store.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }
}
