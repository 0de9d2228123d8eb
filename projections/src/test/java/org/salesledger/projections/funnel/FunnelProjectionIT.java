package org.salesledger.projections.funnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.salesledger.projections.jooq.Tables.FUNNEL_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.FUNNEL_STAGE_STAY;
import static org.salesledger.projections.jooq.Tables.FUNNEL_STAY_TALLY;
import static org.salesledger.projections.jooq.Tables.FUNNEL_TALLY;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.jooq.CloseableDSLContext;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.rules.CustomerTagged;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.ObjectionType;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;
import org.salesledger.projections.funnel.FunnelReadModel.Dimension;
import org.salesledger.projections.funnel.FunnelReadModel.Filter;
import org.salesledger.projections.funnel.FunnelReadModel.Funnel;
import org.salesledger.projections.funnel.FunnelReadModel.StageFigures;
import org.salesledger.projections.testing.Migrated;
import org.salesledger.projections.testing.ReadModelDatabase;
import org.salesledger.testing.TestPostgres;

/** The funnel of contract §2, built by the projection's handlers on a real PostgreSQL. */
class FunnelProjectionIT {

    @Migrated
    private static CloseableDSLContext db;
    /** A second read model, built from the same events in processor batches, to compare with the first. */
    @Migrated
    private static CloseableDSLContext batched;
    private FunnelProjection projection;
    private FunnelProjection batchedProjection;
    private FunnelReadModel funnels;
    private final Map<String, Long> sequences = new HashMap<>();
    private final List<Event> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        projection = new FunnelProjection(db, new FunnelTables().funnelTables());
        projection.reset();
        batchedProjection = new FunnelProjection(batched, new FunnelTables().funnelTables());
        batchedProjection.reset();
        funnels = new FunnelQueries(db);
        sequences.clear();
        events.clear();
    }

    // ---- stage semantics ----

    @Test
    void aCustomerThatSkipsStagesHasReachedEveryEarlierOne() {
        register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(trial("c-1"), "2025-03-02T09:00:00Z");

        Funnel funnel = funnels.funnel(Scope.ALL, Filter.ALL);

        assertThat(current(funnel)).containsExactly(0L, 0L, 0L, 0L, 1L, 0L);
        assertThat(reached(funnel)).containsExactly(1L, 1L, 1L, 1L, 1L, 0L);
    }

    @Test
    void aPriceObjectionCountsOnlyAfterAProposal() {
        register("before", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(objection("before", ObjectionType.PRICE), "2025-03-02T09:00:00Z");
        register("after", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(proposal("after"), "2025-03-02T09:00:00Z");
        act(objection("after", ObjectionType.PRICE), "2025-03-03T09:00:00Z");

        Funnel funnel = funnels.funnel(Scope.ALL, Filter.ALL);

        assertThat(current(funnel)).containsExactly(1L, 0L, 0L, 1L, 0L, 0L);
    }

    @Test
    void aLostCustomerKeepsWhatItReachedAndAWonCustomerStaysWon() {
        register("lost", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(proposal("lost"), "2025-03-02T09:00:00Z");
        act(lost("lost"), "2025-03-03T09:00:00Z");
        act(trial("lost"), "2025-03-04T09:00:00Z");
        register("won", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(contract("won", "K-1"), "2025-03-02T09:00:00Z");
        act(needs("won"), "2025-03-03T09:00:00Z");
        act(payment("won", "K-1"), "2025-03-04T09:00:00Z");

        Funnel funnel = funnels.funnel(Scope.ALL, Filter.ALL);

        assertThat(funnel.won()).isEqualTo(1);
        assertThat(funnel.lost()).isEqualTo(1);
        assertThat(funnel.winRate()).isEqualTo(0.5);
        assertThat(reached(funnel)).containsExactly(2L, 2L, 2L, 1L, 1L, 1L);
        assertThat(current(funnel)).containsExactly(0L, 0L, 0L, 0L, 0L, 1L);
        assertThat(funnel.stages().get(2).conversionToNext()).isEqualTo(0.5);
        assertThat(funnel.stages().get(5).conversionToNext()).isNull();
    }

    @Test
    void anActionSeenAgainChangesNothing() {
        register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        ProposalSent proposal = proposal("c-1");
        act(proposal, "2025-03-02T09:00:00Z");
        projection.on(proposal, 1L, metadata("2025-03-09T09:00:00Z"));
        projection.on(lost("c-1"), 1L, metadata("2025-03-09T09:00:00Z"));

        assertThat(current(funnels.funnel(Scope.ALL, Filter.ALL))).containsExactly(0L, 0L, 1L, 0L, 0L, 0L);
    }

    @Test
    void averageDaysInAStageCountCustomersThatLeftIt() {
        register("a", "east", "t1", "rep-1", "web", "2025-03-01T00:00:00Z");
        act(proposal("a"), "2025-03-03T00:00:00Z");
        register("b", "east", "t1", "rep-1", "web", "2025-03-01T00:00:00Z");
        act(proposal("b"), "2025-03-05T00:00:00Z");
        act(trial("b"), "2025-03-06T12:00:00Z");

        Funnel funnel = funnels.funnel(Scope.ALL, Filter.ALL);

        assertThat(funnel.stages().get(0).avgDaysInStage()).isCloseTo(3.0, within(1e-9));
        assertThat(funnel.stages().get(2).avgDaysInStage()).isCloseTo(1.5, within(1e-9));
        assertThat(funnel.stages().get(4).avgDaysInStage()).isNull();
    }

    @Test
    void aReassignedCustomerCountsForItsNewOwnerAndRuleMadeActionsChangeNothing() {
        register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(needs("c-1"), "2025-03-02T09:00:00Z");
        act(new org.salesledger.kernel.rules.CustomerTagged(id("c-1"), "vip", "r", 1, null), "2025-03-03T09:00:00Z");
        act(reassign("c-1", "rep-1", "rep-2"), "2025-03-04T09:00:00Z");
        projection.on(reassign("c-1", "rep-9", "rep-9"), sequences.get("c-1"), metadata("2025-03-05T09:00:00Z"));

        Funnel oldOwner = funnels.funnel(Scope.ALL, new Filter(null, null, "rep-1", null, null, null));
        Funnel newOwner = funnels.funnel(Scope.ALL, new Filter(null, null, "rep-2", null, null, null));

        assertThat(current(oldOwner)).containsOnly(0L);
        assertThat(current(newOwner)).containsExactly(0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(db.fetchValue("SELECT last_action_type FROM funnel_customer WHERE customer_id = 'c-1'"))
                .isEqualTo("NeedsConfirmed");
    }

    /**
     * A customer released to the public pool is nobody's until it is claimed (contract §7: a rep's funnel counts the
     * customers it owns now): it leaves its former owner's funnel and stays, is "(none)" in a breakdown by rep, and
     * counts for whoever claims it.
     */
    @Test
    void aCustomerReleasedToThePoolCountsForNoRepUntilItIsClaimed() {
        register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(needs("c-1"), "2025-03-03T09:00:00Z");
        register("c-2", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(release("c-1", "rep-1"), "2025-04-03T09:00:00Z");

        Filter rep1 = new Filter(null, null, "rep-1", null, null, null);
        assertThat(current(funnels.funnel(Scope.ALL, rep1))).containsExactly(1L, 0L, 0L, 0L, 0L, 0L);
        assertThat(current(funnels.funnel(Scope.owners(Set.of("rep-1")), Filter.ALL)))
                .containsExactly(1L, 0L, 0L, 0L, 0L, 0L);
        assertThat(funnels.funnel(Scope.owners(Set.of("rep-1")), Filter.ALL).stages().get(0).avgDaysInStage())
                .as("c-1's two days in FIRST_CONTACT left with it").isNull();
        Map<String, Funnel> byRep = new TreeMap<>();
        funnels.funnelBy(Scope.ALL, Filter.ALL, Dimension.REP).forEach(g -> byRep.put(g.key(), g.funnel()));
        assertThat(byRep.keySet()).containsExactly("(none)", "rep-1");
        assertThat(current(byRep.get("(none)"))).containsExactly(0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(current(funnels.funnel(Scope.region("east"), Filter.ALL))).containsExactly(1L, 1L, 0L, 0L, 0L, 0L);
        assertThat(db.fetchValue("SELECT last_action_type FROM funnel_customer WHERE customer_id = 'c-1'"))
                .as("a rule-made release is not an interaction").isEqualTo("NeedsConfirmed");

        act(reassign("c-1", null, "rep-3"), "2025-04-04T09:00:00Z");

        Funnel claimer = funnels.funnel(Scope.owners(Set.of("rep-3")), Filter.ALL);
        assertThat(current(claimer)).containsExactly(0L, 1L, 0L, 0L, 0L, 0L);
        assertThat(claimer.stages().get(0).avgDaysInStage()).isCloseTo(2.0, within(1e-9));
        assertThat(db.fetchCount(FUNNEL_TALLY, FUNNEL_TALLY.DIMENSION.eq("rep_none")))
                .as("the pool's cells fall to zero and are deleted once the customer is claimed").isZero();
    }

    /**
     * The time a customer spent in the stages it left counts for its current owner, as a rebuild counts it: a
     * reassignment moves the stays that ended before it from the old owner's figures to the new owner's.
     */
    @Test
    void aReassignmentMovesTheStaysThatEndedBeforeItToTheNewOwner() {
        register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(needs("c-1"), "2025-03-03T09:00:00Z");
        act(proposal("c-1"), "2025-03-04T09:00:00Z");
        register("c-2", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(needs("c-2"), "2025-03-02T09:00:00Z");
        act(reassign("c-1", "rep-1", "rep-2"), "2025-03-05T09:00:00Z");

        Funnel oldOwner = funnels.funnel(Scope.ALL, new Filter(null, null, "rep-1", null, null, null));
        Funnel newOwner = funnels.funnel(Scope.ALL, new Filter(null, null, "rep-2", null, null, null));

        assertThat(oldOwner.stages().get(0).avgDaysInStage()).isCloseTo(1.0, within(1e-9));
        assertThat(oldOwner.stages().get(1).avgDaysInStage()).isNull();
        assertThat(newOwner.stages().get(0).avgDaysInStage()).isCloseTo(2.0, within(1e-9));
        assertThat(newOwner.stages().get(1).avgDaysInStage()).isCloseTo(1.0, within(1e-9));
        assertThat(db.fetchCount(FUNNEL_STAY_TALLY, FUNNEL_STAY_TALLY.DIMENSION.eq("rep")
                .and(FUNNEL_STAY_TALLY.VALUE.eq("rep-1")).and(FUNNEL_STAY_TALLY.STAGE.eq("NEEDS_CONFIRMED"))))
                .as("a cell left without stays is deleted, as a rebuild would not have it").isZero();
    }

    @Test
    void anEmptySelectionHasZeroCountsAndNoRates() {
        Funnel funnel = funnels.funnel(Scope.ALL, new Filter("nowhere", null, null, null, null, null));

        assertThat(current(funnel)).containsOnly(0L);
        assertThat(funnel.winRate()).isNull();
        assertThat(funnel.stages().get(0).conversionToNext()).isNull();
    }

    // ---- against an independent computation ----

    @Test
    void everyFilterAndBreakdownEqualsAnIndependentComputation() {
        Map<String, Oracle.Customer> expected = generate(400, 42);
        feedInBatches(projection, interleaved(), 500);
        assertEqualsOracle(funnels, expected);
    }

    /**
     * Back-dated actions (stored after later-dated ones) move stages at their own time, and a stay that would end
     * before it began counts zero days; a processor that restarts from older tokens redelivers events, alone and mixed
     * with new ones: the answers still equal the independent computation.
     */
    @Test
    void backDatedAndRedeliveredEventsStillEqualAnIndependentComputation() {
        Map<String, Oracle.Customer> expected = generate(400, 43, true);
        List<Event> stream = interleaved();
        assertThat(stream).as("some actions are back-dated").anyMatch(e -> !e.storedAt().toString().equals(e.time()));
        Random random = new Random(44);
        int done = 0;
        while (done < stream.size()) {
            int to = Math.min(stream.size(), done + 1 + random.nextInt(120));
            int redelivered = random.nextInt(3) == 0 ? Math.max(0, done - random.nextInt(200)) : done;
            feedInBatches(projection, stream.subList(redelivered, to), 1 + random.nextInt(150));
            done = to;
        }
        feedInBatches(projection, stream.subList(0, stream.size() / 2), 500);

        assertEqualsOracle(funnels, expected);
    }

    /** Single filters and a breakdown by their own dimension or by month come from the tallies; the rest are counted. */
    static final List<Filter> FILTERS = List.of(Filter.ALL,
            new Filter("east", null, null, null, null, null),
            new Filter(null, "t2", null, null, null, null),
            new Filter(null, null, "rep-3", null, null, null),
            new Filter(null, null, null, "wechat", null, null),
            new Filter(null, null, null, null, LocalDate.of(2025, 2, 1), LocalDate.of(2025, 4, 1)),
            new Filter(null, null, null, null, null, LocalDate.of(2025, 2, 14)),
            new Filter("north", null, null, null, LocalDate.of(2025, 1, 20), LocalDate.of(2025, 3, 3)),
            new Filter(null, null, "rep-1", null, LocalDate.of(2025, 2, 10), null),
            new Filter("west", "t1", null, "web", LocalDate.of(2025, 1, 15), null),
            new Filter(null, "t1", "rep-2", null, null, null),
            new Filter("nowhere", null, null, null, null, null));

    /**
     * Scopes of callers (contract §7), each with what it covers written apart from {@link Scope#covers}: a region's
     * and a rep's are read from single tally cells, a supervisor's team's adds up the cells of its reps.
     */
    static final Map<Scope, Predicate<Oracle.Customer>> SCOPES = scopes();

    private static Map<Scope, Predicate<Oracle.Customer>> scopes() {
        Map<Scope, Predicate<Oracle.Customer>> scopes = new LinkedHashMap<>();
        scopes.put(Scope.ALL, c -> true);
        scopes.put(Scope.region("east"), c -> c.region.equals("east"));
        scopes.put(Scope.owners(Set.of("rep-3")), c -> "rep-3".equals(c.rep));
        scopes.put(Scope.owners(Set.of("rep-1", "rep-2")), c -> "rep-1".equals(c.rep) || "rep-2".equals(c.rep));
        scopes.put(Scope.NOTHING, c -> false);
        return scopes;
    }

    private static void assertEqualsOracle(FunnelReadModel model, Map<String, Oracle.Customer> expected) {
        SCOPES.forEach((scope, covers) -> {
            for (Filter filter : FILTERS) {
                List<Oracle.Customer> selected = expected.values().stream().filter(covers)
                        .filter(Oracle.selects(filter)).toList();
                String asked = scope + " " + filter;
                Funnel funnel = model.funnel(scope, filter);
                assertThat(figures(funnel)).as(asked).isEqualTo(Oracle.funnel(selected));
                assertAverages(funnel, Oracle.averageDays(selected), asked);
                for (Dimension by : Dimension.values()) {
                    Map<String, Funnel> actual = new TreeMap<>();
                    model.funnelBy(scope, filter, by).forEach(g -> actual.put(g.key(), g.funnel()));
                    Map<String, List<Oracle.Customer>> groups = new TreeMap<>();
                    selected.forEach(c -> groups.computeIfAbsent(Oracle.key(c, by), k -> new ArrayList<>()).add(c));
                    String what = asked + " by " + by;
                    assertThat(actual.keySet()).as(what).containsExactlyElementsOf(groups.keySet());
                    groups.forEach((key, customers) -> {
                        assertThat(figures(actual.get(key))).as(what + " " + key)
                                .isEqualTo(Oracle.funnel(customers));
                        assertAverages(actual.get(key), Oracle.averageDays(customers), what + " " + key);
                    });
                }
            }
        });
    }

    private static void assertAverages(Funnel funnel, List<Double> expected, String what) {
        for (int i = 0; i < expected.size(); i++) {
            Double actual = funnel.stages().get(i).avgDaysInStage();
            if (expected.get(i) == null) {
                assertThat(actual).as("%s avgDaysInStage of %s", what, Oracle.ORDER.get(i)).isNull();
            } else {
                assertThat(actual).as("%s avgDaysInStage of %s", what, Oracle.ORDER.get(i))
                        .isCloseTo(expected.get(i), within(1e-9));
            }
        }
    }

    /** The tallies, kept up batch by batch, hold exactly the counts of the customer and stay tables. */
    @Test
    void theTalliesEqualCountsOfTheCustomerAndStayTables() {
        generate(300, 13);
        feedInBatches(projection, interleaved(), 1000);
        feedInBatches(batchedProjection, interleaved(), 61);

        for (DSLContext database : List.of(db, batched)) {
            assertThat(database.fetch("select dimension, value, day, stage, furthest_rank, customers from funnel_tally")
                    .intoSet(r -> r.formatCSV(false).trim()))
                    .isEqualTo(database.fetch(COUNTED_TALLY).intoSet(r -> r.formatCSV(false).trim()))
                    .isNotEmpty();
            assertThat(database.fetch("select dimension, value, day, stage, stays, micros from funnel_stay_tally")
                    .intoSet(r -> r.formatCSV(false).trim()))
                    .isEqualTo(database.fetch(COUNTED_STAY_TALLY).intoSet(r -> r.formatCSV(false).trim()))
                    .isNotEmpty();
        }
    }

    /** A rebuild leaves the tallies out during the replay and counts them in one go at the end: the same cells. */
    @Test
    void talliesCountedInOneGoAfterAReplayEqualTheTalliesKeptBatchByBatch() {
        generate(300, 29);
        feedInBatches(projection, interleaved(), 77);
        List<String> keptBatchByBatch = rows(db);

        db.truncate(FUNNEL_TALLY).execute();
        db.truncate(FUNNEL_STAY_TALLY).execute();
        new FunnelStore(db, new FunnelTables().funnelTables()).countTallies();

        assertThat(rows(db)).isEqualTo(keptBatchByBatch);
        assertThat(db.fetchCount(FUNNEL_TALLY)).isPositive();
        // laid out in key order, each dimension value's rows together: what a query with one filter reads
        for (String table : List.of("funnel_tally", "funnel_stay_tally")) {
            String key = table.equals("funnel_tally") ? "dimension, value, day, stage, furthest_rank"
                    : "dimension, value, day, stage";
            String select = "select concat_ws('/', " + key + ") from " + table + " order by ";
            assertThat(db.fetch(select + "ctid").getValues(0, String.class)).as(table)
                    .isEqualTo(db.fetch(select + key).getValues(0, String.class));
        }
    }

    @Test
    void upgradingAReadModelBuiltBeforeTheTalliesFillsThemWithItsCounts() {
        generate(200, 17);
        // a read model of that age had no customer without an owner (its table could hold none)
        events.removeIf(e -> e.action() instanceof CustomerReleasedToPool);
        feedInBatches(projection, interleaved(), 500);
        TestPostgres.TestDatabase older = ReadModelDatabase.migratedTo("3");
        try (CloseableDSLContext before = DSL.using(older.jdbcUrl(), older.user(), older.password())) {
            var customers = db.selectFrom(FUNNEL_CUSTOMER).fetch();
            var stays = db.selectFrom(FUNNEL_STAGE_STAY).fetch();
            customers.forEach(r -> r.changed(true));
            stays.forEach(r -> r.changed(true));
            before.batchInsert(customers).execute();
            before.batchInsert(stays).execute();
        }

        try (CloseableDSLContext upgraded = ReadModelDatabase.migrate(older, null)) {
            assertThat(rows(upgraded)).isEqualTo(rows(db));
        }
    }

    private static final String DIMENSIONS = "cross join lateral (values ('all', ''), ('region', c.region), "
            + "(case when c.team is null then 'team_none' else 'team' end, coalesce(c.team, '')), "
            + "(case when c.owner_rep_id is null then 'rep_none' else 'rep' end, coalesce(c.owner_rep_id, '')), "
            + "('channel', c.channel)) as d (dimension, value) ";
    private static final String COUNTED_TALLY = "select d.dimension, d.value, "
            + "(c.registered_at at time zone 'UTC')::date, c.stage, c.furthest_rank, count(*) "
            + "from funnel_customer c " + DIMENSIONS + "group by 1, 2, 3, 4, 5";
    private static final String COUNTED_STAY_TALLY = "select d.dimension, d.value, "
            + "(c.registered_at at time zone 'UTC')::date, s.stage, count(*), "
            + "sum(greatest(0, round(extract(epoch from s.exited_at - s.entered_at) * 1000000))) "
            + "from funnel_stage_stay s join funnel_customer c on c.customer_id = s.customer_id " + DIMENSIONS
            + "where s.exited_at is not null group by 1, 2, 3, 4";

    @Test
    void processorBatchesOfAnySizeBuildExactlyTheModelThatOneEventAtATimeBuilds() {
        generate(100, 7);
        List<Event> stream = interleaved();
        events.forEach(e -> projection.on(e.action(), e.sequence(), metadata(e.time())));

        for (int size : List.of(7, 100, 1000)) {
            batchedProjection.reset();
            feedInBatches(batchedProjection, stream, size);
            assertThat(rows(batched)).as("batches of %d", size).isEqualTo(rows(db));
        }
    }

    /**
     * A processor that restarts from an older token (a lost claim, a crash between a batch and the next token) sees
     * events again: already applied ones change nothing, even mixed with new ones in one batch.
     */
    @Test
    void aRestartThatRedeliversEventsCountsNothingTwice() {
        generate(150, 5);
        List<Event> stream = interleaved();
        int half = stream.size() / 2;
        feedInBatches(projection, stream, stream.size());

        feedInBatches(batchedProjection, stream.subList(0, half), 50);
        feedInBatches(batchedProjection, stream.subList(half / 2, stream.size()), 50);
        feedInBatches(batchedProjection, stream, 333);

        assertThat(rows(batched)).isEqualTo(rows(db));
    }

    /**
     * Four segments of a processor apply their batches at once, each in its own transaction: their customers differ
     * but their tally cells do not (every customer counts under {@code all}). They must wait for each other, never
     * deadlock, and lose no count.
     */
    @Test
    void segmentsWritingTheSameTallyCellsAtOnceNeitherDeadlockNorLoseCounts() throws Exception {
        generate(400, 23);
        List<Event> stream = interleaved();
        feedInBatches(projection, stream, stream.size());
        TestPostgres.TestDatabase database = ReadModelDatabase.create();
        int segments = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(segments);
        try {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int segment = 0; segment < segments; segment++) {
                int mine = segment;
                List<Event> part = stream.stream()
                        .filter(e -> Math.floorMod(e.action().customerId().value().hashCode(), segments) == mine)
                        .toList();
                running.add(pool.submit(() -> {
                    try (CloseableDSLContext connection = DSL.using(database.jdbcUrl(), database.user(),
                            database.password())) {
                        for (int from = 0; from < part.size(); from += 40) {
                            List<Event> batch = part.subList(from, Math.min(part.size(), from + 40));
                            connection.transaction(tx -> feedInBatches(
                                    new FunnelProjection(DSL.using(tx), new FunnelTables().funnelTables()),
                                    batch, batch.size()));
                        }
                    }
                    return null;
                }));
            }
            for (var segment : running) {
                segment.get();
            }
        } finally {
            pool.shutdownNow();
        }

        try (CloseableDSLContext concurrent = DSL.using(database.jdbcUrl(), database.user(), database.password())) {
            assertThat(rows(concurrent)).isEqualTo(rows(db));
        }
    }

    @Test
    void eventsForAWonCustomerInTheBatchThatWonItChangeNoStage() {
        register("won", "east", "t1", "rep-1", "web", "2025-03-01T09:00:00Z");
        act(contract("won", "K-1"), "2025-03-02T09:00:00Z");
        act(needs("won"), "2025-03-03T09:00:00Z");
        act(objection("won", ObjectionType.PRICE), "2025-03-04T09:00:00Z");
        act(payment("won", "K-1"), "2025-03-05T09:00:00Z");
        act(visit("won"), "2025-03-06T09:00:00Z");

        feedInBatches(batchedProjection, events, events.size());
        Funnel funnel = new FunnelQueries(batched).funnel(Scope.ALL, Filter.ALL);

        assertThat(current(funnel)).containsExactly(0L, 0L, 0L, 0L, 0L, 1L);
        assertThat(reached(funnel)).containsExactly(1L, 1L, 1L, 1L, 1L, 1L);
        assertThat(rows(batched)).isEqualTo(rows(db));
    }

    /**
     * A registration the read model cannot hold fails in the event's handler — where the processor's dead-letter
     * queue parks that one customer — and not when the batch commits, which would stop every customer of the batch.
     */
    @Test
    void aRegistrationTheTablesCannotHoldFailsInItsHandlerAndLeavesTheBatchWritable() {
        CustomerRegistered tooLong = new CustomerRegistered(CustomerId.of("long"), "n", "r".repeat(256),
                RepId.of("rep-1"), "web", null, null, null, null, null, Map.of());
        register("fine", "east", null, "rep-1", "web", "2025-03-01T09:00:00Z");
        List<Event> batch = List.of(new Event(tooLong, 0L, "2025-03-01T09:00:00Z"), events.get(0));

        assertThatThrownBy(() -> projection.on(tooLong, 0L, metadata("2025-03-01T09:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region", "255");
        BatchingUnitOfWork<DomainEventMessage<CustomerAction>> unitOfWork = new BatchingUnitOfWork<>(
                batch.stream().map(Event::message).toList());
        List<Throwable> failures = new ArrayList<>();
        unitOfWork.executeWithResult(() -> {
            DomainEventMessage<CustomerAction> message = unitOfWork.getMessage();
            try {
                batchedProjection.on(message.getPayload(), message.getSequenceNumber(), message.getMetaData());
            } catch (IllegalArgumentException e) {
                failures.add(e); // what the dead-letter queue does: park it, go on with the batch
            }
            return null;
        });

        assertThat(failures).hasSize(1);
        assertThat(rows(batched)).isEqualTo(rows(db));
        assertThat(new FunnelQueries(batched).funnel(Scope.ALL, Filter.ALL).stages().get(0).current()).isEqualTo(1);
    }

    /** Random journeys for n customers as stored events (not fed to any projection yet), and the oracle's view. */
    private Map<String, Oracle.Customer> generate(int n, long seed) {
        return generate(n, seed, false);
    }

    /**
     * The same, where with {@code backDated} one action in four carries a time up to ten days before the customer's
     * previous action (an import of old records, a phone that was offline): it is stored after them all the same.
     */
    private Map<String, Oracle.Customer> generate(int n, long seed, boolean backDated) {
        Random random = new Random(seed);
        String[] regions = {"east", "west", "north"};
        String[] channels = {"web", "wechat", "exhibition"};
        Map<String, Oracle.Customer> customers = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String id = "g-" + i;
            OffsetDateTime t = OffsetDateTime.parse("2025-01-01T08:00:00Z").plusHours(random.nextInt(24 * 120));
            String team = random.nextInt(5) == 0 ? null : "t" + (1 + random.nextInt(2));
            Oracle.Customer c = new Oracle.Customer(regions[random.nextInt(3)], team, "rep-" + random.nextInt(5),
                    channels[random.nextInt(3)], t);
            customers.put(id, c);
            events.add(new Event(new CustomerRegistered(CustomerId.of(id), "n", c.region, RepId.of(c.rep), c.channel,
                    c.team, null, null, null, null, Map.of()), 0L, t.toString()));
            int steps = random.nextInt(7);
            for (int s = 0; s < steps; s++) {
                t = t.plusHours(1 + random.nextInt(200));
                CustomerAction action = switch (random.nextInt(11)) {
                    case 0 -> needs(id);
                    case 1, 2 -> proposal(id);
                    case 3 -> objection(id, random.nextBoolean() ? ObjectionType.PRICE : ObjectionType.COMPETITOR);
                    case 4 -> trial(id);
                    case 5 -> contract(id, "K-" + s);
                    case 6 -> lost(id);
                    case 8 -> release(id, c.rep);
                    case 9 -> reassign(id, c.rep, "rep-" + random.nextInt(5));
                    case 10 -> new CustomerTagged(id(id), "vip", "rule-1", 1, Map.of());
                    default -> visit(id);
                };
                OffsetDateTime time = backDated && random.nextInt(4) == 0 ? t.minusMinutes(random.nextInt(60 * 24 * 10))
                        : t;
                events.add(new Event(action, s + 1, time.toString(), t));
                c.apply(action, time);
            }
        }
        return customers;
    }

    /** An independent statement of contract §2, written apart from Lifecycle on purpose. */
    static final class Oracle {
        static final List<String> ORDER = List.of("FIRST_CONTACT", "NEEDS_CONFIRMED", "PROPOSAL_SENT",
                "PRICE_OBJECTION", "TRIAL_REQUESTED", "CONTRACT_SIGNED");

        static final class Customer {
            final String region;
            final String team;
            String rep;
            final String channel;
            final OffsetDateTime registeredAt;
            String stage = "FIRST_CONTACT";
            int furthest = 0;
            OffsetDateTime enteredAt;
            /** Days spent in each stage the customer has left. */
            final Map<String, Double> daysIn = new HashMap<>();

            Customer(String region, String team, String rep, String channel, OffsetDateTime registeredAt) {
                this.region = region;
                this.team = team;
                this.rep = rep;
                this.channel = channel;
                this.registeredAt = registeredAt;
                this.enteredAt = registeredAt;
            }

            void apply(CustomerAction action, OffsetDateTime time) {
                if (action instanceof CustomerReassigned r) {
                    rep = r.toRepId().value();
                    return;
                }
                if (action instanceof CustomerReleasedToPool) {
                    rep = null; // in the public pool: nobody's until claimed (a claim is a reassignment)
                    return;
                }
                if (stage.equals("CONTRACT_SIGNED") || stage.equals("LOST")) {
                    return;
                }
                if (action instanceof DealLost) {
                    move("LOST", time);
                    return;
                }
                String target = null;
                if (action instanceof NeedsConfirmed) {
                    target = "NEEDS_CONFIRMED";
                } else if (action instanceof ProposalSent) {
                    target = "PROPOSAL_SENT";
                } else if (action instanceof TrialRequested) {
                    target = "TRIAL_REQUESTED";
                } else if (action instanceof ContractSigned) {
                    target = "CONTRACT_SIGNED";
                } else if (action instanceof ObjectionRaised o && o.objectionType() == ObjectionType.PRICE
                        && ORDER.indexOf(stage) >= ORDER.indexOf("PROPOSAL_SENT")) {
                    target = "PRICE_OBJECTION";
                }
                if (target != null && ORDER.indexOf(target) > ORDER.indexOf(stage)) {
                    furthest = Math.max(furthest, ORDER.indexOf(target));
                    move(target, time);
                }
            }

            private void move(String to, OffsetDateTime time) {
                daysIn.put(stage, Math.max(0, java.time.Duration.between(enteredAt, time).toSeconds()) / 86400.0);
                stage = to;
                enteredAt = time;
            }
        }

        static Predicate<Customer> selects(Filter f) {
            return c -> (f.region() == null || f.region().equals(c.region))
                    && (f.team() == null || f.team().equals(c.team))
                    && (f.rep() == null || f.rep().equals(c.rep))
                    && (f.channel() == null || f.channel().equals(c.channel))
                    && (f.from() == null || !c.registeredAt.toLocalDate().isBefore(f.from()))
                    && (f.to() == null || c.registeredAt.toLocalDate().isBefore(f.to()));
        }

        static String key(Customer c, Dimension by) {
            Function<Customer, String> key = switch (by) {
                case REGION -> x -> x.region;
                case TEAM -> x -> x.team == null ? "(none)" : x.team;
                case REP -> x -> x.rep == null ? "(none)" : x.rep;
                case CHANNEL -> x -> x.channel;
                case MONTH -> x -> x.registeredAt.toString().substring(0, 7);
            };
            return key.apply(c);
        }

        /** The average days in each ordered stage of the customers that left it; {@code null} when none has. */
        static List<Double> averageDays(List<Customer> customers) {
            List<Double> averages = new ArrayList<>();
            for (String s : ORDER) {
                var days = customers.stream().filter(c -> c.daysIn.containsKey(s)).mapToDouble(c -> c.daysIn.get(s))
                        .average();
                averages.add(days.isPresent() ? days.getAsDouble() : null);
            }
            return averages;
        }

        /** current × 6, reached × 6, won, lost: the integer figures of a funnel. */
        static List<Long> funnel(List<Customer> customers) {
            List<Long> figures = new ArrayList<>();
            for (String s : ORDER) {
                figures.add(customers.stream().filter(c -> c.stage.equals(s)).count());
            }
            for (int rank = 0; rank < ORDER.size(); rank++) {
                int r = rank;
                figures.add(customers.stream().filter(c -> c.furthest >= r).count());
            }
            figures.add(customers.stream().filter(c -> c.stage.equals("CONTRACT_SIGNED")).count());
            figures.add(customers.stream().filter(c -> c.stage.equals("LOST")).count());
            return figures;
        }
    }

    // ---- helpers ----

    private static List<Long> figures(Funnel funnel) {
        List<Long> figures = new ArrayList<>(current(funnel));
        figures.addAll(reached(funnel));
        figures.add(funnel.won());
        figures.add(funnel.lost());
        return figures;
    }

    private static List<Long> current(Funnel funnel) {
        return funnel.stages().stream().map(StageFigures::current).toList();
    }

    private static List<Long> reached(Funnel funnel) {
        return funnel.stages().stream().map(StageFigures::reached).toList();
    }

    private void register(String id, String region, String team, String rep, String channel, String time) {
        sequences.put(id, 0L);
        CustomerRegistered registered = new CustomerRegistered(CustomerId.of(id), "n", region, RepId.of(rep), channel,
                team, null, null, null, null, Map.of());
        events.add(new Event(registered, 0L, time));
        projection.on(registered, 0L, metadata(time));
    }

    private void act(CustomerAction action, String time) {
        long sequence = sequences.merge(action.customerId().value(), 1L, Long::sum);
        events.add(new Event(action, sequence, time));
        projection.on(action, sequence, metadata(time));
    }

    /** One stored event: its payload, its aggregate sequence number and its envelope time. */
    record Event(CustomerAction action, long sequence, String time, OffsetDateTime storedAt) {
        /** An event stored when it happened. */
        Event(CustomerAction action, long sequence, String time) {
            this(action, sequence, time, OffsetDateTime.parse(time));
        }

        DomainEventMessage<CustomerAction> message() {
            return new GenericDomainEventMessage<>("Customer", action.customerId().value(), sequence, action,
                    metadata(time));
        }
    }

    /** The events as an event store holds them: customers interleaved by time, each customer's own order kept. */
    private List<Event> interleaved() {
        List<Event> stream = new ArrayList<>(events);
        stream.sort(java.util.Comparator.comparing((Event e) -> e.storedAt().toInstant()));
        return stream;
    }

    /**
     * Feeds the events to a projection as a pooled streaming processor does: in batches, each one unit of work
     * whose changes are written when it commits.
     */
    private static void feedInBatches(FunnelProjection target, List<Event> stream, int size) {
        for (int from = 0; from < stream.size(); from += size) {
            List<DomainEventMessage<CustomerAction>> batch = stream.subList(from, Math.min(stream.size(), from + size))
                    .stream().map(Event::message).toList();
            BatchingUnitOfWork<DomainEventMessage<CustomerAction>> unitOfWork = new BatchingUnitOfWork<>(batch);
            ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
                DomainEventMessage<CustomerAction> message = unitOfWork.getMessage();
                target.on(message.getPayload(), message.getSequenceNumber(), message.getMetaData());
                return null;
            });
            assertThat(result.isExceptional()).as("batch failed: %s",
                    result.isExceptional() ? result.exceptionResult() : "").isFalse();
        }
    }

    /** Every row of every table of the funnel read model, as text, in a stable order. */
    static List<String> rows(DSLContext database) {
        List<String> rows = new ArrayList<>();
        for (String table : new FunnelTables().funnelTables().tables()) {
            Result<Record> result = database.fetch("select * from " + table);
            result.forEach(r -> rows.add(table + ": " + r.formatCSV(false).trim()));
        }
        java.util.Collections.sort(rows);
        return rows;
    }

    private static MetaData metadata(String time) {
        return MetaData.from(Map.of(ActionMetadata.OCCURRED_AT, time));
    }

    private static CustomerId id(String c) {
        return CustomerId.of(c);
    }

    private static NeedsConfirmed needs(String c) {
        return new NeedsConfirmed(id(c), null, Map.of());
    }

    private static ProposalSent proposal(String c) {
        return new ProposalSent(id(c), null, null, null, null, Map.of());
    }

    private static ObjectionRaised objection(String c, ObjectionType type) {
        return new ObjectionRaised(id(c), type, null, Map.of());
    }

    private static TrialRequested trial(String c) {
        return new TrialRequested(id(c), null, Map.of());
    }

    private static ContractSigned contract(String c, String k) {
        return new ContractSigned(id(c), k, new Money(BigDecimal.TEN, "CNY"), null, null, Map.of());
    }

    private static PaymentReceived payment(String c, String k) {
        return new PaymentReceived(id(c), k, new Money(BigDecimal.ONE, "CNY"), Map.of());
    }

    private static DealLost lost(String c) {
        return new DealLost(id(c), "price", Map.of());
    }

    private static CustomerReassigned reassign(String c, String from, String to) {
        return new CustomerReassigned(id(c), from == null ? null : RepId.of(from), RepId.of(to), "SUPERVISOR", "cover",
                Map.of());
    }

    private static CustomerReleasedToPool release(String c, String owner) {
        return new CustomerReleasedToPool(id(c), owner == null ? null : RepId.of(owner),
                java.time.Instant.parse("2025-01-01T00:00:00Z"), "P30D", "rule-pool", 1, Map.of());
    }

    private static VisitLogged visit(String c) {
        return new VisitLogged(id(c), "role", null, null, null, null, null, Map.of());
    }
}
