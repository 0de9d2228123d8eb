package org.salesledger.projections.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.testing.Migrated;

/**
 * The customer's state started from a snapshot of an earlier request's fold (ADR 40) answers what a fold from the
 * first action answers, whatever was stored since: in particular a back-dated action stored after the snapshot was
 * kept, which sorts inside it, changes the answer for every {@code knownAt} at or after its storing and for none
 * before. The timeline's rows are written here as SQL; the expected states are worked out by hand.
 */
class CustomerStateSnapshotIT {

    @Migrated
    private static CloseableDSLContext db;

    private static final String C = "snap-c1";
    private static final OffsetDateTime DAY = OffsetDateTime.parse("2025-03-01T00:00:00Z");

    @BeforeEach
    void empty() {
        db.execute("delete from timeline_event where customer_id = ?", C);
    }

    private static OffsetDateTime h(int hour) {
        return DAY.plusHours(hour);
    }

    private static void store(String id, long seq, String type, OffsetDateTime time, OffsetDateTime recordedAt,
                              String data) {
        db.execute("insert into timeline_event (action_id, customer_id, seq, type, occurred_at, time_text, actor, "
                + "recorded_at, data) values (?, ?, ?, ?, ?::timestamptz, ?, 'rep-a', ?::timestamptz, ?::jsonb)", id, C, seq, type, time.toString(),
                time.toString(), recordedAt.toString(), data);
    }

    private static String classified(String customerClass) {
        return "{\"class\":\"" + customerClass + "\",\"previousClass\":null,\"ruleId\":\"classify\",\"ruleVersion\":1}";
    }

    @Test
    void aBackDatedActionStoredAfterTheSnapshotChangesTheAnswerFromItsStoringOn() {
        CustomerStateQueries states = new CustomerStateQueries(db, 1);
        // time order = stored order at first: a visit at 01:00, class B at 02:00, visits at 03:00 and 05:00
        store("a1", 1, "VisitLogged", h(1), h(1), "{}");
        store("a2", 2, "CustomerClassified", h(2), h(2), classified("B"));
        store("a3", 3, "VisitLogged", h(3), h(3), "{}");
        store("a4", 4, "VisitLogged", h(5), h(5), "{}");
        OffsetDateTime asOf = h(10);
        OffsetDateTime before = h(6);

        CustomerState first = states.state(Scope.ALL, C, asOf, before).orElseThrow();
        assertThat(first.customerClass()).isEqualTo("B");
        assertThat(first.actionsApplied()).isEqualTo(4);
        assertThat(first.lastActionId()).isEqualTo("a4");
        assertThat(states.snapshotsReused()).as("nothing to start from yet").isZero();

        // stored at 07:00 with the time 04:00: inside the snapshot (which ends at a4, 05:00) in fold order
        store("late", 5, "CustomerClassified", h(4), h(7), classified("A"));
        OffsetDateTime after = h(8);

        CustomerState known = states.state(Scope.ALL, C, asOf, after).orElseThrow();
        assertThat(known.customerClass()).as("class A at 04:00 comes after class B at 02:00").isEqualTo("A");
        assertThat(known.actionsApplied()).isEqualTo(5);
        assertThat(known.lastActionId()).isEqualTo("a4");
        assertThat(states.snapshotsReused()).as("the snapshot misses the late action: not reused").isZero();

        // as known before the late action was stored: the snapshot is valid, and the answer is the first one
        CustomerState stillBefore = states.state(Scope.ALL, C, asOf, before).orElseThrow();
        assertThat(stillBefore).isEqualTo(first);
        assertThat(states.snapshotsReused()).isEqualTo(1);

        // as known after: now from the snapshot taken with the late action in it
        assertThat(states.state(Scope.ALL, C, asOf, after).orElseThrow()).isEqualTo(known);
        assertThat(states.snapshotsReused()).isEqualTo(2);

        // a new action after the snapshot's last is folded onto it
        store("a6", 6, "CustomerClassified", h(6), h(9), classified("C"));
        CustomerState later = states.state(Scope.ALL, C, asOf, h(9)).orElseThrow();
        assertThat(later.customerClass()).isEqualTo("C");
        assertThat(later.actionsApplied()).isEqualTo(6);
        assertThat(later.lastActionId()).isEqualTo("a6");
        assertThat(states.snapshotsReused()).isEqualTo(3);

        // an earlier asOf than a snapshot's last action cannot start from it; from the first action it is:
        // a1, a2 (B), a3, late (A) at 04:00
        CustomerState at4 = states.state(Scope.ALL, C, h(4), h(9)).orElseThrow();
        assertThat(at4.customerClass()).isEqualTo("A");
        assertThat(at4.actionsApplied()).isEqualTo(4);
        assertThat(at4.lastActionId()).isEqualTo("late");
        CustomerState at4Before = states.state(Scope.ALL, C, h(4), before).orElseThrow();
        assertThat(at4Before.customerClass()).as("the late class not known at 06:00").isEqualTo("B");
        assertThat(at4Before.actionsApplied()).isEqualTo(3);
        assertThat(at4Before.lastActionId()).isEqualTo("a3");
    }

    @Test
    void eachAnswerFromASnapshotEqualsTheFoldWorkedOutHere() {
        CustomerStateQueries states = new CustomerStateQueries(db, 1);
        // 40 actions at hours 1..40; every third stored 30 hours late (back-dated into what earlier requests
        // folded); every fourth a classification (not an interaction), the others visits
        for (int i = 1; i <= 40; i++) {
            store("x" + i, i, type(i), h(i), stored(i), i % 4 == 0 ? classified("K" + i) : "{}");
        }
        for (int k = 1; k <= 75; k += 2) {
            for (int t : new int[] {40, 25, k, 12}) {
                CustomerState s = states.state(Scope.ALL, C, h(t), h(k)).orElseThrow();
                // the fold by hand: the actions at or before t stored by k, in time order (= seq order here)
                int applied = 0;
                String last = null;
                String customerClass = null;
                String lastVisit = null;
                for (int i = 1; i <= 40; i++) {
                    if (i <= t && !stored(i).isAfter(h(k))) {
                        applied++;
                        last = "x" + i;
                        if (i % 4 == 0) {
                            customerClass = "K" + i;
                        } else {
                            lastVisit = h(i).toString();
                        }
                    }
                }
                String at = "asOf " + t + " knownAt " + k;
                assertThat(s.actionsApplied()).as(at).isEqualTo(applied);
                assertThat(s.lastActionId()).as(at).isEqualTo(last);
                assertThat(s.customerClass()).as(at).isEqualTo(customerClass);
                assertThat(s.lastActionAt()).as(at).isEqualTo(lastVisit);
            }
        }
        assertThat(states.snapshotsReused()).as("the snapshot path was taken").isPositive();
    }

    private static String type(int i) {
        return i % 4 == 0 ? "CustomerClassified" : "VisitLogged";
    }

    private static OffsetDateTime stored(int i) {
        return i % 3 == 0 ? h(i + 30) : h(i);
    }
}
