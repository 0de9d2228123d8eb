package org.salesledger.projections.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.jooq.CloseableDSLContext;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;
import org.salesledger.projections.attribution.AttributionReadModel.AcquisitionCost;
import org.salesledger.projections.attribution.AttributionReadModel.ChannelPeriod;
import org.salesledger.projections.attribution.AttributionReadModel.CurrencyFigures;
import org.salesledger.projections.attribution.AttributionReadModel.Period;
import org.salesledger.projections.attribution.AttributionReadModel.Selection;
import org.salesledger.projections.jooq.Tables;
import org.salesledger.projections.testing.Migrated;
import org.salesledger.projections.testing.ReadModelDatabase;
import org.salesledger.testing.AcquisitionCostOracle;
import org.salesledger.testing.AttributionOracle;
import org.salesledger.testing.AttributionOracle.Action;
import org.salesledger.testing.RandomJourneys;
import org.salesledger.testing.TestPostgres;

/**
 * The read model against an independent computation (the test fixtures' {@link AttributionOracle}) over random
 * journeys, for every model, window and selection; a rebuild against the live model, row for row; and a changed
 * definition of a touch, which changes the answers only once the read model is rebuilt.
 */
class AttributionOracleIT {

    private static final Map<String, String> CONTRACT_TOUCHES = new LinkedHashMap<>();
    @Migrated
    private static CloseableDSLContext db;
    private static List<Action> actions;
    private AttributionQueries queries;

    static {
        CONTRACT_TOUCHES.put("CustomerRegistered", null);
        CONTRACT_TOUCHES.put("TouchpointRecorded", null);
    }

    @BeforeAll
    static void database() {
        actions = RandomJourneys.generate(20251122L, 300, "");
    }

    @BeforeEach
    void setUp() {
        queries = new AttributionQueries(db, settings(AttributionDefinition.defaults()));
    }

    @Test
    void everyModelEqualsAnIndependentComputationForEveryWindowAndSelection() {
        AttributionProjection projection = projection(AttributionDefinition.defaults());
        projection.reset();
        feedInRandomBatches(projection, log(actions), new Random(7));

        List<Window> windows = List.of(Window.DEFAULT, new Window(30, new BigDecimal("3.5")), new Window(365,
                new BigDecimal("0.5")));
        List<Selection> selections = List.of(Selection.ALL,
                new Selection(day("2025-02-01"), day("2025-05-01"), null, null, null),
                new Selection(Instant.parse("2025-02-10T13:00:00Z"), Instant.parse("2025-06-01T00:00:00Z"), null,
                        null, null),
                new Selection(day("2025-03-15"), null, "east", null, null),
                new Selection(null, day("2025-04-20"), null, "t2", null),
                new Selection(null, null, "west", null, "rep-1"));
        int compared = 0;
        for (AttributionModel model : AttributionModel.values()) {
            for (Window window : windows) {
                for (Selection selection : selections) {
                    AttributionReadModel.Attribution answer = queries.attribution(Scope.ALL, model, window, selection);
                    Map<String, AttributionOracle.Credit> expected = AttributionOracle.attribution(actions,
                            CONTRACT_TOUCHES, question(model, window, selection));
                    assertThat(AttributionOracle.differences(expected, byKey(answer)))
                            .as("%s %s %s", model, window, selection).isEmpty();
                    assertThat(expected).isNotEmpty();
                    compared += expected.size();
                }
            }
        }
        assertThat(compared).isGreaterThan(500);
    }

    /**
     * The acquisition-cost report over random journeys (costs tied to a channel, to a touch, to another action or to
     * nothing; several currencies; contracts signed in any order) against the test fixtures'
     * {@link AcquisitionCostOracle}, for every rule-based model, every period and selections on whole days (read from
     * the sums) and within days (read from the rows).
     */
    @Test
    void theAcquisitionCostReportEqualsAnIndependentComputationForEveryModelPeriodAndSelection() {
        AttributionProjection projection = projection(AttributionDefinition.defaults());
        projection.reset();
        feedInRandomBatches(projection, log(actions), new Random(14));

        List<Selection> selections = List.of(Selection.ALL,
                new Selection(day("2025-02-01"), day("2025-05-01"), null, null, null),
                new Selection(Instant.parse("2025-02-10T13:00:00Z"), Instant.parse("2025-06-01T07:30:00Z"), null,
                        null, null),
                new Selection(null, day("2025-04-20"), null, null, null));
        int lines = 0;
        for (AttributionModel model : AttributionModel.values()) {
            for (Period period : Period.values()) {
                for (Selection selection : selections) {
                    String what = model + " " + period + " " + selection;
                    Map<String, AcquisitionCostOracle.Line> expected = AcquisitionCostOracle.report(actions,
                            CONTRACT_TOUCHES, model.code(), Window.DEFAULT.lookbackDays(),
                            Window.DEFAULT.halfLifeDays().doubleValue(), period.name().toLowerCase(), selection.from(),
                            selection.to());
                    AcquisitionCost answer = queries.acquisitionCost(Scope.ALL, model, Window.DEFAULT, period,
                            selection, null);
                    Map<String, ChannelPeriod> actual = new TreeMap<>();
                    answer.channels().forEach(c -> actual.put(c.channel() + "|" + c.start(), c));
                    assertThat(actual.keySet()).as(what).isEqualTo(expected.keySet());
                    expected.forEach((key, line) -> {
                        ChannelPeriod got = actual.get(key);
                        assertThat(got.customersWon()).as("%s %s won", what, key).isEqualTo(line.won());
                        Map<String, CurrencyFigures> currencies = new TreeMap<>();
                        got.currencies().forEach(f -> currencies.put(f.currency(), f));
                        assertThat(currencies.keySet()).as("%s %s currencies", what, key)
                                .isEqualTo(line.currencies().keySet());
                        line.currencies().forEach((currency, want) -> {
                            CurrencyFigures f = currencies.get(currency);
                            String at = what + " " + key + " " + currency;
                            assertThat(f.cost()).as(at + " cost").isEqualByComparingTo(want.cost());
                            assertThat(f.costByCategory().keySet()).as(at + " categories")
                                    .isEqualTo(want.costByCategory().keySet());
                            want.costByCategory().forEach((category, amount) -> assertThat(
                                    f.costByCategory().get(category)).as(at + " " + category)
                                    .isEqualByComparingTo(amount));
                            assertClose(f.attributedRevenue(), want.revenue(), at + " revenue");
                            assertClose(f.cac(), want.cac(), at + " cac");
                            assertClose(f.roi(), want.roi(), at + " roi");
                        });
                    });
                    lines += expected.size();
                }
            }
        }
        assertThat(lines).isGreaterThan(1_000);
    }

    /** Equal to 1e-9 relative (the oracle works in doubles), or both undefined. */
    private static void assertClose(BigDecimal actual, Double expected, String what) {
        if (expected == null) {
            assertThat(actual).as(what).isNull();
            return;
        }
        assertThat(actual).as(what).isNotNull();
        double scale = Math.max(1.0, Math.abs(expected));
        assertThat(Math.abs(actual.doubleValue() - expected)).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(1e-9 * scale);
    }

    @Test
    void thePrecomputedSumsEqualTheJourneysExactly() {
        AttributionProjection projection = projection(AttributionDefinition.defaults());
        projection.reset();
        feedInRandomBatches(projection, log(actions), new Random(8));

        for (AttributionModel model : AttributionModel.values()) {
            for (Selection selection : List.of(Selection.ALL, new Selection(day("2025-01-20"), day("2025-04-03"),
                    null, "t1", null))) {
                assertThat(exact(queries.attribution(Scope.ALL, model, Window.DEFAULT, selection, true)))
                        .as("%s %s", model, selection)
                        .isEqualTo(exact(queries.attribution(Scope.ALL, model, Window.DEFAULT, selection, false)));
            }
        }
    }

    @Test
    void theDataDrivenModelsPathsSummedByPostgresqlEqualTheStreamedJourneysSummedOneByOne() {
        AttributionProjection projection = projection(AttributionDefinition.defaults());
        projection.reset();
        feedInRandomBatches(projection, log(actions), new Random(10));

        int compared = 0;
        for (int lookbackDays : List.of(0, 30, 90, 365)) {
            for (Selection selection : List.of(Selection.ALL,
                    new Selection(day("2025-02-01"), day("2025-05-01"), null, null, null),
                    new Selection(Instant.parse("2025-02-10T13:00:00Z"), null, "east", null, null),
                    new Selection(null, day("2025-04-20"), null, "t2", null),
                    new Selection(null, null, "west", null, "rep-1"))) {
                PathTotals streamed = new PathTotals();
                queries.journeys(Scope.ALL, lookbackDays, selection, streamed::add);
                List<String> expected = paths(streamed.journeys());
                assertThat(paths(queries.paths(Scope.ALL, lookbackDays, selection))).as("%d %s", lookbackDays,
                        selection)
                        .isEqualTo(expected);
                compared += expected.size();
            }
        }
        assertThat(compared).isGreaterThan(100);
    }

    @Test
    void theDataDrivenModelsPathsKeptByTheProjectionEqualThePathsComputedFromTheTouches() {
        AttributionProjection projection = projection(AttributionDefinition.parse(
                AttributionDefinition.DEFAULT_TOUCH_TYPES, "0/7,30/7,90/7"));
        projection.reset();
        List<ActionLog.Logged> logged = log(actions);
        // small random batches, a third of the actions delivered twice
        feedInRandomBatches(projection, logged, new Random(11));
        feedInRandomBatches(projection, logged.subList(logged.size() / 3, 2 * logged.size() / 3), new Random(12));
        assertThat(db.fetchCount(Tables.ATTRIBUTION_PATH)).isGreaterThan(300);

        Random random = new Random(13);
        List<Selection> selections = new ArrayList<>(List.of(Selection.ALL,
                new Selection(Instant.parse("2025-03-01T10:00:00Z"), null, null, null, null),
                new Selection(day("2025-02-01"), day("2025-05-01"), null, null, null),
                new Selection(Instant.parse("2025-02-10T13:00:00Z"), null, "east", null, null),
                new Selection(null, day("2025-04-20"), null, "t2", null),
                new Selection(null, null, "west", null, "rep-1")));
        Instant first = Instant.parse("2024-12-01T00:00:00Z");
        for (int i = 0; i < 6; i++) {
            // any instant, so that `to` cuts through journeys and conversions
            Instant from = random.nextBoolean() ? null : first.plusSeconds(random.nextInt(200 * 86_400));
            Instant to = random.nextBoolean() && from == null ? null
                    : (from == null ? first : from).plusSeconds(1 + random.nextInt(200 * 86_400));
            selections.add(new Selection(from, to, random.nextBoolean() ? "east" : null, null, null));
        }
        int compared = 0;
        for (int lookbackDays : List.of(0, 30, 90)) {
            for (Selection selection : selections) {
                List<String> computed = paths(queries.computedPaths(Scope.ALL, lookbackDays, selection));
                assertThat(paths(queries.precomputedPaths(Scope.ALL, lookbackDays, selection)))
                        .as("%d %s", lookbackDays, selection).isEqualTo(computed);
                compared += computed.size();
            }
        }
        assertThat(compared).isGreaterThan(500);
    }

    private static List<String> paths(List<org.salesledger.projections.attribution.datadriven.Journey> journeys) {
        List<String> rows = new ArrayList<>();
        for (var journey : journeys) {
            StringBuilder row = new StringBuilder(String.join(">", journey.channels())).append('|')
                    .append(journey.conversions()).append('|').append(journey.nonConversions());
            journey.revenueByCurrency().forEach((currency, revenue) -> row.append('|').append(currency).append(':')
                    .append(revenue.conversions()).append(':').append(revenue.amount().stripTrailingZeros()
                            .toPlainString()));
            rows.add(row.toString());
        }
        Collections.sort(rows);
        return rows;
    }

    @Test
    void aRebuildFromTheFirstEventEqualsTheLiveReadModelRowForRow() {
        AttributionProjection projection = projection(AttributionDefinition.defaults());
        projection.reset();
        List<ActionLog.Logged> logged = log(actions);
        // live: small batches, some delivered twice
        feedInRandomBatches(projection, logged, new Random(9));
        ActionLog.feedInBatches(projection, logged.subList(0, logged.size() / 3), 17);
        List<String> live = snapshot();

        projection.reset();
        ActionLog.feedInBatches(projection, logged, 1_000);

        assertThat(snapshot()).hasSizeGreaterThan(1_000).isEqualTo(live);
    }

    /**
     * Migration V15 gives the paths kept before it (V14: the path itself in each row) the keys and touch times the
     * projection writes now, and computes a path's hash as the projection does: a replay after the upgrade finds
     * every path in the dictionary instead of adding it a second time.
     */
    @Test
    void upgradingKeptPathsToKeysKeepsEveryPathAndAReplayFindsThemAgain() {
        AttributionProjection projection = projection(AttributionDefinition.defaults());
        projection.reset();
        List<ActionLog.Logged> logged = log(actions);
        feedInRandomBatches(projection, logged, new Random(14));
        List<String> expected = keptPaths(db);
        TestPostgres.TestDatabase older = ReadModelDatabase.migratedTo("14");
        try (CloseableDSLContext before = DSL.using(older.jdbcUrl(), older.user(), older.password())) {
            before.batchInsert(changed(db.selectFrom(Tables.ATTRIBUTION_CUSTOMER).fetch())).execute();
            before.batchInsert(changed(db.selectFrom(Tables.ATTRIBUTION_TOUCH).fetch())).execute();
            db.select(Tables.ATTRIBUTION_PATH.CUSTOMER_ID, Tables.ATTRIBUTION_PATH.LOOKBACK_DAYS,
                            Tables.ATTRIBUTION_PATH_KEY.PATH, Tables.ATTRIBUTION_PATH.LAST_TOUCH_AT)
                    .from(Tables.ATTRIBUTION_PATH).join(Tables.ATTRIBUTION_PATH_KEY)
                    .on(Tables.ATTRIBUTION_PATH_KEY.PATH_ID.eq(Tables.ATTRIBUTION_PATH.PATH_ID))
                    .forEach(r -> before.execute("insert into attribution_path (customer_id, lookback_days, path,"
                            + " last_touch_at) values (?, ?, ?, cast(? as timestamptz))", r.value1(), r.value2(), r.value3(),
                            r.value4()));
        }

        try (CloseableDSLContext upgraded = ReadModelDatabase.migrate(older, null)) {
            assertThat(keptPaths(upgraded)).hasSizeGreaterThan(300).isEqualTo(expected);
            int keys = upgraded.fetchCount(Tables.ATTRIBUTION_PATH_KEY);

            // the rest of the read model as the replay needs it
            upgraded.batchInsert(changed(db.selectFrom(Tables.ATTRIBUTION_CONVERSION).fetch())).execute();
            upgraded.batchInsert(changed(db.selectFrom(Tables.ATTRIBUTION_DEFINITION).fetch())).execute();
            feedInRandomBatches(new AttributionProjection(upgraded, new AttributionTables().attributionTables(),
                    settings(AttributionDefinition.defaults())), logged, new Random(15));

            assertThat(keptPaths(upgraded)).isEqualTo(expected);
            assertThat(upgraded.fetchCount(Tables.ATTRIBUTION_PATH_KEY)).as("no path added twice").isEqualTo(keys);
        }
    }

    /** Records read from one database, to be inserted into another as they are. */
    private static <R extends org.jooq.TableRecord<R>> org.jooq.Result<R> changed(org.jooq.Result<R> records) {
        records.forEach(r -> r.changed(true));
        return records;
    }

    /** Each kept path with its path, last touch, touch times and first conversion, as text, sorted. */
    private static List<String> keptPaths(org.jooq.DSLContext read) {
        return read.select(Tables.ATTRIBUTION_PATH.CUSTOMER_ID, Tables.ATTRIBUTION_PATH.LOOKBACK_DAYS,
                        Tables.ATTRIBUTION_PATH_KEY.PATH, Tables.ATTRIBUTION_PATH.LAST_TOUCH_AT,
                        Tables.ATTRIBUTION_PATH.TOUCH_TIMES, Tables.ATTRIBUTION_PATH.FIRST_CONVERSION_AT)
                .from(Tables.ATTRIBUTION_PATH).join(Tables.ATTRIBUTION_PATH_KEY)
                .on(Tables.ATTRIBUTION_PATH_KEY.PATH_ID.eq(Tables.ATTRIBUTION_PATH.PATH_ID))
                .fetch(r -> r.value1() + "|" + r.value2() + "|" + java.util.Arrays.toString(r.value3()) + "|"
                        + (r.value4() == null ? null : r.value4().toInstant()) + "|"
                        + (r.value5() == null ? null : java.util.Arrays.stream(r.value5())
                        .map(java.time.OffsetDateTime::toInstant).toList()) + "|"
                        + (r.value6() == null ? null : r.value6().toInstant()))
                .stream().sorted().toList();
    }

    @Test
    void aChangedDefinitionOfATouchChangesTheAnswersOnceTheReadModelIsRebuilt() {
        AttributionProjection before = projection(AttributionDefinition.defaults());
        before.reset();
        List<ActionLog.Logged> logged = log(actions);
        ActionLog.feedInBatches(before, logged.subList(0, logged.size() / 2), 50);
        AttributionDefinition visits = AttributionDefinition.parse(
                "CustomerRegistered,TouchpointRecorded,VisitLogged=field_visit", "90/7,30/3.5");
        AttributionProjection after = projection(visits);
        AttributionQueries read = new AttributionQueries(db, settings(visits));

        // the setting alone changes nothing: the tables keep the definition they were built with
        ActionLog.feedInBatches(after, logged.subList(logged.size() / 2, logged.size()), 50);
        AttributionReadModel.Attribution unchanged = read.attribution(Scope.ALL, AttributionModel.LINEAR,
                Window.DEFAULT,
                Selection.ALL);
        assertThat(read.definitions().stale()).isTrue();
        assertThat(unchanged.notes()).singleElement().asString().contains("rebuild attribution");
        assertThat(AttributionOracle.differences(AttributionOracle.attribution(actions, CONTRACT_TOUCHES,
                question(AttributionModel.LINEAR, Window.DEFAULT, Selection.ALL)), byKey(unchanged))).isEmpty();

        after.reset();
        ActionLog.feedInBatches(after, logged, 200);

        Map<String, String> withVisits = new LinkedHashMap<>(CONTRACT_TOUCHES);
        withVisits.put("VisitLogged", "field_visit");
        Window precomputed = new Window(30, new BigDecimal("3.5"));
        for (AttributionModel model : AttributionModel.values()) {
            AttributionReadModel.Attribution rebuilt = read.attribution(Scope.ALL, model, precomputed, Selection.ALL);
            assertThat(AttributionOracle.differences(AttributionOracle.attribution(actions, withVisits,
                    question(model, precomputed, Selection.ALL)), byKey(rebuilt))).as(model.code()).isEmpty();
            assertThat(rebuilt.channels()).extracting(AttributionReadModel.ChannelCredit::channel)
                    .contains("field_visit");
            assertThat(exact(rebuilt)).isEqualTo(exact(read.attribution(Scope.ALL, model, precomputed, Selection.ALL,
                    false)));
        }
        assertThat(read.definitions().stale()).isFalse();
        assertThat(read.attribution(Scope.ALL, AttributionModel.LINEAR, Window.DEFAULT,
                Selection.ALL).notes()).isNull();
    }

    // ---- helpers ----

    private AttributionProjection projection(AttributionDefinition definition) {
        return new AttributionProjection(db, new AttributionTables().attributionTables(), settings(definition));
    }

    private static AttributionSettings settings(AttributionDefinition definition) {
        return new AttributionSettings(definition);
    }

    /** Feeds the actions in batches of random size, from 1 to 300. */
    private static void feedInRandomBatches(AttributionProjection projection, List<ActionLog.Logged> logged,
                                            Random random) {
        int from = 0;
        while (from < logged.size()) {
            int to = Math.min(logged.size(), from + 1 + random.nextInt(300));
            ActionLog.feedInBatches(projection, logged.subList(from, to), to - from);
            from = to;
        }
    }

    private static AttributionOracle.Question question(AttributionModel model, Window window, Selection s) {
        return new AttributionOracle.Question(model.code(), window.lookbackDays(), window.halfLifeDays().doubleValue(),
                s.from(), s.to(), s.region(), s.team(), s.rep());
    }

    private static Map<String, BigDecimal[]> byKey(AttributionReadModel.Attribution answer) {
        Map<String, BigDecimal[]> byKey = new TreeMap<>();
        answer.channels().forEach(c -> byKey.put(c.channel() + "|" + c.currency(),
                new BigDecimal[] {c.conversions(), c.revenue()}));
        return byKey;
    }

    private static List<String> exact(AttributionReadModel.Attribution answer) {
        return answer.channels().stream().map(c -> c.channel() + "|" + c.currency() + "|"
                + Window.normalised(c.conversions()).toPlainString() + "|"
                + Window.normalised(c.revenue()).toPlainString()).toList();
    }

    private static Instant day(String date) {
        return Instant.parse(date + "T00:00:00Z");
    }

    /**
     * The kept paths with each path in place of its key: a key only names its path, and which key a path gets
     * depends on the order the paths were first seen.
     */
    private static final Table<?> KEPT_PATHS = DSL.select(Tables.ATTRIBUTION_PATH.CUSTOMER_ID,
                    Tables.ATTRIBUTION_PATH.LOOKBACK_DAYS, Tables.ATTRIBUTION_PATH_KEY.PATH,
                    Tables.ATTRIBUTION_PATH.LAST_TOUCH_AT, Tables.ATTRIBUTION_PATH.TOUCH_TIMES,
                    Tables.ATTRIBUTION_PATH.FIRST_CONVERSION_AT)
            .from(Tables.ATTRIBUTION_PATH).join(Tables.ATTRIBUTION_PATH_KEY)
            .on(Tables.ATTRIBUTION_PATH_KEY.PATH_ID.eq(Tables.ATTRIBUTION_PATH.PATH_ID))
            .asTable("attribution_path");

    /** Every row of every attribution table as text (decimals without trailing zeros), sorted. */
    private static List<String> snapshot() {
        List<String> rows = new ArrayList<>();
        for (Table<?> table : List.of(Tables.ATTRIBUTION_DEFINITION, Tables.ATTRIBUTION_CUSTOMER,
                Tables.ATTRIBUTION_TOUCH, Tables.ATTRIBUTION_CONVERSION, Tables.ATTRIBUTION_ACTION,
                Tables.ATTRIBUTION_COST, Tables.ATTRIBUTION_CREDIT, Tables.ATTRIBUTION_COST_SUM,
                Tables.ATTRIBUTION_WON, KEPT_PATHS)) {
            db.selectFrom(table).forEach(r -> {
                StringBuilder row = new StringBuilder(table.getName());
                for (Object value : r.intoArray()) {
                    row.append('|').append(value instanceof BigDecimal d ? Window.normalised(d).toPlainString()
                            : value instanceof Object[] array ? java.util.Arrays.toString(array)
                            : String.valueOf(value));
                }
                rows.add(row.toString());
            });
        }
        Collections.sort(rows);
        return rows;
    }

    /** The generated actions as the event store would hand them to the projection. */
    static List<ActionLog.Logged> log(List<Action> actions) {
        ActionLog log = new ActionLog();
        actions.forEach(a -> log.add(event(a), a.time(), a.id()));
        return log.all;
    }

    static CustomerAction event(Action a) {
        CustomerId id = CustomerId.of(a.customer());
        return switch (a.type()) {
            case "CustomerRegistered" -> new CustomerRegistered(id, "n", a.region(), RepId.of(a.rep()), a.channel(),
                    a.team(), null, null, null, null, Map.of());
            case "TouchpointRecorded" -> new TouchpointRecorded(id, a.channel(), null, null, Map.of());
            case "VisitLogged" -> new VisitLogged(id, "buyer", null, null, null, null, null, Map.of());
            case "NeedsConfirmed" -> new NeedsConfirmed(id, null, Map.of());
            case "ProposalSent" -> new ProposalSent(id, null, null, null, null, Map.of());
            case "TrialRequested" -> new TrialRequested(id, null, Map.of());
            case "ContractSigned" -> new ContractSigned(id, "K-" + a.id(), new Money(a.amount(), a.currency()), null,
                    null, Map.of());
            case "DealLost" -> new DealLost(id, "price", Map.of());
            case "CostIncurred" -> new CostIncurred(id, a.category(), new Money(a.amount(), a.currency()), a.channel(),
                    a.refActionId(), Map.of());
            default -> throw new IllegalArgumentException(a.type());
        };
    }
}
