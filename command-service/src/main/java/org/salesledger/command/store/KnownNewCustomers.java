package org.salesledger.command.store;

import java.util.HashSet;
import java.util.Set;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Customers the current transaction has found to have no events yet, while holding their locks: loading one of
 * them needs no query (see {@code SkipLoadingNewCustomers}). Each is answered once — the first load — so anything
 * read later in the transaction (such as a snapshot of what was just appended) goes to the store as usual. Bound to
 * the transaction, gone when it ends.
 */
final class KnownNewCustomers {

    private static final Object KEY = KnownNewCustomers.class;

    private KnownNewCustomers() {
    }

    static void remember(Set<String> customerIds) {
        if (customerIds.isEmpty() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        Set<String> known = new HashSet<>(customerIds);
        TransactionSynchronizationManager.bindResource(KEY, known);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
            }
        });
    }

    /** Whether the customer is known to have no events and was not asked for before in this transaction. */
    static boolean isNew(String customerId) {
        Object known = TransactionSynchronizationManager.getResource(KEY);
        return known instanceof Set<?> set && set.contains(customerId);
    }

    /** As {@link #isNew}, and forgets it: the next load of this customer reads the store. */
    static boolean takeNew(String customerId) {
        Object known = TransactionSynchronizationManager.getResource(KEY);
        return known instanceof Set<?> set && set.remove(customerId);
    }
}
