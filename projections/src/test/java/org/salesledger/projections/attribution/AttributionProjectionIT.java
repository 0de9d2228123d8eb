package org.salesledger.projections.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.attribution.AttributionReadModel.ChannelCredit;
import org.salesledger.projections.attribution.AttributionReadModel.Journey;
import org.salesledger.projections.attribution.AttributionReadModel.Selection;
import org.salesledger.projections.attribution.datadriven.DataDrivenModel;
import org.salesledger.projections.attribution.datadriven.Journey.Revenue;
import org.salesledger.projections.testing.Migrated;

/**
 * Contract §2's attribution through the projection and the read model on a real PostgreSQL, on journeys worked
 * out by hand. Each case is asked both ways: from the precomputed sums (the default window) and computed from the
 * journeys (a window that is not precomputed, or a selection that does not fall on whole days).
 */
class AttributionProjectionIT {

    @Migrated
    private static CloseableDSLContext db;
    private AttributionProjection projection;
    private AttributionQueries queries;
    private ActionLog log;

    @BeforeEach
    void setUp() {
        AttributionSettings settings = new AttributionSettings(AttributionDefinition.defaults());
        projection = new AttributionProjection(db, new AttributionTables().attributionTables(), settings);
        projection.reset();
        queries = new AttributionQueries(db, settings);
        log = new ActionLog();
    }

    @Test
    void aFourTouchJourneyIsSplitAsEachModelSays() {
        log.register("c-1", "exhibition", "2025-03-01T00:00:00Z");
        log.touch("c-1", "wechat", "2025-03-05T00:00:00Z");
        log.needs("c-1", "2025-03-06T00:00:00Z");
        log.touch("c-1", "web", "2025-03-10T00:00:00Z");
        log.touch("c-1", "wechat", "2025-03-15T00:00:00Z");
        log.contract("c-1", "1000", "CNY", "2025-03-20T00:00:00Z");
        ActionLog.feed(projection, log.all);

        assertThat(credit("first_touch")).containsExactly(row("exhibition", "CNY", "1", "1000"));
        assertThat(credit("last_touch")).containsExactly(row("wechat", "CNY", "1", "1000"));
        assertThat(credit("linear")).containsExactly(row("exhibition", "CNY", "0.25", "250"),
                row("web", "CNY", "0.25", "250"), row("wechat", "CNY", "0.5", "500"));
        assertThat(credit("u_shaped")).containsExactly(row("exhibition", "CNY", "0.4", "400"),
                row("web", "CNY", "0.1", "100"), row("wechat", "CNY", "0.5", "500"));
        // first (exhibition), last at or before NEEDS_CONFIRMED (wechat of 03-05), last (wechat): 30% each
        assertThat(credit("w_shaped")).containsExactly(row("exhibition", "CNY", "0.3", "300"),
                row("web", "CNY", "0.1", "100"), row("wechat", "CNY", "0.6", "600"));
        // 19, 15, 10 and 5 days before the conversion, half-life 7
        double e = Math.pow(2, -19 / 7.0), w1 = Math.pow(2, -15 / 7.0), b = Math.pow(2, -10 / 7.0),
                w2 = Math.pow(2, -5 / 7.0), sum = e + w1 + b + w2;
        Map<String, Double> decay = approximate(credit("time_decay"));
        assertThat(decay.get("exhibition|CNY")).isCloseTo(e / sum, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(decay.get("wechat|CNY")).isCloseTo((w1 + w2) / sum, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(decay.get("web|CNY")).isCloseTo(b / sum, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void touchesAtTheSameTimeCountInTheOrderTheyWereStored() {
        log.register("c-1", "web", "2025-03-01T10:00:00Z");
        log.touch("c-1", "sms", "2025-03-05T10:00:00+08:00");
        log.touch("c-1", "email", "2025-03-05T02:00:00Z");
        log.touch("c-1", "phone", "2025-03-02T00:00:00Z");
        log.contract("c-1", "100", "CNY", "2025-03-06T00:00:00Z");
        ActionLog.feed(projection, log.all);

        assertThat(credit("last_touch")).containsExactly(row("email", "CNY", "1", "100"));
        assertThat(credit("first_touch")).containsExactly(row("web", "CNY", "1", "100"));
        // web (03-01), phone (03-02), sms and email (both 03-05 02:00 UTC, sms stored first)
        assertThat(credit("u_shaped")).containsExactly(row("email", "CNY", "0.4", "40"),
                row("phone", "CNY", "0.1", "10"), row("sms", "CNY", "0.1", "10"), row("web", "CNY", "0.4", "40"));
    }

    @Test
    void onlyTouchesWithinLookbackDaysBeforeTheConversionCount() {
        log.register("c-1", "exhibition", "2024-01-01T00:00:00Z");
        log.touch("c-1", "web", "2024-03-03T00:00:00Z");
        log.touch("c-1", "boundary", "2024-04-01T00:00:00Z");
        log.contract("c-1", "500", "CNY", "2024-05-01T00:00:00Z");
        log.touch("c-1", "after", "2024-05-01T00:00:01Z");
        ActionLog.feed(projection, log.all);

        // 30 days back is exactly 2024-04-01T00:00Z: included
        assertThat(credit("first_touch", 30)).containsExactly(row("boundary", "CNY", "1", "500"));
        assertThat(credit("first_touch", 29)).containsExactly(row("(none)", "CNY", "1", "500"));
        assertThat(credit("first_touch")).containsExactly(row("web", "CNY", "1", "500"));
        assertThat(credit("first_touch", 200)).containsExactly(row("exhibition", "CNY", "1", "500"));
        assertThat(credit("last_touch", 200)).containsExactly(row("boundary", "CNY", "1", "500"));
    }

    @Test
    void aConversionWithoutTouchesInItsWindowGoesToNone() {
        log.register("c-1", "exhibition", "2024-01-01T00:00:00Z");
        log.contract("c-1", "800", "USD", "2024-06-01T00:00:00Z");
        ActionLog.feed(projection, log.all);

        for (String model : AttributionModel.codes()) {
            assertThat(credit(model)).as(model).containsExactly(row("(none)", "USD", "1", "800"));
        }
    }

    @Test
    void eachConversionOfACustomerHasItsOwnWindowAndCurrenciesAreNeverAdded() {
        log.register("c-1", "web", "2025-03-01T00:00:00Z");
        log.touch("c-1", "wechat", "2025-03-10T00:00:00Z");
        log.contract("c-1", "100", "CNY", "2025-03-12T00:00:00Z");
        log.touch("c-1", "email", "2025-03-20T00:00:00Z");
        log.contract("c-1", "50", "USD", "2025-03-25T00:00:00Z");
        log.register("c-2", "web", "2025-03-02T00:00:00Z");
        log.contract("c-2", "30", "USD", "2025-03-03T00:00:00Z");
        ActionLog.feed(projection, log.all);

        String third = "0.3333333333333333333333333333333333";
        assertThat(credit("linear")).containsExactly(row("email", "USD", third, "16.66666666666666666666666666666666"),
                row("web", "CNY", "0.5", "50"), row("web", "USD", "1.3333333333333333333333333333333333",
                        "46.66666666666666666666666666666666"),
                row("wechat", "CNY", "0.5", "50"), row("wechat", "USD", third, "16.66666666666666666666666666666666"));
        assertThat(credit("last_touch")).containsExactly(row("email", "USD", "1", "50"), row("web", "USD", "1", "30"),
                row("wechat", "CNY", "1", "100"));
    }

    @Test
    void fromAndToSelectConversionsByTimeAndFiltersSelectCustomersByRegistration() {
        log.register("c-1", "east", "t1", "rep-1", "web", "2025-01-01T00:00:00Z");
        log.contract("c-1", "100", "CNY", "2025-01-31T12:00:00Z");
        log.contract("c-1", "200", "CNY", "2025-02-10T00:00:00Z");
        log.contract("c-1", "400", "CNY", "2025-03-05T00:00:00Z");
        log.register("c-2", "west", null, "rep-2", "wechat", "2025-01-01T00:00:00Z");
        log.contract("c-2", "1000", "CNY", "2025-02-15T00:00:00Z");
        ActionLog.feed(projection, log.all);

        assertThat(credit("first_touch", Selection.ALL)).containsExactly(row("web", "CNY", "3", "700"),
                row("wechat", "CNY", "1", "1000"));
        // whole days around a whole month: January 31 from the daily sums, February from the monthly ones
        assertThat(credit("first_touch", between("2025-01-31T00:00:00Z", "2025-03-01T00:00:00Z")))
                .containsExactly(row("web", "CNY", "2", "300"), row("wechat", "CNY", "1", "1000"));
        assertThat(credit("first_touch", between("2025-02-11T00:00:00Z", "2025-03-06T00:00:00Z")))
                .containsExactly(row("web", "CNY", "1", "400"), row("wechat", "CNY", "1", "1000"));
        // not on whole days: computed from the journeys
        assertThat(credit("first_touch", between("2025-01-31T12:00:00Z", "2025-02-15T00:00:00Z")))
                .containsExactly(row("web", "CNY", "2", "300"));
        assertThat(credit("first_touch", between(null, "2025-02-01T00:00:00Z"))).containsExactly(
                row("web", "CNY", "1", "100"));
        assertThat(credit("first_touch", new Selection(null, null, "west", null, null)))
                .containsExactly(row("wechat", "CNY", "1", "1000"));
        assertThat(credit("first_touch", new Selection(null, null, null, "t1", "rep-1")))
                .containsExactly(row("web", "CNY", "3", "700"));
        assertThat(credit("first_touch", new Selection(null, null, null, null, "rep-9"))).isEmpty();
    }

    @Test
    void aTouchStoredAfterTheConversionButDatedBeforeItCountsAndARepeatChangesNothing() {
        log.register("c-1", "web", "2025-03-01T00:00:00Z");
        log.contract("c-1", "90", "CNY", "2025-03-10T00:00:00Z");
        ActionLog.Logged late = log.touch("c-1", "wechat", "2025-03-05T00:00:00Z");
        ActionLog.feedInBatches(projection, log.all.subList(0, 2), 1);
        assertThat(credit("last_touch")).containsExactly(row("web", "CNY", "1", "90"));

        ActionLog.feedInBatches(projection, List.of(late), 1);
        ActionLog.feedInBatches(projection, log.all, 2);

        assertThat(credit("last_touch")).containsExactly(row("wechat", "CNY", "1", "90"));
        assertThat(credit("linear")).containsExactly(row("web", "CNY", "0.5", "45"),
                row("wechat", "CNY", "0.5", "45"));
        var credit = org.salesledger.projections.jooq.Tables.ATTRIBUTION_CREDIT;
        assertThat(db.fetchCount(credit, credit.LINEAR_SHARES.le(0).or(credit.FIRST_TOUCH_SHARES.lt(0))))
                .as("no credit row left without shares").isZero();
    }

    @Test
    void wShapedFindsTheTouchBeforeNeedsConfirmedEvenWhenAContractSkipsTheStage() {
        log.register("c-1", "a", "2025-03-01T00:00:00Z");
        log.touch("c-1", "b", "2025-03-02T00:00:00Z");
        log.touch("c-1", "c", "2025-03-03T00:00:00Z");
        log.contract("c-1", "10", "CNY", "2025-03-04T00:00:00Z");
        log.register("c-2", "a", "2025-03-01T00:00:00Z");
        log.touch("c-2", "b", "2025-03-02T00:00:00Z");
        log.touch("c-2", "c", "2025-03-03T00:00:00Z");
        log.lost("c-2", "2025-03-03T12:00:00Z");
        log.needs("c-2", "2025-03-03T13:00:00Z");
        log.contract("c-2", "10", "USD", "2025-03-04T00:00:00Z");
        ActionLog.feed(projection, log.all);

        // c-1 reached NEEDS_CONFIRMED with its contract: the last touch is both the middle and the last position
        // c-2 was lost before it confirmed its needs: it never reached the stage, the first touch is the middle
        assertThat(credit("w_shaped")).containsExactly(row("a", "CNY", "0.3", "3"), row("a", "USD", "0.6", "6"),
                row("b", "CNY", "0.1", "1"), row("b", "USD", "0.1", "1"), row("c", "CNY", "0.6", "6"),
                row("c", "USD", "0.3", "3"));
    }

    @Test
    void aReassignedCustomerCountsForItsCurrentOwnerAndARepeatedOlderReassignmentChangesNothing() {
        log.register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T00:00:00Z");
        log.contract("c-1", "100", "CNY", "2025-03-02T00:00:00Z");
        ActionLog.Logged toRep2 = log.add(reassigned("c-1", "rep-1", "rep-2"), "2025-03-03T00:00:00Z");
        log.add(reassigned("c-1", "rep-2", "rep-3"), "2025-03-04T00:00:00Z");
        log.register("c-2", "east", "t1", "rep-2", "wechat", "2025-03-01T00:00:00Z");
        log.contract("c-2", "50", "CNY", "2025-03-05T00:00:00Z");
        ActionLog.feedInBatches(projection, log.all, 2);
        ActionLog.feedInBatches(projection, List.of(toRep2), 1);

        assertThat(credit("first_touch", new Selection(null, null, null, null, "rep-3")))
                .containsExactly(row("web", "CNY", "1", "100"));
        assertThat(credit("first_touch", new Selection(null, null, null, null, "rep-2")))
                .containsExactly(row("wechat", "CNY", "1", "50"));
        assertThat(credit("first_touch", new Selection(null, null, null, null, "rep-1"))).isEmpty();
        assertThat(credit("first_touch", new Selection(null, null, "east", "t1", null)))
                .containsExactly(row("web", "CNY", "1", "100"), row("wechat", "CNY", "1", "50"));
    }

    /**
     * Issue 17: a caller's scope is one more filter: a region like {@code region}, some owners like {@code rep}
     * (the current owner), intersected with the selection's filters, from the precomputed sums and from the
     * journeys alike, and for the data-driven models from the kept paths and the touches alike.
     */
    @Test
    void aScopeCountsOnlyItsCustomersAndIntersectsTheFilters() {
        log.register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T00:00:00Z");
        log.contract("c-1", "100", "CNY", "2025-03-02T00:00:00Z");
        log.add(reassigned("c-1", "rep-1", "rep-3"), "2025-03-03T00:00:00Z");
        log.register("c-2", "east", "t1", "rep-2", "wechat", "2025-03-01T00:00:00Z");
        log.contract("c-2", "50", "CNY", "2025-03-05T00:00:00Z");
        log.register("c-3", "west", "t2", "rep-2", "ads", "2025-03-01T00:00:00Z");
        log.touch("c-3", "web", "2025-03-02T00:00:00Z");
        log.contract("c-3", "70", "CNY", "2025-03-05T00:00:00Z");
        log.register("c-4", "west", "t2", "rep-3", "web", "2025-03-01T00:00:00Z");
        log.contract("c-4", "30", "CNY", "2025-03-06T00:00:00Z");
        ActionLog.feed(projection, log.all);
        Scope reps12 = Scope.owners(java.util.Set.of("rep-1", "rep-2"));

        assertThat(credit(reps12, "linear", Selection.ALL)).containsExactly(row("ads", "CNY", "0.5", "35"),
                row("web", "CNY", "0.5", "35"), row("wechat", "CNY", "1", "50"));
        assertThat(credit(Scope.region("east"), "first_touch", Selection.ALL))
                .containsExactly(row("web", "CNY", "1", "100"), row("wechat", "CNY", "1", "50"));
        assertThat(credit(Scope.owners(java.util.Set.of("rep-3")), "first_touch", Selection.ALL))
                .containsExactly(row("web", "CNY", "2", "130"));
        assertThat(credit(reps12, "first_touch", new Selection(null, null, "west", null, null)))
                .containsExactly(row("ads", "CNY", "1", "70"));
        assertThat(credit(Scope.region("east"), "first_touch", new Selection(null, null, null, null, "rep-3")))
                .containsExactly(row("web", "CNY", "1", "100"));
        assertThat(credit(reps12, "first_touch", new Selection(null, null, null, null, "rep-3"))).isEmpty();
        assertThat(credit(Scope.NOTHING, "first_touch", Selection.ALL)).isEmpty();
        assertThat(credit(Scope.ALL, "first_touch", Selection.ALL))
                .containsExactly(row("ads", "CNY", "1", "70"), row("web", "CNY", "2", "130"),
                        row("wechat", "CNY", "1", "50"));

        // 90 days: the kept paths; 91: the touches aggregated when asked
        for (int lookback : List.of(90, 91)) {
            assertThat(rows(queries.dataDriven(reps12, DataDrivenModel.SHAPLEY_SIMPLIFIED, 1, lookback,
                    Selection.ALL).channels())).as("%d", lookback).containsExactly(row("ads", "CNY", "0.5", "35"),
                    row("web", "CNY", "0.5", "35"), row("wechat", "CNY", "1", "50"));
            assertThat(rows(queries.dataDriven(Scope.region("west"), DataDrivenModel.SHAPLEY_SIMPLIFIED, 1,
                    lookback, new Selection(null, null, null, null, "rep-3")).channels())).as("%d", lookback)
                    .containsExactly(row("web", "CNY", "1", "30"));
            assertThat(queries.dataDriven(Scope.NOTHING, DataDrivenModel.MARKOV, 1, lookback, Selection.ALL)
                    .channels()).isEmpty();
        }
        List<String> journeys = new ArrayList<>();
        queries.journeys(Scope.owners(java.util.Set.of("rep-3")), 90, Selection.ALL,
                j -> journeys.add(j.customerId()));
        assertThat(journeys).containsExactly("c-1", "c-4");
    }

    /**
     * Issue 17: a customer released to the public pool is nobody's until claimed: its credit leaves its former
     * owner's figures (a rep filter and a scope of owners alike) and counts for whoever claims it; region and team
     * figures keep it throughout.
     */
    @Test
    void aCustomerReleasedToThePoolCountsForNoRepUntilItIsClaimed() {
        log.register("c-1", "east", "t1", "rep-1", "web", "2025-03-01T00:00:00Z");
        log.contract("c-1", "100", "CNY", "2025-03-02T00:00:00Z");
        log.register("c-2", "east", "t1", "rep-1", "wechat", "2025-03-01T00:00:00Z");
        log.contract("c-2", "50", "CNY", "2025-03-05T00:00:00Z");
        log.add(new org.salesledger.kernel.pool.CustomerReleasedToPool(
                org.salesledger.kernel.value.CustomerId.of("c-1"), org.salesledger.kernel.value.RepId.of("rep-1"),
                java.time.Instant.parse("2025-03-02T00:00:00Z"), "P30D", "pool", 1, Map.of()),
                "2025-04-01T00:00:00Z");
        ActionLog.feedInBatches(projection, log.all, 2);
        Scope rep1 = Scope.owners(java.util.Set.of("rep-1"));

        assertThat(credit("first_touch", new Selection(null, null, null, null, "rep-1")))
                .containsExactly(row("wechat", "CNY", "1", "50"));
        assertThat(credit(rep1, "linear", Selection.ALL)).containsExactly(row("wechat", "CNY", "1", "50"));
        assertThat(credit("first_touch", new Selection(null, null, "east", "t1", null)))
                .containsExactly(row("web", "CNY", "1", "100"), row("wechat", "CNY", "1", "50"));

        ActionLog.feed(projection, List.of(log.add(new org.salesledger.kernel.pool.CustomerReassigned(
                org.salesledger.kernel.value.CustomerId.of("c-1"), null, org.salesledger.kernel.value.RepId.of("rep-4"),
                "POOL_CLAIM", null, Map.of()), "2025-04-02T00:00:00Z")));

        assertThat(credit(Scope.owners(java.util.Set.of("rep-4")), "first_touch", Selection.ALL))
                .containsExactly(row("web", "CNY", "1", "100"));
        assertThat(credit(rep1, "linear", Selection.ALL)).containsExactly(row("wechat", "CNY", "1", "50"));
    }

    private static org.salesledger.kernel.pool.CustomerReassigned reassigned(String customer, String from, String to) {
        return new org.salesledger.kernel.pool.CustomerReassigned(org.salesledger.kernel.value.CustomerId.of(customer),
                org.salesledger.kernel.value.RepId.of(from), org.salesledger.kernel.value.RepId.of(to), "SUPERVISOR",
                null, Map.of());
    }

    @Test
    void theJourneysForTheDataDrivenModelsEndAtTheFirstConversion() {
        log.register("c-1", "web", "2025-01-01T00:00:00Z");
        log.touch("c-1", "wechat", "2025-03-01T00:00:00Z");
        log.contract("c-1", "100", "CNY", "2025-03-02T00:00:00Z");
        log.touch("c-1", "email", "2025-03-03T00:00:00Z");
        log.contract("c-1", "5", "USD", "2025-03-04T00:00:00Z");
        log.register("c-2", "exhibition", "2025-02-01T00:00:00Z");
        log.touch("c-2", "web", "2025-02-03T00:00:00Z");
        log.register("c-3", "web", "2024-01-01T00:00:00Z");
        log.contract("c-3", "1", "CNY", "2024-01-02T00:00:00Z");
        ActionLog.feed(projection, log.all);

        List<Journey> journeys = new ArrayList<>();
        queries.journeys(Scope.ALL, 30, between("2025-01-01T00:00:00Z", null), journeys::add);

        assertThat(journeys).containsExactly(
                new Journey("c-1", List.of("wechat"), true, 2, Map.of("CNY", new Revenue(1, new BigDecimal("100")),
                        "USD", new Revenue(1, new BigDecimal("5")))),
                new Journey("c-2", List.of("exhibition", "web"), false, 0, Map.of()));
        journeys.clear();
        queries.journeys(Scope.ALL, 90, Selection.ALL, journeys::add);
        assertThat(journeys).extracting(Journey::customerId).containsExactly("c-1", "c-2", "c-3");
        assertThat(journeys.get(0).path()).containsExactly("web", "wechat");
    }

    // ---- helpers ----

    private List<String> credit(String model) {
        return credit(model, Selection.ALL);
    }

    private List<String> credit(String model, int lookbackDays) {
        return both(model, new Window(lookbackDays, Window.DEFAULT_HALF_LIFE_DAYS), Selection.ALL);
    }

    private List<String> credit(String model, Selection selection) {
        return both(model, Window.DEFAULT, selection);
    }

    private List<String> credit(Scope scope, String model, Selection selection) {
        return both(scope, model, Window.DEFAULT, selection);
    }

    private List<String> both(String code, Window window, Selection selection) {
        return both(Scope.ALL, code, window, selection);
    }

    /** The answer, after checking that the precomputed sums and the journeys give exactly the same one. */
    private List<String> both(Scope scope, String code, Window window, Selection selection) {
        AttributionModel model = AttributionModel.byCode(code).orElseThrow();
        List<String> precomputed = rows(queries.attribution(scope, model, window, selection, true).channels());
        List<String> computed = rows(queries.attribution(scope, model, window, selection, false).channels());
        assertThat(precomputed).as("precomputed equals computed for %s %s %s %s", scope, code, window, selection)
                .isEqualTo(computed);
        return computed;
    }

    private static List<String> rows(List<ChannelCredit> channels) {
        return channels.stream().map(c -> row(c.channel(), c.currency(), plain(c.conversions()),
                plain(c.revenue()))).toList();
    }

    private static String row(String channel, String currency, String conversions, String revenue) {
        return channel + "|" + currency + "|" + plain(new BigDecimal(conversions)) + "|" + plain(new BigDecimal(revenue));
    }

    private static String plain(BigDecimal value) {
        return Window.normalised(value).toPlainString();
    }

    private static Map<String, Double> approximate(List<String> rows) {
        Map<String, Double> values = new LinkedHashMap<>();
        rows.forEach(r -> {
            String[] parts = r.split("\\|");
            values.put(parts[0] + "|" + parts[1], Double.parseDouble(parts[2]));
        });
        return values;
    }

    private static Selection between(String from, String to) {
        return new Selection(from == null ? null : Instant.parse(from), to == null ? null : Instant.parse(to), null,
                null, null);
    }
}
