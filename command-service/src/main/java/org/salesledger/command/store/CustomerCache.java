package org.salesledger.command.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;

/**
 * The most recently used customers' aggregates, at most {@code capacity} of them, so that a customer that acts
 * again (the next line of an import, the next action from the field) is not loaded from the event store again.
 * Axon's {@code CachingEventSourcingRepository} keeps it: an entry is put after the customer's events are appended
 * and removed when the unit of work rolls back; {@code ActionIntake} also removes the customers of a transaction
 * that PostgreSQL rolled back after Axon's unit of work had committed. A customer changed by another node (or by the
 * rules) is found out under the customer's lock, by comparing {@link #versionOf its version} with the store's last
 * sequence number, and forgotten before it is decided on.
 *
 * <p>Axon's own {@code WeakReferenceCache} would lose most entries at every young collection during an import; this
 * one holds strong references, bounded by count (a customer's state is a few hundred bytes).
 */
public final class CustomerCache implements Cache {

    private final int capacity;
    private final List<EntryListener> listeners = new CopyOnWriteArrayList<>();
    private final LinkedHashMap<Object, Object> entries;

    public CustomerCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                if (size() > CustomerCache.this.capacity) {
                    listeners.forEach(l -> l.onEntryExpired(eldest.getKey()));
                    return true;
                }
                return false;
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <K, V> V get(K key) {
        V value = (V) entries.get(key);
        if (value != null) {
            listeners.forEach(l -> l.onEntryRead(key, value));
        }
        return value;
    }

    @Override
    public synchronized void put(Object key, Object value) {
        if (value == null) {
            remove(key);
            return;
        }
        boolean existed = entries.put(key, value) != null;
        listeners.forEach(l -> {
            if (existed) {
                l.onEntryUpdated(key, value);
            } else {
                l.onEntryCreated(key, value);
            }
        });
    }

    @Override
    public synchronized boolean putIfAbsent(Object key, Object value) {
        if (entries.containsKey(key)) {
            return false;
        }
        put(key, value);
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        Object value = entries.get(key);
        if (value == null) {
            value = valueSupplier.get();
            put(key, value);
        }
        return (T) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        Object value = entries.get(key);
        if (value != null) {
            V updated = update.apply((V) value);
            if (updated == null) {
                remove(key);
            } else {
                put(key, updated);
            }
        }
    }

    @Override
    public synchronized boolean remove(Object key) {
        boolean removed = entries.remove(key) != null;
        if (removed) {
            listeners.forEach(l -> l.onEntryRemoved(key));
        }
        return removed;
    }

    @Override
    public synchronized void removeAll() {
        for (Object key : List.copyOf(entries.keySet())) {
            remove(key);
        }
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    /**
     * The sequence number of the last event of the customer as held in {@code cache}, when it holds the customer;
     * empty otherwise. The intake compares it with the store's under the customer's lock: a customer another node
     * changed is then forgotten before it is decided on (a stale copy could refuse what the store allows).
     */
    public static java.util.OptionalLong versionOf(Cache cache, String customerId) {
        Object entry = cache.get(customerId);
        if (!(entry instanceof AggregateCacheEntry<?>)) {
            return java.util.OptionalLong.empty();
        }
        try {
            Object version = VERSION.get(entry);
            return version instanceof Long v ? java.util.OptionalLong.of(v) : java.util.OptionalLong.empty();
        } catch (IllegalAccessException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** Axon keeps the cached aggregate's version in a private field; read it so, rather than reload the customer. */
    private static final java.lang.reflect.Field VERSION;

    static {
        try {
            VERSION = AggregateCacheEntry.class.getDeclaredField("version");
            VERSION.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
