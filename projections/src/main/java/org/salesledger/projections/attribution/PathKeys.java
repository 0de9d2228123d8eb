package org.salesledger.projections.attribution;

import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_PATH_KEY;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The paths of the path dictionary's keys ({@code attribution_path_key}, ADR 0017), kept once read: a key names
 * one path for as long as its table lives, so the data-driven queries fetch groups of keys and only the paths they
 * have not seen before. The table's file node tells when it was replaced (a rebuild's switch) or emptied (a reset):
 * then everything kept is forgotten.
 */
final class PathKeys {

    /** More than this many kept paths are forgotten at once (about 100 bytes each). */
    private static final int MAX_KEPT = 5_000_000;

    private final Map<Long, List<String>> paths = new ConcurrentHashMap<>();
    private volatile long fileNode = -1;

    /**
     * Locks the dictionary for {@code read}'s transaction (so that a rebuild cannot switch it before the keys read
     * in that transaction have been turned into paths) and forgets the paths kept of an earlier table. Call first
     * in the transaction that reads the keys.
     */
    void open(DSLContext read) {
        read.selectOne().from(ATTRIBUTION_PATH_KEY).limit(0).fetch();
        long node = read.fetchValue(DSL.field("pg_relation_filenode({0}::regclass)", Long.class,
                DSL.inline(ATTRIBUTION_PATH_KEY.getName())));
        if (node != fileNode || paths.size() > MAX_KEPT) {
            synchronized (this) {
                paths.clear();
                fileNode = node;
            }
        }
    }

    /** The paths of {@code keys}, in the transaction {@link #open} was called in. */
    Map<Long, List<String>> paths(DSLContext read, Set<Long> keys) {
        Map<Long, List<String>> found = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (Long key : keys) {
            List<String> path = paths.get(key);
            if (path == null) {
                missing.add(key);
            } else {
                found.put(key, path);
            }
        }
        if (!missing.isEmpty()) {
            var k = ATTRIBUTION_PATH_KEY;
            read.select(k.PATH_ID, k.PATH).from(k).where(k.PATH_ID.eq(DSL.any(missing.toArray(Long[]::new))))
                    .forEach(r -> {
                        List<String> path = List.of(r.value2());
                        found.put(r.value1(), path);
                        paths.put(r.value1(), path);
                    });
        }
        if (found.size() != keys.size()) {
            throw new IllegalStateException("kept paths refer to keys that " + ATTRIBUTION_PATH_KEY.getName()
                    + " does not have: " + keys.stream().filter(key -> !found.containsKey(key)).limit(10).toList());
        }
        return found;
    }
}
