package org.salesledger.command.store;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.axonframework.common.caching.Cache;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The customers this node holds in memory ({@link CustomerCache}), kept true to the store for a transaction that
 * writes several customers at once: {@link #checkAll} compares the held copies with the store under the customers'
 * locks, and {@link #forgetOnRollback} drops them when the transaction does not commit. (A command sent alone is
 * checked by {@link FreshCustomers}.)
 */
@Component
public class HeldCustomers {

    private final Cache customers;
    private final StoredEvents events;

    HeldCustomers(@Qualifier("customerCache") Cache customers, StoredEvents events) {
        this.customers = customers;
        this.events = events;
    }

    /** Whether this node holds the customer in memory. */
    public boolean holds(String customerId) {
        return customers.containsKey(customerId);
    }

    /**
     * Under the customers' locks, one query reads each customer's last sequence number in the store. A customer held
     * in memory at another version (another node, or the rules, wrote since) is forgotten, so it is loaded afresh
     * rather than decided on a stale copy. A customer with no event at all that {@code registering} names (its first
     * action here registers it) is new: loading it then asks the store nothing — two queries saved per new customer.
     */
    public void checkAll(List<String> customerIds, Set<String> registering) {
        if (customerIds.isEmpty()) {
            return;
        }
        Map<String, Long> last = events.lastSequences(customerIds);
        Set<String> fresh = new HashSet<>();
        for (String customerId : customerIds) {
            OptionalLong held = CustomerCache.versionOf(customers, customerId);
            Long stored = last.get(customerId);
            if (held.isPresent() && (stored == null || stored != held.getAsLong())) {
                customers.remove(customerId);
                held = OptionalLong.empty();
            }
            if (held.isEmpty() && stored == null && registering.contains(customerId)) {
                fresh.add(customerId);
            }
        }
        KnownNewCustomers.remember(fresh);
    }

    /**
     * Axon forgets a cached customer when its unit of work rolls back; PostgreSQL can still roll back after that
     * unit of work committed (at the commit itself, or in what follows it). Then the cache would hold events that
     * were never stored, so these customers are forgotten whenever the current transaction does not commit.
     */
    public void forgetOnRollback(Set<String> customerIds) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    customerIds.forEach(customers::remove);
                }
            }
        });
    }
}
