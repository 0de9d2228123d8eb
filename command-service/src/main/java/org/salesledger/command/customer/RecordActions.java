package org.salesledger.command.customer;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.access.Scope;

/**
 * Record these actions on one customer, in this order. Each is decided on its own: one refused action does not
 * stop the others. The result is one {@link ActionOutcome} per action, in the same order.
 *
 * <p>One command for all action types, rather than one per type: the envelope types of the published language
 * already are the vocabulary, and a copy of each as a command would only drift (see docs/adr/0003).
 */
public record RecordActions(@TargetAggregateIdentifier String customerId, List<Action> actions)
        implements CustomerCommand {

    public RecordActions {
        Objects.requireNonNull(customerId, "customerId");
        if (actions == null || actions.isEmpty()) {
            throw new IllegalArgumentException("at least one action is needed");
        }
        for (Action action : actions) {
            if (!action.payload().customerId().value().equals(customerId)) {
                throw new IllegalArgumentException("action " + action.id() + " is for customer "
                        + action.payload().customerId() + ", not " + customerId);
            }
        }
        actions = List.copyOf(actions);
    }

    /**
     * One action: its envelope id, its event, the metadata to store with it, and the customers its sender may act
     * on (contract §7): a customer outside is refused as unknown, a registration outside as forbidden.
     */
    public record Action(String id, CustomerAction payload, Map<String, String> metadata, Scope scope) {
        public Action {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(scope, "scope");
            metadata = Map.copyOf(metadata);
        }

        public Action(String id, CustomerAction payload, Map<String, String> metadata) {
            this(id, payload, metadata, Scope.ALL);
        }
    }
}
