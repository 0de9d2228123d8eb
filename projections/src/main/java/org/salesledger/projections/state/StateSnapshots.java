package org.salesledger.projections.state;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fold states kept in memory for reuse by later state requests (ADR 40): each is the fold of exactly the actions
 * with {@code (time, seq) ≤ (lastOccurredAt, lastSeq)} that some request read — {@code applied} of them, the latest
 * stored at {@code maxRecordedAt}. Whether one may be reused for an (asOf, knownAt) is decided by {@link
 * CustomerStateQueries} against the timeline, never here. A cache: bounded per customer and in customers (least
 * recently used dropped), lost on restart; dropping any changes no answer, only its cost.
 */
final class StateSnapshots {

    /** One kept fold; {@code fold} is never applied to (callers copy it). */
    record Snapshot(StateFold fold, OffsetDateTime lastOccurredAt, long lastSeq, OffsetDateTime maxRecordedAt,
                    int applied) {
    }

    static final int PER_CUSTOMER = 4;

    private final Map<String, List<Snapshot>> byCustomer;

    StateSnapshots(int customers) {
        this.byCustomer = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<Snapshot>> eldest) {
                return size() > customers;
            }
        };
    }

    /** The customer's snapshots, the most actions first. */
    synchronized List<Snapshot> of(String customerId) {
        List<Snapshot> kept = byCustomer.get(customerId);
        if (kept == null) {
            return List.of();
        }
        List<Snapshot> sorted = new ArrayList<>(kept);
        sorted.sort(Comparator.comparingInt(Snapshot::applied).reversed());
        return sorted;
    }

    /** Keeps {@code snapshot} (unless one of the same actions is kept), dropping the customer's oldest beyond a few. */
    synchronized void keep(String customerId, Snapshot snapshot) {
        List<Snapshot> kept = byCustomer.computeIfAbsent(customerId, c -> new ArrayList<>());
        boolean same = kept.stream().anyMatch(s -> s.applied() == snapshot.applied()
                && s.lastSeq() == snapshot.lastSeq() && s.lastOccurredAt().isEqual(snapshot.lastOccurredAt())
                && s.maxRecordedAt().isEqual(snapshot.maxRecordedAt()));
        if (same) {
            return;
        }
        kept.add(snapshot);
        if (kept.size() > PER_CUSTOMER) {
            kept.remove(0);
        }
    }
}
