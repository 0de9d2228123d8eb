package org.salesledger.projections.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.jooq.CloseableDSLContext;
import org.jooq.Cursor;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;
import org.salesledger.kernel.visit.VisitLogged;
import org.salesledger.projections.attribution.AttributionReadModel.Period;
import org.salesledger.projections.attribution.AttributionReadModel.Selection;
import org.salesledger.projections.attribution.datadriven.DataDrivenModel;
import org.salesledger.testing.TestPostgres;

/**
 * The scale measurement of docs/benchmarks.md, not part of the test suite (its name matches neither *Test nor
 * *IT). Run it by name:
 *
 * <pre>
 * ./mvnw -B -pl infra/test-fixtures,projections verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=AttributionScaleBenchmark \
 *     -Dit.timeout.seconds=0 -Dbench.customers=1000000 -Dbench.projectionEvents=200000
 * </pre>
 *
 * {@code -Dbench.queries=dataDriven} times only the data-driven models ({@code -Dbench.dataDrivenRuns}, default 3),
 * each beside the V14 query that grouped the kept paths by the array (ADR 0017), and acquisition cost under them;
 * {@code -Dbench.skipComputed=true} leaves out the slow paths computed from the touches (before ADR 0014).
 * With {@code -Dbench.dbUrl=jdbc:postgresql://…} the journeys go to that database, and {@code -Dbench.reuse=true}
 * measures again on what an earlier run loaded there.
 *
 * <ol>
 *   <li>loads {@code bench.customers} synthetic journeys (about ten actions each) by SQL straight into the
 *       attribution tables, builds their precomputed credit with the read model's own code, and times every
 *       query shape (p50, p99, max over repeated runs);</li>
 *   <li>feeds {@code bench.projectionEvents} generated actions through the projection, in batches of 500 as the
 *       processor does, into an empty database, and reports the events applied per second.</li>
 * </ol>
 */
class AttributionScaleBenchmark {

    private static final String[] CHANNELS = {"web", "wechat", "exhibition", "referral", "ads", "phone", "email",
            "partner"};
    private static final String SUMS = "sum(first_touch_conversions), sum(first_touch_revenue), sum(first_touch_shares), sum(last_touch_conversions), sum(last_touch_revenue), sum(last_touch_shares), sum(linear_conversions), sum(linear_revenue), sum(linear_shares), sum(time_decay_conversions), sum(time_decay_revenue), sum(time_decay_shares), sum(u_shaped_conversions), sum(u_shaped_revenue), sum(u_shaped_shares), sum(w_shaped_conversions), sum(w_shaped_revenue), sum(w_shaped_shares)";
    private static final String[] REGIONS = {"east", "west", "north", "south", "central", "northeast"};

    @Test
    void measure() throws Exception {
        String customersSetting = System.getProperty("bench.customers");
        assumeTrue(customersSetting != null, "a measurement, run by name with -Dbench.customers=…");
        int customers = Integer.parseInt(customersSetting);
        int projectionEvents = Integer.parseInt(System.getProperty("bench.projectionEvents", "0"));
        int runs = Integer.parseInt(System.getProperty("bench.runs", "200"));
        log("machine: %d cores, JVM max heap %d MB, %s", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        try (CloseableDSLContext db = migrated()) {
            log("PostgreSQL %s, shared_buffers %s, work_mem %s", db.fetchValue("show server_version"),
                    db.fetchValue("show shared_buffers"), db.fetchValue("show work_mem"));
            if (Boolean.getBoolean("bench.reuse") && db.fetchCount(DSL.table("attribution_customer")) > 0) {
                log("reusing the data set already loaded: %d customers", db.fetchCount(
                        DSL.table("attribution_customer")));
            } else {
                load(db, customers);
            }
            queries(db, runs);
        }
        if (projectionEvents > 0) {
            try (CloseableDSLContext db = migrated(null)) {
                projection(db, projectionEvents);
            }
        }
    }

    // ---- the data set ----

    private static void load(CloseableDSLContext db, int customers) throws Exception {
        long started = System.nanoTime();
        db.execute("select setseed(0.42)");
        db.execute("create unlogged table bench_customer as select i, 'c' || i as customer_id, i % 200 as rep,"
                + " timestamptz '2024-01-01 00:00:00+00' + random() * 730 * interval '1 day' as registered_at,"
                + " floor(random() * 8)::int as channel, floor(random() * 7)::int as touchpoints,"
                + " random() as r_convert, random() as r_nc from generate_series(0, " + (customers - 1) + ") i");
        String channels = "(array['" + String.join("','", CHANNELS) + "'])";
        String regions = "(array['" + String.join("','", REGIONS) + "'])";
        db.execute("insert into attribution_touch select customer_id, 0, registered_at, " + channels
                + "[channel + 1], 'CustomerRegistered', 'a-' || i || '-0' from bench_customer");
        db.execute("insert into attribution_touch select c.customer_id, k, c.registered_at + random() * 150"
                + " * interval '1 day', " + channels + "[floor(random() * 8)::int + 1], 'TouchpointRecorded',"
                + " 'a-' || c.i || '-' || k from bench_customer c, generate_series(1, 6) k where k <= c.touchpoints");
        db.execute("insert into attribution_conversion select c.customer_id, 100 + k, c.registered_at"
                + " + (5 + random() * 150) * interval '1 day', round((1000 + random() * 99000)::numeric, 2),"
                + " case when random() < 0.1 then 'USD' else 'CNY' end, 'K-' || c.i || '-' || k,"
                + " 'a-' || c.i || '-' || (100 + k) from bench_customer c, generate_series(1, 2) k"
                + " where c.r_convert < case when k = 1 then 0.3 else 0.08 end");
        db.execute("insert into attribution_customer select c.customer_id, " + regions + "[c.rep % 20 % 6 + 1],"
                + " case when c.rep % 10 = 9 then null else 't' || (c.rep % 20) end, 'rep-' || c.rep, " + channels
                + "[c.channel + 1], c.registered_at, case when f.first is null then 'FIRST_CONTACT'"
                + " else 'CONTRACT_SIGNED' end, case when c.r_nc < 0.6 then c.registered_at + (coalesce(f.first,"
                + " c.registered_at + interval '60 days') - c.registered_at) * random() end, f.first"
                + " from bench_customer c left join (select customer_id, min(occurred_at) as first"
                + " from attribution_conversion group by customer_id) f on f.customer_id = c.customer_id");
        // every action's id, ten per customer as in a 10-actions-per-journey history
        db.execute("insert into attribution_action select action_id, customer_id, channel from attribution_touch");
        db.execute("insert into attribution_action select action_id, customer_id, null from attribution_conversion");
        db.execute("insert into attribution_action select 'a-' || c.i || '-o' || k, c.customer_id, null"
                + " from bench_customer c, generate_series(1, 9) k where k <= 9 - c.touchpoints");
        db.execute("insert into attribution_cost select c.customer_id, 300 + k, timestamptz '2024-01-01 00:00:00+00'"
                + " + random() * 730 * interval '1 day', (array['field_labour','samples','events_exhibitions','ads',"
                + "'gifts','travel','hospitality','promotional_materials','trials_demos','commissions',"
                + "'community_operations','training'])[floor(random() * 12)::int + 1],"
                + " round((10 + random() * 5000)::numeric, 2), case when random() < 0.1 then 'USD' else 'CNY' end,"
                + " case when r < 0.4 then " + channels + "[floor(random() * 8)::int + 1] end,"
                + " case when r >= 0.95 then 'missing-' || c.i when r >= 0.8 then 'a-' || c.i || '-o1'"
                + " when r >= 0.4 then 'a-' || c.i || '-0' end, 'cost-' || c.i || '-' || k"
                + " from (select *, random() as r from bench_customer where i % 5 = 0) c, generate_series(1, 1) k");
        db.execute("update attribution_cost c set resolved_channel = coalesce(c.channel, case when c.ref_action_id"
                + " is null then own.channel else (select coalesce(a.touch_channel, rc.channel) from attribution_action a"
                + " join attribution_customer rc on rc.customer_id = a.customer_id where a.action_id = c.ref_action_id)"
                + " end) from attribution_customer own where own.customer_id = c.customer_id");
        for (String[] grain : new String[][] {{"D", "day"}, {"M", "month"}}) {
            db.execute("insert into attribution_cost_sum select '" + grain[0] + "', cast(date_trunc('" + grain[1]
                    + "', occurred_at at time zone 'UTC') as date) as b, resolved_channel, currency, category,"
                    + " sum(amount), count(*) from attribution_cost where resolved_channel is not null"
                    + " group by b, resolved_channel, currency, category");
            db.execute("insert into attribution_won select '" + grain[0] + "', cast(date_trunc('" + grain[1]
                    + "', first_conversion_at at time zone 'UTC') as date) as b, channel, count(*)"
                    + " from attribution_customer where first_conversion_at is not null group by b, channel");
        }
        AttributionDefinition definition = AttributionDefinition.defaults();
        db.execute("insert into attribution_definition values (1, '" + definition.touchTypesText() + "', '"
                + definition.windowsText() + "')");
        log("loaded %d customers, %d touches, %d conversions, %d action ids, %d costs in %d s", customers,
                db.fetchCount(DSL.table("attribution_touch")), db.fetchCount(DSL.table("attribution_conversion")),
                db.fetchCount(DSL.table("attribution_action")), db.fetchCount(DSL.table("attribution_cost")),
                (System.nanoTime() - started) / 1_000_000_000);
        credits(db, definition);
        paths(db, definition);
        db.execute("drop table bench_customer");
        db.execute("vacuum analyze");
        log("data set ready after %d s; attribution_credit has %d rows (%d monthly, %d daily over owners), tables take %s",
                (System.nanoTime() - started) / 1_000_000_000, db.fetchCount(DSL.table("attribution_credit")),
                db.fetchCount(DSL.table("attribution_credit"), DSL.field("grain").eq("M")),
                db.fetchCount(DSL.table("attribution_credit"), DSL.field("grain").eq("D")),
                db.fetchValue("select pg_size_pretty(sum(pg_total_relation_size(c.oid))) from pg_class c"
                        + " where c.relname like 'attribution_%' and c.relkind = 'r'"));
    }

    /**
     * Each customer's paths as the projection keeps them ({@code attribution_path} and its keys in
     * {@code attribution_path_key}), here by SQL in the shape of {@code AttributionQueries.computedPaths}
     * (AttributionOracleIT holds the projection's paths to that query).
     */
    private static void paths(CloseableDSLContext db, AttributionDefinition definition) {
        long started = System.nanoTime();
        db.execute("create unlogged table bench_path (customer_id varchar(255), lookback_days integer,"
                + " path varchar(255)[], last_touch_at timestamptz)");
        db.execute("insert into bench_path select customer_id, " + AttributionProjection.ALL_TOUCHES
                + ", array_agg(channel order by occurred_at, seq), max(occurred_at) from attribution_touch"
                + " group by customer_id");
        definition.windows().stream().map(Window::lookbackDays).distinct().forEach(days -> db.execute(
                "insert into bench_path select c.customer_id, " + days + ", coalesce(array_agg(t.channel"
                + " order by t.occurred_at, t.seq) filter (where t.channel is not null), array[]::varchar[]), null"
                + " from attribution_customer c left join attribution_touch t on t.customer_id = c.customer_id"
                + " and t.occurred_at <= c.first_conversion_at and t.occurred_at >= c.first_conversion_at"
                + " - make_interval(hours => " + days * 24 + ") where c.first_conversion_at is not null"
                + " group by c.customer_id"));
        String hash = AttributionProjection.PATH_HASH.replace("{0}", "path");
        db.execute("insert into attribution_path_key (path_hash, path) select " + hash + ", path"
                + " from (select distinct path from bench_path) d");
        db.execute("insert into attribution_path (customer_id, lookback_days, last_touch_at, path_id)"
                + " select b.customer_id, b.lookback_days, b.last_touch_at, k.path_id from bench_path b"
                + " join attribution_path_key k on k.path_hash = " + hash.replace("path", "b.path"));
        db.execute("drop table bench_path");
        log("paths of %d customers kept (%d rows, %d distinct paths) in %d s",
                db.fetchCount(DSL.table("attribution_customer")), db.fetchCount(DSL.table("attribution_path")),
                db.fetchCount(DSL.table("attribution_path_key")), (System.nanoTime() - started) / 1_000_000_000);
    }

    /** The precomputed credit of every converting customer, computed by the read model's code, summed by SQL. */
    private static void credits(CloseableDSLContext db, AttributionDefinition definition) throws Exception {
        long started = System.nanoTime();
        db.execute("create unlogged table bench_credit (like attribution_credit)");
        db.execute("alter table bench_credit drop constraint if exists bench_credit_pkey");
        AtomicLong journeys = new AtomicLong();
        db.transaction(tx -> {
            var read = tx.dsl();
            try (Cursor<Record> customers = read.resultQuery("select c.customer_id, c.region, c.team,"
                    + " c.owner_rep_id, c.needs_confirmed_at from attribution_customer c where c.first_conversion_at"
                    + " is not null order by c.customer_id").fetchSize(5_000).fetchLazy();
                 Cursor<Record> touches = read.resultQuery("select t.customer_id, t.channel, t.occurred_at, t.seq"
                         + " from attribution_touch t join attribution_customer c on c.customer_id = t.customer_id"
                         + " where c.first_conversion_at is not null order by t.customer_id").fetchSize(5_000)
                         .fetchLazy();
                 Cursor<Record> conversions = read.resultQuery("select customer_id, occurred_at, seq, amount,"
                         + " currency from attribution_conversion order by customer_id").fetchSize(5_000)
                         .fetchLazy()) {
                Record touch = touches.fetchNext();
                Record conversion = conversions.fetchNext();
                Credits credits = new Credits();
                int inChunk = 0;
                for (Record c : customers) {
                    String id = c.get(0, String.class);
                    List<Touch> ts = new ArrayList<>();
                    while (touch != null && id.equals(touch.get(0, String.class))) {
                        ts.add(new Touch(touch.get(1, String.class), Micros.of(touch.get(2,
                                java.time.OffsetDateTime.class)), touch.get(3, Long.class)));
                        touch = touches.fetchNext();
                    }
                    List<Conversion> cs = new ArrayList<>();
                    while (conversion != null && id.equals(conversion.get(0, String.class))) {
                        cs.add(new Conversion(Micros.of(conversion.get(1, java.time.OffsetDateTime.class)),
                                conversion.get(2, Long.class), conversion.get(3, BigDecimal.class),
                                conversion.get(4, String.class)));
                        conversion = conversions.fetchNext();
                    }
                    java.time.OffsetDateTime nc = c.get(4, java.time.OffsetDateTime.class);
                    credits.add(new CustomerJourney(c.get(1, String.class), c.get(2, String.class),
                            c.get(3, String.class), nc == null ? null : Micros.of(nc), ts, cs), definition, 1);
                    journeys.incrementAndGet();
                    if (++inChunk == 10_000) {
                        copy(db, credits);
                        credits = new Credits();
                        inChunk = 0;
                    }
                }
                copy(db, credits);
            }
        });
        db.execute("insert into attribution_credit select lookback_days, half_life_days, grain, owner_rep_id, bucket,"
                + " region, team, channel, currency, " + SUMS + " from bench_credit group by lookback_days,"
                + " half_life_days, grain, owner_rep_id, bucket, region, team, channel, currency");
        db.execute("drop table bench_credit");
        log("credit of %d converting journeys computed and summed in %d s", journeys.get(),
                (System.nanoTime() - started) / 1_000_000_000);
    }

    private static void copy(CloseableDSLContext db, Credits credits) {
        StringBuilder csv = new StringBuilder();
        for (Map.Entry<Credits.Key, Credits.Sum> e : credits.changes()) {
            Credits.Key k = e.getKey();
            Credits.Sum s = e.getValue();
            csv.append(k.lookbackDays()).append('\t').append(k.halfLifeDays().toPlainString()).append('\t')
                    .append(k.grain()).append('\t').append(k.rep()).append('\t').append(k.bucket()).append('\t')
                    .append(k.region()).append('\t').append(k.team()).append('\t').append(k.channel()).append('\t')
                    .append(k.currency());
            for (int m = 0; m < AttributionModel.values().length; m++) {
                csv.append('\t').append(s.conversions[m].toPlainString()).append('\t')
                        .append(s.revenue[m].toPlainString()).append('\t').append(s.shares[m]);
            }
            csv.append('\n');
        }
        db.connection(c -> new CopyManager(c.unwrap(BaseConnection.class))
                .copyIn("copy bench_credit from stdin", new StringReader(csv.toString())));
    }

    // ---- the queries ----

    private static void queries(CloseableDSLContext db, int runs) {
        AttributionQueries queries = new AttributionQueries(db, new AttributionSettings(AttributionDefinition.defaults()));
        if ("dataDriven".equals(System.getProperty("bench.queries"))) {
            dataDriven(db, queries);
            return;
        }
        for (AttributionModel model : AttributionModel.values()) {
            time("attribution " + model.code() + ", all time", runs,
                    () -> queries.attribution(Scope.ALL, model, Window.DEFAULT, Selection.ALL).channels().size());
        }
        time("attribution linear, region=east", runs, () -> queries.attribution(Scope.ALL, AttributionModel.LINEAR,
                Window.DEFAULT, new Selection(null, null, "east", null, null)).channels().size());
        time("attribution w_shaped, rep=rep-7", runs, () -> queries.attribution(Scope.ALL, AttributionModel.W_SHAPED,
                Window.DEFAULT, new Selection(null, null, null, null, "rep-7")).channels().size());
        Selection partial = new Selection(Instant.parse("2024-03-15T00:00:00Z"), Instant.parse("2025-08-20T00:00:00Z"),
                null, "t3", null);
        time("attribution time_decay, 2024-03-15..2025-08-20, team=t3", runs, () -> queries.attribution(
                Scope.ALL, AttributionModel.TIME_DECAY, Window.DEFAULT, partial).channels().size());
        time("acquisition-cost linear by month, all time", Math.max(5, runs / 10), () -> queries.acquisitionCost(
                Scope.ALL, AttributionModel.LINEAR, Window.DEFAULT, Period.MONTH, Selection.ALL,
                null).channels().size());
        time("acquisition-cost u_shaped by quarter, 2025", Math.max(5, runs / 10), () -> queries.acquisitionCost(
                Scope.ALL, AttributionModel.U_SHAPED, Window.DEFAULT, Period.QUARTER, new Selection(
                        Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), null, null,
                        null), null).channels().size());
        Window other = new Window(30, new BigDecimal("3.5"));
        Selection month = new Selection(Instant.parse("2025-03-01T00:00:00Z"), Instant.parse("2025-04-01T00:00:00Z"),
                null, null, null);
        time("attribution linear, lookbackDays=30 (computed), one month", 5,
                () -> queries.attribution(Scope.ALL, AttributionModel.LINEAR, other, month).channels().size());
        time("attribution linear, lookbackDays=30 (computed), all time", 3,
                () -> queries.attribution(Scope.ALL, AttributionModel.LINEAR, other, Selection.ALL).channels().size());
        time("journeys for the data-driven models, all customers", 3, () -> {
            AtomicLong n = new AtomicLong();
            queries.journeys(Scope.ALL, 90, Selection.ALL, j -> n.incrementAndGet());
            return (int) n.get();
        });
        dataDriven(db, queries);
        // the two ways agree on the big data set too
        for (AttributionModel model : List.of(AttributionModel.LINEAR, AttributionModel.W_SHAPED)) {
            assertThat(exact(queries.attribution(Scope.ALL, model, Window.DEFAULT, month, true)))
                    .isEqualTo(exact(queries.attribution(Scope.ALL, model, Window.DEFAULT, month, false)));
        }
    }

    private static List<String> exact(AttributionReadModel.Attribution answer) {
        return answer.channels().stream().map(c -> c.channel() + "|" + c.currency() + "|"
                + Window.normalised(c.conversions()).toPlainString() + "|"
                + Window.normalised(c.revenue()).toPlainString()).toList();
    }

    /**
     * The data-driven models as {@code GET /api/v1/attribution} runs them: the journeys streamed from the read model,
     * summed per path, the library (-Dbench.dataDrivenRuns, default 3, after one warm-up run each).
     */
    private static void dataDriven(CloseableDSLContext db, AttributionQueries queries) {
        int runs = Integer.parseInt(System.getProperty("bench.dataDrivenRuns", "3"));
        Selection month = new Selection(Instant.parse("2025-03-01T00:00:00Z"), Instant.parse("2025-04-01T00:00:00Z"),
                null, null, null);
        if (!Boolean.getBoolean("bench.skipComputed")) {
            time("data-driven markov order 1, all time, paths computed from the touches (before ADR 0014's kept"
                    + " paths)", runs, 1, () -> DataDrivenModel.MARKOV.attribute(queries.computedPaths(Scope.ALL, 90,
                    Selection.ALL), 1).credits().size());
        }
        // before ADR 0017 (the kept paths grouped by the varchar[] itself) and after it, run by run in turns, so
        // that both see the same load; the two give the same paths first
        Selection east = new Selection(null, null, "east", null, null);
        Selection sinceMarch = new Selection(Instant.parse("2025-03-01T00:00:00Z"), null, null, null, null);
        Selection untilMarch = new Selection(null, Instant.parse("2025-03-01T00:00:00Z"), null, null, null);
        for (var named : List.of(java.util.Map.entry("all time", Selection.ALL), java.util.Map.entry("region=east",
                east), java.util.Map.entry("from 2025-03-01", sinceMarch), java.util.Map.entry("one month", month),
                java.util.Map.entry("until 2025-03-01 (non-converting paths cut at `to`)", untilMarch))) {
            Selection selection = named.getValue();
            assertThat(exact(arrayPaths(db, 90, selection))).as(named.getKey())
                    .isEqualTo(exact(queries.precomputedPaths(Scope.ALL, 90, selection)));
            compare("data-driven markov order 1, " + named.getKey(), runs,
                    () -> DataDrivenModel.MARKOV.attribute(arrayPaths(db, 90, selection), 1).credits().size(),
                    () -> queries.dataDriven(Scope.ALL, DataDrivenModel.MARKOV, 1, 90, selection).channels().size());
        }
        compare("the paths alone (no model), all time", runs, () -> arrayPaths(db, 90, Selection.ALL).size(),
                () -> queries.precomputedPaths(Scope.ALL, 90, Selection.ALL).size());
        time("data-driven markov order 3, all time", runs, 1, () -> queries.dataDriven(Scope.ALL,
                DataDrivenModel.MARKOV, 3, 90,
                Selection.ALL).channels().size());
        time("data-driven shapley, all time", runs, 1, () -> queries.dataDriven(Scope.ALL, DataDrivenModel.SHAPLEY, 1,
                90,
                Selection.ALL).channels().size());
        time("data-driven shapley_simplified, all time", runs, 1, () -> queries.dataDriven(
                Scope.ALL, DataDrivenModel.SHAPLEY_SIMPLIFIED, 1, 90, Selection.ALL).channels().size());
        time("data-driven markov order 1, region=east, one month", runs, 1, () -> queries.dataDriven(
                Scope.ALL, DataDrivenModel.MARKOV, 1, 90, new Selection(month.from(), month.to(), "east", null, null))
                .channels().size());
        time("acquisition-cost markov by month, all time", 1, 0, () -> queries.acquisitionCost(Scope.ALL,
                DataDrivenModel.MARKOV,
                1, 90, Period.MONTH, Selection.ALL, null).channels().size());
        time("acquisition-cost shapley by quarter, 2025", 1, 0, () -> queries.acquisitionCost(Scope.ALL,
                DataDrivenModel.SHAPLEY,
                1, 90, Period.QUARTER, new Selection(Instant.parse("2025-01-01T00:00:00Z"),
                        Instant.parse("2026-01-01T00:00:00Z"), null, null, null), null).channels().size());
    }

    /** {@code before} and {@code after} in turns (one warm-up run each), each timed as {@link #time} does. */
    private static void compare(String what, int runs, Supplier<Integer> before, Supplier<Integer> after) {
        before.get();
        after.get();
        long[] b = new long[runs];
        long[] a = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            before.get();
            b[i] = System.nanoTime() - start;
            start = System.nanoTime();
            after.get();
            a[i] = System.nanoTime() - start;
        }
        Arrays.sort(b);
        Arrays.sort(a);
        log("%-62s runs %4d  before: p50 %8.1f ms  max %8.1f ms  after: p50 %8.1f ms  max %8.1f ms  (load %s)", what,
                runs, ms(b[runs / 2]), ms(b[runs - 1]), ms(a[runs / 2]), ms(a[runs - 1]), load());
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static List<String> exact(List<org.salesledger.projections.attribution.datadriven.Journey> journeys) {
        return journeys.stream().map(j -> String.join(">", j.channels()) + "|" + j.conversions() + "|"
                + j.nonConversions() + "|" + j.revenueByCurrency().entrySet().stream().map(e -> e.getKey() + ":"
                + e.getValue().conversions() + ":" + e.getValue().amount().stripTrailingZeros().toPlainString())
                .toList()).sorted().toList();
    }

    /**
     * The kept paths grouped as before ADR 0017, by the {@code varchar[]} itself: the three statements of
     * {@code AttributionQueries.precomputedPaths} as they were, over a copy of the kept paths with each path in
     * place of its key ({@code bench_path_array}, made once, with the primary key {@code attribution_path} has).
     */
    private static List<org.salesledger.projections.attribution.datadriven.Journey> arrayPaths(
            CloseableDSLContext db, int lookbackDays, Selection selection) {
        if (db.fetchValue("select to_regclass('bench_path_array')") == null) {
            db.execute("create unlogged table bench_path_array as select p.customer_id, p.lookback_days, k.path,"
                    + " p.last_touch_at from attribution_path p join attribution_path_key k on k.path_id = p.path_id");
            db.execute("alter table bench_path_array add primary key (customer_id, lookback_days)");
            db.execute("vacuum analyze bench_path_array");
        }
        var c = org.salesledger.projections.jooq.Tables.ATTRIBUTION_CUSTOMER;
        var t = org.salesledger.projections.jooq.Tables.ATTRIBUTION_TOUCH;
        var v = org.salesledger.projections.jooq.Tables.ATTRIBUTION_CONVERSION;
        org.jooq.Table<?> p = DSL.table(DSL.name("bench_path_array"));
        org.jooq.Field<String[]> path = DSL.field(DSL.name("bench_path_array", "path"), String[].class);
        org.jooq.Field<String> customer = DSL.field(DSL.name("bench_path_array", "customer_id"), String.class);
        org.jooq.Field<Integer> lookback = DSL.field(DSL.name("bench_path_array", "lookback_days"), Integer.class);
        org.jooq.Field<java.time.OffsetDateTime> lastTouch = DSL.field(DSL.name("bench_path_array", "last_touch_at"),
                java.time.OffsetDateTime.class);
        org.jooq.Condition selected = AttributionQueries.journeysSelected(c, Scope.ALL, selection);
        org.jooq.Condition converted = AttributionQueries.convertedBy(c, selection);
        org.jooq.Condition conversions = DSL.noCondition();
        if (selection.from() != null) {
            conversions = conversions.and(v.OCCURRED_AT.ge(selection.from().atOffset(java.time.ZoneOffset.UTC)));
        }
        if (selection.to() != null) {
            conversions = conversions.and(v.OCCURRED_AT.lt(selection.to().atOffset(java.time.ZoneOffset.UTC)));
        }
        org.jooq.Condition notConverted = selected.and(DSL.not(converted));
        org.jooq.Field<Integer> all = DSL.inline(AttributionProjection.ALL_TOUCHES);
        String uncut = """
                select {0} as path, cast(null as varchar) as currency, count(*) as n, cast(null as numeric) as amount
                from {1} left join {2} on {3} = {4} and {5} = {6}
                where {7}
                group by {0}
                """;
        String cut = """
                select (select coalesce(array_agg({0} order by {1}, {2}), array[]::varchar[]) from {3}
                        where {4} = {5} and {1} < {6}) as path,
                       cast(null as varchar), count(*), cast(null as numeric)
                from {7} join {8} on {9} = {5} and {10} = {11}
                where {12}
                group by 1
                """;
        String convertedPaths = """
                select {0}, {1}, count(*), sum({2})
                from {3} join {4} on {5} = {6} and {7} = {8}
                join {9} on {10} = {6}
                where {11}
                group by {0}, {1}
                """;
        List<org.jooq.ResultQuery<Record>> parts = new ArrayList<>();
        org.jooq.Condition beforeTo = selection.to() == null ? DSL.noCondition()
                : lastTouch.isNull().or(lastTouch.lt(selection.to().atOffset(java.time.ZoneOffset.UTC)));
        parts.add(db.resultQuery(uncut, path, c, p, customer, c.CUSTOMER_ID, lookback, all,
                notConverted.and(beforeTo)));
        if (selection.to() != null) {
            parts.add(db.resultQuery(cut, t.CHANNEL, t.OCCURRED_AT, t.SEQ, t, t.CUSTOMER_ID, c.CUSTOMER_ID,
                    DSL.val(selection.to().atOffset(java.time.ZoneOffset.UTC)), c, p, customer, lookback, all,
                    notConverted.and(lastTouch.ge(selection.to().atOffset(java.time.ZoneOffset.UTC)))));
        }
        parts.add(db.resultQuery(convertedPaths, path, v.CURRENCY, v.AMOUNT, c, p, customer, c.CUSTOMER_ID,
                lookback, DSL.val(lookbackDays), v, v.CUSTOMER_ID, selected.and(converted).and(conversions)));
        Map<List<String>, PathTotals.Totals> byPath = new java.util.HashMap<>();
        db.transaction(tx -> {
            var read = tx.dsl();
            read.execute("set local work_mem = '128MB'");
            for (org.jooq.ResultQuery<Record> part : parts) {
                read.resultQuery("{0}", part).fetchSize(5_000).forEach(r -> AttributionQueries.add(byPath, r));
            }
        });
        return PathTotals.journeys(byPath);
    }

    private static void time(String what, int runs, Supplier<Integer> query) {
        time(what, runs, Math.min(10, runs), query);
    }

    private static void time(String what, int runs, int warmUp, Supplier<Integer> query) {
        for (int i = 0; i < warmUp; i++) {
            query.get();
        }
        long[] nanos = new long[runs];
        int rows = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            rows = query.get();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        log("%-62s runs %4d  p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms  (%d rows, load %s)", what, runs,
                ms(nanos[runs / 2]), ms(nanos[Math.min(runs - 1, (int) Math.ceil(runs * 0.99) - 1)]),
                ms(nanos[runs - 1]), rows, load());
    }

    // ---- the projection ----

    private static void projection(CloseableDSLContext db, int events) {
        AttributionProjection projection = new AttributionProjection(db, new AttributionTables().attributionTables(),
                new AttributionSettings(AttributionDefinition.defaults()));
        projection.reset();
        List<ActionLog.Logged> actions = generated(events);
        long started = System.nanoTime();
        ActionLog.feedInBatches(projection, actions, 500);
        double seconds = (System.nanoTime() - started) / 1e9;
        log("projection: %d actions of %d customers applied in batches of 500 in %.1f s: %.0f actions/s (one thread)",
                actions.size(), actions.stream().map(a -> a.action().customerId()).distinct().count(), seconds,
                actions.size() / seconds);
    }

    /** About ten actions per customer, interleaved across customers as a live system stores them. */
    private static List<ActionLog.Logged> generated(int events) {
        Random random = new Random(42);
        ActionLog log = new ActionLog();
        int customers = Math.max(1, events / 10);
        List<List<Object[]>> journeys = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            List<Object[]> journey = new ArrayList<>();
            CustomerId id = CustomerId.of("p" + c);
            Instant t = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(random.nextInt(730 * 86_400));
            int rep = random.nextInt(200);
            journey.add(new Object[] {new CustomerRegistered(id, "n", REGIONS[rep % 20 % 6], RepId.of("rep-" + rep),
                    CHANNELS[random.nextInt(8)], "t" + rep % 20, null, null, null, null, Map.of()), t});
            for (int s = 1; s < 10; s++) {
                t = t.plusSeconds(random.nextInt(15 * 86_400));
                int kind = random.nextInt(100);
                CustomerAction action;
                if (kind < 35) {
                    action = new TouchpointRecorded(id, CHANNELS[random.nextInt(8)], null, null, Map.of());
                } else if (kind < 70) {
                    action = new VisitLogged(id, "buyer", null, null, null, null, null, Map.of());
                } else if (kind < 78) {
                    action = new NeedsConfirmed(id, null, Map.of());
                } else if (kind < 85) {
                    action = new ProposalSent(id, null, null, null, null, Map.of());
                } else if (kind < 90) {
                    action = new ContractSigned(id, "K-" + c + "-" + s, new Money(BigDecimal.valueOf(100_000
                            + random.nextInt(9_900_000), 2), random.nextInt(10) == 0 ? "USD" : "CNY"), null, null,
                            Map.of());
                } else {
                    action = new CostIncurred(id, "gifts", new Money(BigDecimal.valueOf(random.nextInt(10_000), 2),
                            "CNY"), CHANNELS[random.nextInt(8)], null, Map.of());
                }
                journey.add(new Object[] {action, t});
            }
            journeys.add(journey);
        }
        int[] next = new int[customers];
        int left = customers * 10;
        while (left > 0) {
            int c = random.nextInt(customers);
            if (next[c] < journeys.get(c).size()) {
                Object[] a = journeys.get(c).get(next[c]++);
                log.add((CustomerAction) a[0], a[1].toString());
                left--;
            }
        }
        return log.all;
    }

    // ---- helpers ----

    private static CloseableDSLContext migrated() {
        return migrated(System.getProperty("bench.dbUrl"));
    }

    private static CloseableDSLContext migrated(String url) {
        TestPostgres.TestDatabase test = url != null
                ? new TestPostgres.TestDatabase(url, System.getProperty("bench.dbUser", "postgres"),
                System.getProperty("bench.dbPassword", ""))
                : TestPostgres.newDatabase();
        org.salesledger.infra.platform.AxonTablesMigration.migrate(test.jdbcUrl(), test.user(), test.password());
        Flyway.configure().dataSource(test.jdbcUrl(), test.user(), test.password())
                .locations("classpath:db/projections").baselineOnMigrate(true).baselineVersion("0").outOfOrder(true)
                .load().migrate();
        return DSL.using(test.jdbcUrl(), test.user(), test.password());
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void log(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
    }
}
