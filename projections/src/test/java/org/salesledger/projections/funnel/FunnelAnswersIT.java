package org.salesledger.projections.funnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.axonframework.messaging.MetaData;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.RepId;
import org.salesledger.projections.funnel.FunnelReadModel.Dimension;
import org.salesledger.projections.funnel.FunnelReadModel.Filter;
import org.salesledger.projections.funnel.FunnelReadModel.StageFigures;
import org.salesledger.projections.testing.Migrated;

/**
 * Funnel answers are served again while the read model is unchanged, and computed anew once its processor's
 * tokens move, one of its dead letters leaves the queue, or a rebuild puts new tables in place. (The projection is
 * called directly here, so its writes move no token by themselves: the tests move them as a processor would.)
 */
class FunnelAnswersIT {

    private static final Filter EAST = new Filter("east", null, null, null, null, null);

    @Migrated
    private static CloseableDSLContext db;
    private FunnelProjection projection;
    private FunnelAnswers answers;
    private long position;

    @BeforeEach
    void setUp() {
        projection = new FunnelProjection(db, new FunnelTables().funnelTables());
        projection.reset();
        db.execute("delete from token_entry");
        db.execute("delete from dead_letter_entry");
        answers = new FunnelAnswers(new FunnelQueries(db), db);
        position = 0;
        register("c-1", "east");
        register("c-2", "west");
        tokensMoved();
    }

    @Test
    void anAnswerIsServedAgainWhileTheTokensStayAndComputedAnewOnceTheyMove() {
        assertThat(current(answers.funnel(Scope.ALL, Filter.ALL))).containsExactly(2L, 0L, 0L, 0L, 0L, 0L);

        projection.on(new NeedsConfirmed(CustomerId.of("c-1"), null, Map.of()), 1L, metadata());
        List<Long> kept = current(answers.funnel(Scope.ALL, Filter.ALL));
        tokensMoved();
        List<Long> renewed = current(answers.funnel(Scope.ALL, Filter.ALL));

        assertThat(kept).as("tokens unmoved: the kept answer").containsExactly(2L, 0L, 0L, 0L, 0L, 0L);
        assertThat(renewed).containsExactly(1L, 1L, 0L, 0L, 0L, 0L);
    }

    @Test
    void filtersAndBreakdownsAreAnsweredEachForItself() {
        assertThat(current(answers.funnel(Scope.ALL, EAST))).containsExactly(1L, 0L, 0L, 0L, 0L, 0L);
        assertThat(current(answers.funnel(Scope.ALL, Filter.ALL))).containsExactly(2L, 0L, 0L, 0L, 0L, 0L);
        assertThat(answers.funnelBy(Scope.ALL, Filter.ALL, Dimension.REGION)).extracting(FunnelReadModel.Group::key)
                .containsExactly("east", "west");
        assertThat(answers.funnelBy(Scope.ALL, EAST, Dimension.REGION)).extracting(FunnelReadModel.Group::key)
                .containsExactly("east");
    }

    @Test
    void eachScopeGetsItsOwnAnswerNeverAnotherScopes() {
        assertThat(current(answers.funnel(Scope.ALL, Filter.ALL))).containsExactly(2L, 0L, 0L, 0L, 0L, 0L);
        assertThat(current(answers.funnel(Scope.region("east"), Filter.ALL)))
                .containsExactly(1L, 0L, 0L, 0L, 0L, 0L);
        assertThat(current(answers.funnel(Scope.NOTHING, Filter.ALL))).containsExactly(0L, 0L, 0L, 0L, 0L, 0L);
        assertThat(answers.funnelBy(Scope.region("west"), Filter.ALL, Dimension.REGION))
                .extracting(FunnelReadModel.Group::key).containsExactly("west");
        assertThat(answers.funnelBy(Scope.ALL, Filter.ALL, Dimension.REGION)).extracting(FunnelReadModel.Group::key)
                .containsExactly("east", "west");
    }

    @Test
    void aDeadLetterLeavingTheQueueRenewsTheAnswer() {
        db.execute("insert into dead_letter_entry (dead_letter_id, processing_group, sequence_identifier, "
                + "sequence_index, message_type, event_identifier, time_stamp, payload_type, payload, enqueued_at) "
                + "values ('l-1', 'funnel', 'c-1', 0, 'DomainEventMessage', 'e-1', '2025-01-01T00:00:00Z', "
                + "'NeedsConfirmed', '\\x7b7d', '2025-01-01T00:00:00Z')");
        answers.funnel(Scope.ALL, Filter.ALL);

        // the letter applied: its change written and the letter gone, no token moved
        projection.on(new NeedsConfirmed(CustomerId.of("c-1"), null, Map.of()), 1L, metadata());
        db.execute("delete from dead_letter_entry where dead_letter_id = 'l-1'");

        assertThat(current(answers.funnel(Scope.ALL, Filter.ALL))).containsExactly(1L, 1L, 0L, 0L, 0L, 0L);
    }

    @Test
    void newTablesPutInPlaceByARebuildRenewTheAnswer() {
        answers.funnel(Scope.ALL, Filter.ALL);

        // what a rebuild's switch does: other tables, the same names, the tokens where they were
        db.execute("create table funnel_tally__next (like funnel_tally including all)");
        db.execute("alter table funnel_tally rename to funnel_tally__old");
        db.execute("alter table funnel_tally__next rename to funnel_tally");
        db.execute("drop table funnel_tally__old");

        assertThat(current(answers.funnel(Scope.ALL, Filter.ALL))).as("the new, empty tallies")
                .containsExactly(0L, 0L, 0L, 0L, 0L, 0L);
    }

    private void register(String id, String region) {
        projection.on(new CustomerRegistered(CustomerId.of(id), "n", region, RepId.of("rep-1"), "web", "team-1",
                null, null, null, null, Map.of()), 0L, metadata());
    }

    /** What a processor does when it commits a batch: its token moves on. */
    private void tokensMoved() {
        position++;
        db.execute("insert into token_entry (processor_name, segment, token, token_type) values ('funnel', 0, "
                + "convert_to('{\"index\":' || {0} || ',\"gaps\":[]}', 'UTF8'), 'GapAwareTrackingToken') "
                + "on conflict (processor_name, segment) do update set token = excluded.token", position);
    }

    private static MetaData metadata() {
        return MetaData.from(Map.of(ActionMetadata.OCCURRED_AT, "2025-03-01T10:00:00+08:00"));
    }

    private static List<Long> current(FunnelReadModel.Funnel funnel) {
        return funnel.stages().stream().map(StageFigures::current).toList();
    }
}
