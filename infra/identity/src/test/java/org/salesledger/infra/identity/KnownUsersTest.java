package org.salesledger.infra.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A user is read once per generation of the organisation, and never kept while changes go unheard. */
class KnownUsersTest {

    private final AtomicLong generation = new AtomicLong();
    private final AtomicBoolean listening = new AtomicBoolean(true);
    private final List<String> reads = new ArrayList<>();
    private boolean active = true;
    /** Runs during the next read, as if a change committed while the user was being read. */
    private Runnable duringRead = () -> { };

    private KnownUsers users(int capacity) {
        return new KnownUsers(id -> {
            reads.add(id);
            Optional<User> user = Optional.of(new User(id, "Rep", List.of("rep"), "t1", "east", "sup", active, 1,
                    Instant.EPOCH, "admin"));
            duringRead.run();
            duringRead = () -> { };
            return user;
        }, id -> {
            reads.add("reps of " + id);
            return Set.of("rep-1");
        }, generation::get, listening::get, capacity);
    }

    @Test
    void a_user_is_read_once_until_the_organisation_changes() {
        KnownUsers users = users(10);

        users.user("rep-1");
        users.user("rep-1");
        users.repsOf("sup");
        users.repsOf("sup");
        assertThat(reads).containsExactly("rep-1", "reps of sup");

        active = false;
        generation.incrementAndGet();
        assertThat(users.user("rep-1")).hasValueSatisfying(user -> assertThat(user.active()).isFalse());
        assertThat(reads).containsExactly("rep-1", "reps of sup", "rep-1");
    }

    @Test
    void a_user_read_while_a_change_committed_is_read_again_at_the_next_call() {
        KnownUsers users = users(10);
        duringRead = () -> {
            active = false;
            generation.incrementAndGet();
        };

        assertThat(users.user("rep-1").orElseThrow().active()).isTrue();
        assertThat(users.user("rep-1").orElseThrow().active()).isFalse();
        assertThat(reads).containsExactly("rep-1", "rep-1");
    }

    @Test
    void while_changes_are_not_heard_every_call_reads_the_user() {
        KnownUsers users = users(10);
        listening.set(false);

        users.user("rep-1");
        users.user("rep-1");
        listening.set(true);
        users.user("rep-1");
        users.user("rep-1");

        assertThat(reads).containsExactly("rep-1", "rep-1", "rep-1");
    }

    @Test
    void no_more_than_the_capacity_is_kept() {
        KnownUsers users = users(2);

        users.user("a");
        users.user("b");
        users.user("c");
        users.user("c");
        users.user("a");

        assertThat(reads).containsExactly("a", "b", "c", "a");
    }
}
