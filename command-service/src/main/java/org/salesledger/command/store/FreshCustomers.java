package org.salesledger.command.store;

import java.util.List;
import java.util.OptionalLong;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.salesledger.command.customer.RecordActions;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Before a command is decided on a customer held in the {@link CustomerCache}, the held copy is compared with the
 * store's last sequence number of that customer and forgotten when they differ: another node (a rule firing, a pool
 * claim, the evaluator, an import) may have changed the customer since this node last saw it, and a decision on the
 * stale copy ("not in the pool", "nothing due yet") appends nothing, so the store's unique sequence never catches it.
 * Every path that sends such a command holds the customer's advisory lock in its transaction, so nothing changes
 * between this check and the decision. {@link RecordActions} is left alone: the intake checks all the customers of
 * its batch in one query before sending them.
 */
@Component
class FreshCustomers implements MessageHandlerInterceptor<CommandMessage<?>> {

    private static final List<Class<?>> CHECKED_BY_THE_INTAKE = List.of(RecordActions.class);

    private final Cache customers;
    private final StoredEvents events;

    /** Registered on the command bus by Axon's Spring Boot auto-configuration, as every such interceptor bean is. */
    FreshCustomers(@Qualifier("customerCache") Cache customers, StoredEvents events) {
        this.customers = customers;
        this.events = events;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        CommandMessage<?> command = unitOfWork.getMessage();
        if (!CHECKED_BY_THE_INTAKE.contains(command.getPayloadType())) {
            forgetIfStale(command);
        }
        return chain.proceed();
    }

    private void forgetIfStale(CommandMessage<?> command) {
        String customerId;
        try {
            customerId = CustomerTargets.INSTANCE.resolveTarget(command).getIdentifier();
        } catch (IllegalArgumentException noTarget) {
            return;
        }
        OptionalLong held = CustomerCache.versionOf(customers, customerId);
        if (held.isEmpty()) {
            return;
        }
        OptionalLong stored = events.lastSequence(customerId);
        if (stored.isEmpty() || stored.getAsLong() != held.getAsLong()) {
            customers.remove(customerId);
        }
    }
}
