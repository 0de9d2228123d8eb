package org.salesledger.projections.batch;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * The customers of a processor batch, for a projection that loads them all with one query at the batch's first
 * event rather than one by one.
 */
public final class BatchCustomers {

    private BatchCustomers() {
    }

    /** The customers (aggregate identifiers) of every event of the batch, read without deserialising payloads. */
    public static Set<String> of(UnitOfWork<?> unitOfWork) {
        List<Message<?>> messages = new ArrayList<>();
        if (unitOfWork instanceof BatchingUnitOfWork<?> batching) {
            messages.addAll(batching.getMessages());
        } else {
            messages.add(unitOfWork.getMessage());
        }
        Set<String> customers = new LinkedHashSet<>();
        for (Message<?> message : messages) {
            if (message instanceof DomainEventMessage<?> event && event.getAggregateIdentifier() != null) {
                customers.add(event.getAggregateIdentifier());
            }
        }
        return customers;
    }
}
