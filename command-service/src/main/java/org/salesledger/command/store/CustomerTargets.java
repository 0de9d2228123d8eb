package org.salesledger.command.store;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.salesledger.command.customer.CustomerCommand;

/**
 * Which customer a command is for, asked of the command ({@link CustomerCommand#customerId()}). Axon's
 * {@link AnnotationCommandTargetResolver} finds the same id by scanning the command's fields and methods for
 * {@code @TargetAggregateIdentifier} and {@code @TargetAggregateVersion} by reflection, on every command: about 2 % of
 * the command path's HTTP threads (ADR 0048). Our commands carry no expected version, so it is none, as that
 * resolver answers for them. Anything else, and a command without an id, goes to Axon's resolver as before.
 */
final class CustomerTargets implements CommandTargetResolver {

    static final CustomerTargets INSTANCE = new CustomerTargets();

    private static final CommandTargetResolver BY_ANNOTATIONS = AnnotationCommandTargetResolver.builder().build();

    private CustomerTargets() {
    }

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        if (command.getPayload() instanceof CustomerCommand customerCommand && customerCommand.customerId() != null) {
            return new VersionedAggregateIdentifier(customerCommand.customerId(), null);
        }
        return BY_ANNOTATIONS.resolveTarget(command);
    }
}
