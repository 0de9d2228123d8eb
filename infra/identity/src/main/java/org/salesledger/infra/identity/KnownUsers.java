package org.salesledger.infra.identity;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.BooleanSupplier;

/**
 * The users the token check asks for, kept in memory until the organisation changes: reading the user from
 * PostgreSQL at every call was the largest part of the check's cost (docs/benchmarks.md). A kept answer is good
 * while the {@link OrganisationChanges#GENERATION generation} it was read in is still the current one, and only
 * while changes are being listened for; otherwise the database is asked. An answer read while a change was
 * committing is stamped with the generation from before the read, so it is not used once the change is counted.
 * At most {@code capacity} users are kept (then all are dropped and read again).
 */
final class KnownUsers {

    private record Kept<T>(long generation, T value) {
    }

    private final Function<String, Optional<User>> users;
    private final Function<String, Set<String>> repsOf;
    private final LongSupplier generation;
    private final BooleanSupplier listening;
    private final int capacity;
    private final Map<String, Kept<Optional<User>>> keptUsers = new ConcurrentHashMap<>();
    private final Map<String, Kept<Set<String>>> keptReps = new ConcurrentHashMap<>();

    KnownUsers(Function<String, Optional<User>> users, Function<String, Set<String>> repsOf, LongSupplier generation,
               BooleanSupplier listening, int capacity) {
        this.users = users;
        this.repsOf = repsOf;
        this.generation = generation;
        this.listening = listening;
        this.capacity = capacity;
    }

    Optional<User> user(String userId) {
        return kept(keptUsers, userId, users);
    }

    Set<String> repsOf(String supervisorId) {
        return kept(keptReps, supervisorId, repsOf);
    }

    private <T> T kept(Map<String, Kept<T>> kept, String key, Function<String, T> read) {
        if (!listening.getAsBoolean()) {
            return read.apply(key);
        }
        long now = generation.getAsLong();
        Kept<T> known = kept.get(key);
        if (known != null && known.generation() == now) {
            return known.value();
        }
        T value = read.apply(key);
        if (kept.size() >= capacity) {
            kept.clear();
        }
        kept.put(key, new Kept<>(now, value));
        return value;
    }
}
