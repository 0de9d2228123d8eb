package org.salesledger.projections.attribution;

import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_ACTION;
import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_CONVERSION;
import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_COST;
import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_CREDIT;
import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_CUSTOMER;
import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_DEFINITION;
import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_PATH;
import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_PATH_KEY;
import static org.salesledger.projections.jooq.Tables.ATTRIBUTION_TOUCH;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.attribution.datadriven.Credit;
import org.salesledger.projections.attribution.datadriven.DataDrivenModel;
import org.salesledger.projections.attribution.datadriven.Journey.Revenue;
import org.salesledger.projections.jooq.tables.AttributionAction;
import org.salesledger.projections.jooq.tables.AttributionConversion;
import org.salesledger.projections.jooq.tables.AttributionCost;
import org.salesledger.projections.jooq.tables.AttributionCredit;
import org.salesledger.projections.jooq.tables.AttributionCustomer;
import org.salesledger.projections.jooq.tables.AttributionPath;
import org.salesledger.projections.jooq.tables.AttributionTouch;
import org.springframework.stereotype.Repository;

/**
 * Answers attribution questions from the read model's tables, never from the event store (ADR 0014):
 *
 * <ul>
 *   <li>for a precomputed window and a selection of whole UTC days, by summing {@code attribution_credit}: whole
 *       months from the monthly sums, the days at either end from the daily ones — a few thousand rows at most,
 *       whatever the number of events;</li>
 *   <li>otherwise by streaming the selected conversions and their customers' touches and splitting each
 *       conversion exactly as the projection does.</li>
 * </ul>
 * A caller's scope is one more filter, in SQL like the others: a region like {@code region} (on the credit sums'
 * region, or the customer's), a set of owners like {@code rep} (the credit per day and current owner, or the
 * customer's current owner).
 */
@Repository
class AttributionQueries implements AttributionReadModel {

    static final String UNRESOLVED = "(unresolved)";
    private static final int FETCH_SIZE = 5_000;
    /** work_mem for grouping the kept paths: a hash table of one entry per distinct path (≈ 50 MB at 200,000). */
    private static final String GROUPING_MEMORY = "128MB";

    private final DSLContext db;
    private final AttributionSettings settings;
    private final PathKeys pathKeys = new PathKeys();

    AttributionQueries(DSLContext db, AttributionSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    // ---- attribution ----

    @Override
    public Attribution attribution(Scope scope, AttributionModel model, Window window, Selection selection) {
        return attribution(scope, model, window, selection, true);
    }

    /** With {@code precomputed} false, always computed from the journeys (to check one path against the other). */
    Attribution attribution(Scope scope, AttributionModel model, Window window, Selection selection,
                            boolean precomputed) {
        Definitions definitions = definitions();
        Map<SumKey, Totals> sums = credit(scope, model, window, selection, null, definitions.effective(),
                precomputed);
        List<ChannelCredit> channels = new ArrayList<>();
        new TreeMap<>(sums).forEach((k, v) -> channels.add(new ChannelCredit(k.channel, k.currency, v.conversions,
                v.revenue)));
        return new Attribution(model, window, channels, notes(definitions));
    }

    private static List<String> notes(Definitions definitions) {
        if (!definitions.stale()) {
            return null;
        }
        return List.of("the attribution read model was built with touch types [" + definitions.builtWith()
                .touchTypesText() + "]; the setting is now [" + definitions.configured().touchTypesText()
                + "] (windows [" + definitions.builtWith().windowsText() + "] → [" + definitions.configured()
                .windowsText() + "]): run `./salesledger rebuild attribution` to apply it");
    }

    /** Sums of credit by (period, channel, currency); the period is {@code null} unless {@code periodOf} is given. */
    private Map<SumKey, Totals> credit(Scope scope, AttributionModel model, Window window, Selection selection,
                                       Function<LocalDate, LocalDate> periodOf, AttributionDefinition definition,
                                       boolean precomputed) {
        LocalDate from = wholeDay(selection.from());
        LocalDate to = wholeDay(selection.to());
        boolean wholeDays = (selection.from() == null || from != null) && (selection.to() == null || to != null);
        java.util.Optional<Window> stored = definition.precomputed(model, window);
        if (precomputed && wholeDays && stored.isPresent()) {
            return precomputed(scope, model, stored.get(), selection, from, to, periodOf);
        }
        return computed(scope, model, window, selection, periodOf);
    }

    /** The UTC date of an instant at midnight UTC; {@code null} for any other instant or none. */
    private static LocalDate wholeDay(Instant instant) {
        if (instant == null) {
            return null;
        }
        OffsetDateTime utc = instant.atOffset(ZoneOffset.UTC);
        return utc.toLocalTime().equals(LocalTime.MIDNIGHT) ? utc.toLocalDate() : null;
    }

    private Map<SumKey, Totals> precomputed(Scope scope, AttributionModel model, Window stored, Selection selection,
                                            LocalDate from, LocalDate to, Function<LocalDate, LocalDate> periodOf) {
        AttributionCredit t = ATTRIBUTION_CREDIT;
        CreditColumns columns = CreditColumns.of(t, model);
        java.util.Set<String> owners = owners(scope, selection);
        Condition where = t.LOOKBACK_DAYS.eq(stored.lookbackDays())
                .and(t.HALF_LIFE_DAYS.eq(stored.halfLifeDays()))
                .and(owners == null ? buckets(t, from, to)
                        : owners.isEmpty() ? DSL.falseCondition() : ownerDays(t, owners, from, to));
        if (selection.region() != null) {
            where = where.and(t.REGION.eq(selection.region()));
        }
        if (scope instanceof Scope.Region region) {
            where = where.and(t.REGION.eq(region.region()));
        }
        if (selection.team() != null) {
            where = where.and(t.TEAM.eq(selection.team()));
        }
        Map<SumKey, Totals> sums = new LinkedHashMap<>();
        if (periodOf == null) {
            db.select(t.CHANNEL, t.CURRENCY, DSL.sum(columns.conversions()), DSL.sum(columns.revenue()))
                    .from(t).where(where).groupBy(t.CHANNEL, t.CURRENCY)
                    .having(DSL.sum(columns.shares()).gt(BigDecimal.ZERO))
                    .forEach(r -> sums.computeIfAbsent(new SumKey(null, r.value1(), r.value2()), k -> new Totals())
                            .add(r.value3(), r.value4()));
        } else {
            db.select(t.BUCKET, t.CHANNEL, t.CURRENCY, DSL.sum(columns.conversions()), DSL.sum(columns.revenue()))
                    .from(t).where(where).groupBy(t.BUCKET, t.CHANNEL, t.CURRENCY)
                    .having(DSL.sum(columns.shares()).gt(BigDecimal.ZERO))
                    .forEach(r -> sums.computeIfAbsent(new SumKey(periodOf.apply(r.value1()), r.value2(),
                            r.value3()), k -> new Totals()).add(r.value4(), r.value5()));
        }
        return sums;
    }

    /**
     * The current owners a scope and a selection's {@code rep} leave, intersected: {@code null} for any owner (no
     * owner condition at all).
     */
    private static java.util.Set<String> owners(Scope scope, Selection selection) {
        java.util.Set<String> owners = selection.rep() == null ? null : java.util.Set.of(selection.rep());
        if (scope instanceof Scope.Owners allowed) {
            owners = owners == null ? allowed.reps() : owners.stream().filter(allowed.reps()::contains)
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
        }
        return owners;
    }

    /** Some owners' days in [from, to). */
    private static Condition ownerDays(AttributionCredit t, java.util.Set<String> reps, LocalDate from,
                                       LocalDate to) {
        Condition days = t.GRAIN.eq(Credits.DAY_BY_OWNER).and(reps.size() == 1
                ? t.OWNER_REP_ID.eq(reps.iterator().next()) : t.OWNER_REP_ID.in(reps));
        if (from != null) {
            days = days.and(t.BUCKET.ge(from));
        }
        if (to != null) {
            days = days.and(t.BUCKET.lt(to));
        }
        return days;
    }

    /** Whole months of [from, to) from the monthly rows, the days before and after them from the daily ones. */
    static Condition daysAndMonths(Field<String> grain, Field<LocalDate> bucket, LocalDate from, LocalDate to) {
        return daysAndMonths(grain, bucket, from, to, DSL.noCondition());
    }

    /**
     * The same, with {@code each} in every part of the condition, so that an index on (…, grain, each's column,
     * bucket) can bound every part's bucket range.
     */
    static Condition daysAndMonths(Field<String> grain, Field<LocalDate> bucket, LocalDate from, LocalDate to,
                                   Condition each) {
        LocalDate monthsFrom = from == null ? null
                : from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
        LocalDate monthsTo = to == null ? null : to.withDayOfMonth(1);
        Condition days = grain.eq(Credits.DAY).and(each);
        if (monthsFrom != null && monthsTo != null && !monthsFrom.isBefore(monthsTo)) {
            return days.and(bucket.ge(from)).and(bucket.lt(to));
        }
        Condition months = grain.eq(Credits.MONTH).and(each);
        if (monthsFrom != null) {
            months = months.and(bucket.ge(monthsFrom));
        }
        if (monthsTo != null) {
            months = months.and(bucket.lt(monthsTo));
        }
        Condition any = months;
        if (from != null && from.isBefore(monthsFrom)) {
            any = any.or(days.and(bucket.ge(from)).and(bucket.lt(monthsFrom)));
        }
        if (to != null && monthsTo.isBefore(to)) {
            any = any.or(days.and(bucket.ge(monthsTo)).and(bucket.lt(to)));
        }
        return any;
    }

    /** Whole months of [from, to) from the monthly sums, the days before and after them from the daily ones. */
    static Condition buckets(AttributionCredit t, LocalDate from, LocalDate to) {
        // the sums over owners have owner "": saying so lets the primary key bound the bucket range
        return daysAndMonths(t.GRAIN, t.BUCKET, from, to, t.OWNER_REP_ID.eq(""));
    }

    /**
     * Streams the selected conversions (by customer) and splits each one, reading the touches of a few thousand
     * customers at a time by their primary key: the work grows with the conversions selected, not with the
     * journeys stored.
     */
    private Map<SumKey, Totals> computed(Scope scope, AttributionModel model, Window window, Selection selection,
                                         Function<LocalDate, LocalDate> periodOf) {
        AttributionConversion v = ATTRIBUTION_CONVERSION;
        AttributionCustomer c = ATTRIBUTION_CUSTOMER;
        Condition conversionsSelected = customers(c, scope, selection).and(within(v.OCCURRED_AT, selection));
        Map<SumKey, Totals> sums = new LinkedHashMap<>();
        db.transaction(tx -> {
            DSLContext read = tx.dsl();
            Map<String, Long> needsConfirmed = new LinkedHashMap<>();
            Map<String, List<Conversion>> chunk = new LinkedHashMap<>();
            try (Cursor<? extends Record> conversions = read
                    .select(v.CUSTOMER_ID, v.OCCURRED_AT, v.SEQ, v.AMOUNT, v.CURRENCY, c.NEEDS_CONFIRMED_AT)
                    .from(v).join(c).on(c.CUSTOMER_ID.eq(v.CUSTOMER_ID))
                    .where(conversionsSelected)
                    .orderBy(v.CUSTOMER_ID)
                    .fetchSize(FETCH_SIZE).fetchLazy()) {
                for (Record r : conversions) {
                    String customer = r.get(v.CUSTOMER_ID);
                    if (!chunk.containsKey(customer) && chunk.size() == CUSTOMERS_PER_READ) {
                        credit(read, chunk, needsConfirmed, model, window, periodOf, sums);
                        chunk.clear();
                        needsConfirmed.clear();
                    }
                    chunk.computeIfAbsent(customer, k -> new ArrayList<>()).add(new Conversion(
                            Micros.of(r.get(v.OCCURRED_AT)), r.get(v.SEQ), r.get(v.AMOUNT), r.get(v.CURRENCY)));
                    needsConfirmed.put(customer, micros(r.get(c.NEEDS_CONFIRMED_AT)));
                }
            }
            credit(read, chunk, needsConfirmed, model, window, periodOf, sums);
        });
        return sums;
    }

    private static final int CUSTOMERS_PER_READ = 2_000;

    /** Reads the touches of a chunk of customers and adds the split of each of their conversions to the sums. */
    private static void credit(DSLContext read, Map<String, List<Conversion>> chunk, Map<String, Long> needsConfirmed,
                               AttributionModel model, Window window, Function<LocalDate, LocalDate> periodOf,
                               Map<SumKey, Totals> sums) {
        if (chunk.isEmpty()) {
            return;
        }
        AttributionTouch t = ATTRIBUTION_TOUCH;
        long earliest = chunk.values().stream().flatMap(List::stream).mapToLong(Conversion::at).min().orElseThrow()
                - window.lookbackDays() * AttributionRules.MICROS_PER_DAY;
        long latest = chunk.values().stream().flatMap(List::stream).mapToLong(Conversion::at).max().orElseThrow();
        Map<String, List<Touch>> touches = new java.util.HashMap<>();
        read.select(t.CUSTOMER_ID, t.CHANNEL, t.OCCURRED_AT, t.SEQ).from(t)
                .where(t.CUSTOMER_ID.in(chunk.keySet()))
                .and(t.OCCURRED_AT.between(Micros.utc(earliest), Micros.utc(latest)))
                .forEach(r -> touches.computeIfAbsent(r.value1(), k -> new ArrayList<>())
                        .add(new Touch(r.value2(), Micros.of(r.value3()), r.value4())));
        chunk.forEach((customer, conversions) -> {
            CustomerJourney journey = new CustomerJourney(null, null, null, needsConfirmed.get(customer),
                    touches.getOrDefault(customer, List.of()), conversions);
            for (Conversion conversion : conversions) {
                LocalDate period = periodOf == null ? null : periodOf.apply(Micros.utc(conversion.at()).toLocalDate());
                journey.credit(conversion, model, window).forEach((channel, share) ->
                        sums.computeIfAbsent(new SumKey(period, channel, conversion.currency()), k -> new Totals())
                                .add(share, share.multiply(conversion.amount(), AttributionRules.PRECISION)));
            }
        });
    }

    /** The customers a selection's filters choose among those the scope covers. */
    private static Condition customers(AttributionCustomer c, Scope scope, Selection selection) {
        Condition where = covered(c, scope);
        if (selection.region() != null) {
            where = where.and(c.REGION.eq(selection.region()));
        }
        if (selection.team() != null) {
            where = where.and(c.TEAM.eq(selection.team()));
        }
        if (selection.rep() != null) {
            where = where.and(c.OWNER_REP_ID.eq(selection.rep()));
        }
        return where;
    }

    /** The customers a scope covers: of its region (registration), or owned now by one of its reps. */
    static Condition covered(AttributionCustomer c, Scope scope) {
        return org.salesledger.projections.scope.ScopeConditions.covered(scope, c.REGION, c.OWNER_REP_ID);
    }

    /** Acquisition cost is answered over every customer only (see {@link AttributionReadModel#acquisitionCost}). */
    private static void requireAll(Scope scope) {
        if (!(scope instanceof Scope.All)) {
            throw new IllegalArgumentException("acquisition cost is answered over all customers only: costs are "
                    + "recorded per channel and cannot be split by customer; asked for " + scope);
        }
    }

    // ---- acquisition cost ----

    @Override
    public AcquisitionCost acquisitionCost(Scope scope, AttributionModel model, Window window, Period period,
                                           Selection selection, String currency) {
        requireAll(scope);
        Definitions definitions = definitions();
        Map<SumKey, Totals> credit = credit(scope, model, window, selection, periodStart(period),
                definitions.effective(), true);
        return acquisitionCost(model.code(), window, period, selection, currency, definitions, credit, List.of());
    }

    /**
     * Each period's attributed revenue is the data-driven model's revenue credit over that period's journeys: the
     * {@link #dataDriven} answer for the selection narrowed to the period, so a period's conversions are those of
     * customers whose first conversion falls in it (a later contract of a customer won in an earlier period is in
     * no period's journeys, and a note counts them).
     */
    @Override
    public AcquisitionCost acquisitionCost(Scope scope, DataDrivenModel model, int order, int lookbackDays,
                                           Period period, Selection selection, String currency) {
        requireAll(scope);
        Definitions definitions = definitions();
        Map<SumKey, Totals> credit = new LinkedHashMap<>();
        for (LocalDate start : firstConversionPeriods(scope, period, selection)) {
            Instant periodFrom = start.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant periodTo = next(period, start).atStartOfDay(ZoneOffset.UTC).toInstant();
            Selection part = new Selection(
                    selection.from() != null && selection.from().isAfter(periodFrom) ? selection.from() : periodFrom,
                    selection.to() != null && selection.to().isBefore(periodTo) ? selection.to() : periodTo,
                    selection.region(), selection.team(), selection.rep());
            for (ChannelCredit c : dataDrivenChannels(scope, model, order, lookbackDays, part,
                    definitions.effective())) {
                credit.computeIfAbsent(new SumKey(start, c.channel(), c.currency()), k -> new Totals())
                        .add(c.conversions(), c.revenue());
            }
        }
        List<String> notes = new ArrayList<>();
        long repeat = repeatConversions(scope, period, selection);
        if (repeat > 0) {
            notes.add(repeat + " conversion(s) in these periods came from customers whose first contract fell in an "
                    + "earlier period (or before from): a data-driven model credits a period's revenue over the "
                    + "journeys whose first conversion falls in it, so their revenue is in no period's "
                    + "attributedRevenue; a rule-based model credits every conversion");
        }
        return acquisitionCost(model.modelName(), new Window(lookbackDays, Window.DEFAULT_HALF_LIFE_DAYS), period,
                selection, currency, definitions, credit, notes);
    }

    /** The periods in which a selected customer's first conversion falls, within the selection. */
    private List<LocalDate> firstConversionPeriods(Scope scope, Period period, Selection selection) {
        AttributionCustomer c = ATTRIBUTION_CUSTOMER;
        Condition where = customers(c, scope, selection).and(c.FIRST_CONVERSION_AT.isNotNull());
        if (selection.from() != null) {
            where = where.and(c.FIRST_CONVERSION_AT.ge(utc(selection.from())));
        }
        if (selection.to() != null) {
            where = where.and(c.FIRST_CONVERSION_AT.lt(utc(selection.to())));
        }
        Field<LocalDate> start = periodStartSql(period, c.FIRST_CONVERSION_AT);
        return db.selectDistinct(start).from(c).where(where).orderBy(start).fetch(start);
    }

    /** Conversions of the selection whose customer's first conversion came before their period (or before from). */
    private long repeatConversions(Scope scope, Period period, Selection selection) {
        AttributionCustomer c = ATTRIBUTION_CUSTOMER;
        AttributionConversion v = ATTRIBUTION_CONVERSION;
        Condition where = customers(c, scope, selection).and(within(v.OCCURRED_AT, selection));
        Condition earlier = DSL.condition("{0} < date_trunc({1}, {2} at time zone 'UTC') at time zone 'UTC'",
                c.FIRST_CONVERSION_AT, DSL.inline(unit(period)), v.OCCURRED_AT);
        if (selection.from() != null) {
            earlier = earlier.or(c.FIRST_CONVERSION_AT.lt(utc(selection.from())));
        }
        return db.fetchCount(DSL.selectOne().from(v).join(c).on(c.CUSTOMER_ID.eq(v.CUSTOMER_ID))
                .where(where.and(earlier)));
    }

    private AcquisitionCost acquisitionCost(String model, Window window, Period period, Selection selection,
                                            String currency, Definitions definitions, Map<SumKey, Totals> credit,
                                            List<String> modelNotes) {
        Map<ChannelPeriodKey, Row> rows = new TreeMap<>();

        costs(selection, period, currency).forEach((key, byCategory) -> {
            Row row = rows.computeIfAbsent(new ChannelPeriodKey(key.channel, key.period), k -> new Row());
            row.money(key.currency).costByCategory.putAll(byCategory);
        });
        won(selection, period).forEach((key, count) ->
                rows.computeIfAbsent(key, k -> new Row()).won = count);
        credit.forEach((key, totals) -> {
            if (currency == null || currency.equals(key.currency)) {
                rows.computeIfAbsent(new ChannelPeriodKey(key.channel, key.period), k -> new Row())
                        .money(key.currency).revenue = totals.revenue;
            }
        });

        List<ChannelPeriod> result = new ArrayList<>();
        rows.forEach((key, row) -> {
            LocalDate start = key.period;
            LocalDate end = next(period, start);
            List<CurrencyFigures> figures = new ArrayList<>();
            row.money.forEach((cur, money) -> figures.add(money.figures(cur, row.won)));
            result.add(new ChannelPeriod(key.channel, label(period, start), start, end, row.won, figures));
        });
        List<String> notes = new ArrayList<>(modelNotes);
        java.util.Set<String> unknown = new java.util.TreeSet<>();
        result.forEach(r -> r.currencies().forEach(f -> f.costByCategory().keySet().stream()
                .filter(c -> !CostCategories.isKnown(c)).forEach(unknown::add)));
        if (!unknown.isEmpty()) {
            notes.add("cost categories outside the documented list, kept as given: " + String.join(", ", unknown)
                    + "; the list: " + String.join(", ", CostCategories.KNOWN.keySet()));
        }
        if (result.stream().anyMatch(r -> r.channel().equals(UNRESOLVED))) {
            notes.add("costs under " + UNRESOLVED + " refer (refActionId) to actions the read model has not seen; "
                    + "they move to their channel when those actions arrive");
        }
        List<String> stale = notes(definitions);
        if (stale != null) {
            notes.addAll(stale);
        }
        return new AcquisitionCost(model, window, period, result, notes.isEmpty() ? null : notes);
    }

    /**
     * Cost by (channel, period, currency) and category. A cost's channel is its own {@code channel}; else, through
     * {@code refActionId}, the channel of that action if it is a touch, or the registration channel of that
     * action's customer; else (neither given) its customer's registration channel. The projection resolves it when
     * the cost is written if it can, and sums it per day and month; a cost whose action was not known then is
     * resolved here, so the order in which a cost and the action it refers to arrive does not matter.
     */
    private Map<MoneyKey, Map<String, BigDecimal>> costs(Selection selection, Period period, String currency) {
        Function<LocalDate, LocalDate> periodOf = periodStart(period);
        Map<MoneyKey, Map<String, BigDecimal>> costs = new LinkedHashMap<>();
        LocalDate from = wholeDay(selection.from());
        LocalDate to = wholeDay(selection.to());
        AttributionCost cost = ATTRIBUTION_COST;
        Condition when = within(cost.OCCURRED_AT, selection);
        if (currency != null) {
            when = when.and(cost.CURRENCY.eq(currency));
        }
        if ((selection.from() == null || from != null) && (selection.to() == null || to != null)) {
            var sums = org.salesledger.projections.jooq.Tables.ATTRIBUTION_COST_SUM;
            Condition where = daysAndMonths(sums.GRAIN, sums.BUCKET, from, to);
            if (currency != null) {
                where = where.and(sums.CURRENCY.eq(currency));
            }
            db.select(sums.BUCKET, sums.CHANNEL, sums.CURRENCY, sums.CATEGORY, DSL.sum(sums.AMOUNT))
                    .from(sums).where(where).groupBy(sums.BUCKET, sums.CHANNEL, sums.CURRENCY, sums.CATEGORY)
                    .forEach(r -> costs.computeIfAbsent(new MoneyKey(r.value2(), periodOf.apply(r.value1()),
                            r.value3()), k -> new TreeMap<>()).merge(r.value4(), r.value5(), BigDecimal::add));
        } else {
            Field<LocalDate> start = periodStartSql(period, cost.OCCURRED_AT);
            db.select(cost.RESOLVED_CHANNEL, start, cost.CURRENCY, cost.CATEGORY, DSL.sum(cost.AMOUNT))
                    .from(cost).where(when.and(cost.RESOLVED_CHANNEL.isNotNull()))
                    .groupBy(cost.RESOLVED_CHANNEL, start, cost.CURRENCY, cost.CATEGORY)
                    .forEach(r -> costs.computeIfAbsent(new MoneyKey(r.value1(), r.value2(), r.value3()),
                            k -> new TreeMap<>()).merge(r.value4(), r.value5(), BigDecimal::add));
        }
        // the costs not resolved when written: their action may have arrived since
        AttributionAction ref = ATTRIBUTION_ACTION.as("ref");
        AttributionCustomer refCustomer = ATTRIBUTION_CUSTOMER.as("ref_customer");
        Field<String> channel = DSL.when(ref.ACTION_ID.isNull(), DSL.inline(UNRESOLVED))
                .when(ref.TOUCH_CHANNEL.isNotNull(), ref.TOUCH_CHANNEL)
                .otherwise(refCustomer.CHANNEL);
        Field<LocalDate> start = periodStartSql(period, cost.OCCURRED_AT);
        db.select(channel, start, cost.CURRENCY, cost.CATEGORY, DSL.sum(cost.AMOUNT))
                .from(cost)
                .leftJoin(ref).on(ref.ACTION_ID.eq(cost.REF_ACTION_ID))
                .leftJoin(refCustomer).on(refCustomer.CUSTOMER_ID.eq(ref.CUSTOMER_ID))
                .where(when.and(cost.RESOLVED_CHANNEL.isNull()))
                .groupBy(channel, start, cost.CURRENCY, cost.CATEGORY)
                .forEach(r -> costs.computeIfAbsent(new MoneyKey(r.value1(), r.value2(), r.value3()),
                        k -> new TreeMap<>()).merge(r.value4(), r.value5(), BigDecimal::add));
        return costs;
    }

    /** Customers whose first conversion falls in each period, by registration (acquisition) channel. */
    private Map<ChannelPeriodKey, Long> won(Selection selection, Period period) {
        Function<LocalDate, LocalDate> periodOf = periodStart(period);
        Map<ChannelPeriodKey, Long> won = new LinkedHashMap<>();
        LocalDate from = wholeDay(selection.from());
        LocalDate to = wholeDay(selection.to());
        if ((selection.from() == null || from != null) && (selection.to() == null || to != null)) {
            var sums = org.salesledger.projections.jooq.Tables.ATTRIBUTION_WON;
            db.select(sums.BUCKET, sums.CHANNEL, DSL.sum(sums.CUSTOMERS)).from(sums)
                    .where(daysAndMonths(sums.GRAIN, sums.BUCKET, from, to)).groupBy(sums.BUCKET, sums.CHANNEL)
                    .forEach(r -> won.merge(new ChannelPeriodKey(r.value2(), periodOf.apply(r.value1())),
                            r.value3().longValue(), Long::sum));
            won.values().removeIf(n -> n == 0);
            return won;
        }
        AttributionCustomer c = ATTRIBUTION_CUSTOMER;
        Field<LocalDate> start = periodStartSql(period, c.FIRST_CONVERSION_AT);
        Condition where = c.FIRST_CONVERSION_AT.isNotNull();
        if (selection.from() != null) {
            where = where.and(c.FIRST_CONVERSION_AT.ge(utc(selection.from())));
        }
        if (selection.to() != null) {
            where = where.and(c.FIRST_CONVERSION_AT.lt(utc(selection.to())));
        }
        db.select(c.CHANNEL, start, DSL.count()).from(c).where(where).groupBy(c.CHANNEL, start)
                .forEach(r -> won.put(new ChannelPeriodKey(r.value1(), r.value2()), r.value3().longValue()));
        return won;
    }

    private static Field<LocalDate> periodStartSql(Period period, Field<OffsetDateTime> time) {
        return DSL.field("cast(date_trunc({0}, {1} at time zone 'UTC') as date)", SQLDataType.LOCALDATE,
                DSL.inline(unit(period)), time);
    }

    private static String unit(Period period) {
        return switch (period) {
            case MONTH -> "month";
            case QUARTER -> "quarter";
            case YEAR -> "year";
        };
    }

    static Function<LocalDate, LocalDate> periodStart(Period period) {
        return switch (period) {
            case MONTH -> d -> d.withDayOfMonth(1);
            case QUARTER -> d -> LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1);
            case YEAR -> d -> LocalDate.of(d.getYear(), 1, 1);
        };
    }

    private static LocalDate next(Period period, LocalDate start) {
        return switch (period) {
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
            case YEAR -> start.plusYears(1);
        };
    }

    static String label(Period period, LocalDate start) {
        return switch (period) {
            case MONTH -> String.format("%04d-%02d", start.getYear(), start.getMonthValue());
            case QUARTER -> start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
            case YEAR -> String.valueOf(start.getYear());
        };
    }

    /** The money figures of one channel, period and currency as they are gathered. */
    private static final class Money {
        final Map<String, BigDecimal> costByCategory = new TreeMap<>();
        BigDecimal revenue = BigDecimal.ZERO;

        CurrencyFigures figures(String currency, long won) {
            BigDecimal cost = costByCategory.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            List<String> notes = new ArrayList<>();
            BigDecimal cac = null;
            if (won > 0) {
                cac = cost.divide(BigDecimal.valueOf(won), AttributionRules.PRECISION);
            } else {
                notes.add("CAC is undefined: no customer of this channel had a first contract in this period");
            }
            BigDecimal roi = null;
            if (cost.signum() > 0) {
                roi = revenue.subtract(cost).divide(cost, AttributionRules.PRECISION);
            } else {
                notes.add("ROI is undefined: no cost in " + currency + " was recorded for this channel in this period");
            }
            return new CurrencyFigures(currency, cost, costByCategory, cac, revenue, roi, notes);
        }
    }

    private static final class Row {
        long won;
        final Map<String, Money> money = new TreeMap<>();

        Money money(String currency) {
            return money.computeIfAbsent(currency, k -> new Money());
        }
    }

    private record ChannelPeriodKey(String channel, LocalDate period) implements Comparable<ChannelPeriodKey> {
        @Override
        public int compareTo(ChannelPeriodKey o) {
            int c = channel.compareTo(o.channel);
            return c != 0 ? c : period.compareTo(o.period);
        }
    }

    private record MoneyKey(String channel, LocalDate period, String currency) {
    }

    // ---- journeys for the data-driven models ----

    @Override
    public void journeys(Scope scope, int lookbackDays, Selection selection, Consumer<Journey> sink) {
        AttributionCustomer c = ATTRIBUTION_CUSTOMER;
        AttributionTouch t = ATTRIBUTION_TOUCH;
        AttributionConversion v = ATTRIBUTION_CONVERSION;
        Condition selected = customers(c, scope, selection);
        if (selection.from() != null) {
            selected = selected.and(c.FIRST_CONVERSION_AT.isNull()
                    .or(c.FIRST_CONVERSION_AT.ge(utc(selection.from()))));
        }
        if (selection.to() != null) {
            selected = selected.and(c.REGISTERED_AT.lt(utc(selection.to())));
        }
        Condition customersSelected = selected;
        Condition touchesSelected = t.CUSTOMER_ID.in(DSL.select(c.CUSTOMER_ID).from(c).where(customersSelected));
        Condition conversionsSelected = v.CUSTOMER_ID.in(DSL.select(c.CUSTOMER_ID).from(c).where(customersSelected));
        if (selection.to() != null) {
            touchesSelected = touchesSelected.and(t.OCCURRED_AT.lt(utc(selection.to())));
            conversionsSelected = conversionsSelected.and(v.OCCURRED_AT.lt(utc(selection.to())));
        }
        if (selection.from() != null) {
            conversionsSelected = conversionsSelected.and(v.OCCURRED_AT.ge(utc(selection.from())));
        }
        Condition touchesWhere = touchesSelected;
        Condition conversionsWhere = conversionsSelected;
        long to = selection.to() == null ? Long.MAX_VALUE : Micros.of(selection.to());
        db.transaction(tx -> {
            DSLContext read = tx.dsl();
            try (Cursor<? extends Record> customers = read.select(c.CUSTOMER_ID, c.FIRST_CONVERSION_AT).from(c)
                    .where(customersSelected).orderBy(c.CUSTOMER_ID).fetchSize(FETCH_SIZE).fetchLazy();
                 Cursor<? extends Record> touches = read.select(t.CUSTOMER_ID, t.CHANNEL, t.OCCURRED_AT, t.SEQ)
                         .from(t).where(touchesWhere).orderBy(t.CUSTOMER_ID).fetchSize(FETCH_SIZE).fetchLazy();
                 Cursor<? extends Record> conversions = read.select(v.CUSTOMER_ID, v.AMOUNT, v.CURRENCY).from(v)
                         .where(conversionsWhere).orderBy(v.CUSTOMER_ID).fetchSize(FETCH_SIZE).fetchLazy()) {
                Peeking touchRows = new Peeking(touches);
                Peeking conversionRows = new Peeking(conversions);
                for (Record customer : customers) {
                    String id = customer.get(c.CUSTOMER_ID);
                    Long first = micros(customer.get(c.FIRST_CONVERSION_AT));
                    boolean converted = first != null && first < to;
                    List<Touch> path = new ArrayList<>();
                    while (touchRows.peek() != null && id.equals(touchRows.peek().get(t.CUSTOMER_ID))) {
                        Record r = touchRows.next();
                        path.add(new Touch(r.get(t.CHANNEL), Micros.of(r.get(t.OCCURRED_AT)), r.get(t.SEQ)));
                    }
                    path.sort(null);
                    if (converted) {
                        path = AttributionRules.window(path, first, lookbackDays);
                    }
                    Map<String, Revenue> value = new TreeMap<>();
                    int count = 0;
                    while (conversionRows.peek() != null && id.equals(conversionRows.peek().get(v.CUSTOMER_ID))) {
                        Record r = conversionRows.next();
                        value.merge(r.get(v.CURRENCY), new Revenue(1, r.get(v.AMOUNT)),
                                (a, b) -> new Revenue(a.conversions() + b.conversions(), a.amount().add(b.amount())));
                        count++;
                    }
                    sink.accept(new Journey(id, path.stream().map(Touch::channel).toList(), converted,
                            converted ? count : 0, converted ? value : Map.of()));
                }
            }
        });
    }

    @Override
    public DataDrivenAttribution dataDriven(Scope scope, DataDrivenModel model, int order, int lookbackDays,
                                            Selection selection) {
        Definitions definitions = definitions();
        return new DataDrivenAttribution(model, order, lookbackDays, dataDrivenChannels(scope, model, order,
                lookbackDays, selection, definitions.effective()), notes(definitions));
    }

    private List<ChannelCredit> dataDrivenChannels(Scope scope, DataDrivenModel model, int order, int lookbackDays,
                                                   Selection selection, AttributionDefinition definition) {
        org.salesledger.projections.attribution.datadriven.Attribution result = model.attribute(
                paths(scope, lookbackDays, selection, definition), order);
        List<ChannelCredit> channels = new ArrayList<>();
        for (Credit credit : result.credits()) {
            credit.byCurrency().forEach((currency, share) -> {
                BigDecimal conversions = conversions(share.conversions());
                if (conversions.signum() != 0 || share.revenue().signum() != 0) {
                    channels.add(new ChannelCredit(credit.channel(), currency, conversions, share.revenue()));
                }
            });
        }
        return channels;
    }

    /**
     * The {@link #journeys journeys} of the selection summed per distinct path by PostgreSQL, as
     * {@link PathTotals} sums them (an empty path is {@code (none)}): only one row per path and currency leaves
     * the database instead of every customer's touches and conversions.
     */
    List<org.salesledger.projections.attribution.datadriven.Journey> paths(Scope scope, int lookbackDays,
                                                                           Selection selection) {
        return paths(scope, lookbackDays, selection, definitions().effective());
    }

    private List<org.salesledger.projections.attribution.datadriven.Journey> paths(
            Scope scope, int lookbackDays, Selection selection, AttributionDefinition definition) {
        return definition.windows().stream().anyMatch(w -> w.lookbackDays() == lookbackDays)
                ? precomputedPaths(scope, lookbackDays, selection) : computedPaths(scope, lookbackDays, selection);
    }

    /**
     * The {@link #paths} of a precomputed lookback from the paths the projection keeps ({@code attribution_path}),
     * grouped by PostgreSQL by the paths' fixed-width keys (ADR 0017) in two statements: customers not converted by
     * {@code to} by their path of all touches — cut to its touches before {@code to} where they reach past it, a
     * prefix of the kept path found from the kept touch times —; converted customers by their path of the lookback,
     * with their conversions in the selection per currency. One narrow row per selected customer is grouped instead
     * of every touch; the groups (one per distinct key) get the memory to stay off the disk, and their keys are
     * turned into paths in Java ({@link PathKeys}). Over all customers (no filter, no {@code to}) the kept rows say
     * who has converted, so the customers are not joined at all.
     */
    List<org.salesledger.projections.attribution.datadriven.Journey> precomputedPaths(Scope scope, int lookbackDays,
                                                                                      Selection selection) {
        AttributionCustomer c = ATTRIBUTION_CUSTOMER;
        AttributionConversion v = ATTRIBUTION_CONVERSION;
        AttributionPath p = ATTRIBUTION_PATH;
        Condition selected = journeysSelected(c, scope, selection);
        Condition convertedByTo = convertedBy(c, selection);
        Condition conversions = within(v.OCCURRED_AT, selection);
        Field<Integer> all = DSL.inline(AttributionProjection.ALL_TOUCHES);
        // the number of touches before `to`, or -1 for all of them
        Field<Integer> kept = selection.to() == null ? DSL.inline(-1) : DSL.field(
                "case when {0} < {1} then -1 else (select cast(count(*) as integer) from unnest({2}) as touch(touch_at)"
                        + " where touch.touch_at < {1}) end", SQLDataType.INTEGER, p.LAST_TOUCH_AT,
                DSL.val(utc(selection.to())), p.TOUCH_TIMES);
        // rows of (key, touches kept or -1, currency, count, amount); a customer without a touch has no kept row
        // and a null key
        List<Object[]> groups = new ArrayList<>();
        boolean allCustomers = scope instanceof Scope.All && selection.region() == null && selection.team() == null
                && selection.rep() == null && selection.to() == null;
        Map<Long, List<String>> paths = new java.util.HashMap<>();
        db.transaction(tx -> {
            DSLContext read = tx.dsl();
            // one snapshot for the statements, so that their counts add up
            read.execute("set transaction isolation level repeatable read");
            read.execute("set local work_mem = '" + GROUPING_MEMORY + "'");
            pathKeys.open(read);
            // no fetch size: the statements run to completion at once (one row per distinct key), so PostgreSQL may
            // run them in parallel, which it never does for a cursor
            if (allCustomers) {
                long withTouches = 0;
                for (Record r : read.select(p.PATH_ID, DSL.count()).from(p)
                        .where(p.LOOKBACK_DAYS.eq(all)).and(p.FIRST_CONVERSION_AT.isNull()).groupBy(p.PATH_ID)) {
                    groups.add(new Object[] {r.get(0, Long.class), -1, null, r.get(1, Long.class), null});
                    withTouches += r.get(1, Long.class);
                }
                long none = read.fetchCount(c, c.FIRST_CONVERSION_AT.isNull()) - withTouches;
                if (none > 0) {
                    groups.add(new Object[] {null, -1, null, none, null});
                }
                Condition window = p.LOOKBACK_DAYS.eq(lookbackDays);
                if (selection.from() != null) {
                    window = window.and(p.FIRST_CONVERSION_AT.ge(utc(selection.from())));
                }
                read.select(p.PATH_ID, v.CURRENCY, DSL.count(), DSL.sum(v.AMOUNT)).from(p).join(v)
                        .on(v.CUSTOMER_ID.eq(p.CUSTOMER_ID)).where(window.and(conversions))
                        .groupBy(p.PATH_ID, v.CURRENCY).forEach(r -> groups.add(new Object[] {r.get(0, Long.class),
                                -1, r.get(1, String.class), r.get(2, Long.class), r.get(3, BigDecimal.class)}));
            } else {
                read.select(p.PATH_ID, kept, DSL.count()).from(c).leftJoin(p)
                        .on(p.CUSTOMER_ID.eq(c.CUSTOMER_ID)).and(p.LOOKBACK_DAYS.eq(all))
                        .where(selected.and(DSL.not(convertedByTo))).groupBy(DSL.inline(1), DSL.inline(2))
                        .forEach(r -> groups.add(new Object[] {r.get(0, Long.class), r.get(1, Integer.class), null,
                                r.get(2, Long.class), null}));
                read.select(p.PATH_ID, v.CURRENCY, DSL.count(), DSL.sum(v.AMOUNT)).from(c).join(p)
                        .on(p.CUSTOMER_ID.eq(c.CUSTOMER_ID)).and(p.LOOKBACK_DAYS.eq(lookbackDays))
                        .join(v).on(v.CUSTOMER_ID.eq(c.CUSTOMER_ID))
                        .where(selected.and(convertedByTo).and(conversions))
                        .groupBy(p.PATH_ID, v.CURRENCY).forEach(r -> groups.add(new Object[] {r.get(0, Long.class),
                                -1, r.get(1, String.class), r.get(2, Long.class), r.get(3, BigDecimal.class)}));
            }
            paths.putAll(pathKeys.paths(read, groups.stream().map(g -> (Long) g[0])
                    .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet())));
        });
        Map<List<String>, PathTotals.Totals> byPath = new java.util.HashMap<>();
        for (Object[] g : groups) {
            List<String> path = g[0] == null ? List.of() : paths.get((Long) g[0]);
            int touches = (Integer) g[1];
            add(byPath, touches < 0 || touches >= path.size() ? path : path.subList(0, touches), (String) g[2],
                    (Long) g[3], (BigDecimal) g[4]);
        }
        return PathTotals.journeys(byPath);
    }

    static void add(Map<List<String>, PathTotals.Totals> byPath, Record r) {
        String[] channels = r.get(0, String[].class);
        add(byPath, channels == null ? List.of() : List.of(channels), r.get(1, String.class), r.get(2, Long.class),
                r.get(3, BigDecimal.class));
    }

    /** Adds a group of journeys of one path: non-converting ones without a currency, else their conversions. */
    private static void add(Map<List<String>, PathTotals.Totals> byPath, List<String> channels, String currency,
                            long n, BigDecimal amount) {
        List<String> path = channels.isEmpty() ? List.of(PathTotals.NONE) : channels;
        PathTotals.Totals totals = byPath.computeIfAbsent(path, k -> new PathTotals.Totals());
        if (currency == null) {
            totals.nonConversions += n;
        } else {
            totals.conversions += n;
            totals.revenue.merge(currency, new Revenue(n, amount),
                    (x, y) -> new Revenue(x.conversions() + y.conversions(), x.amount().add(y.amount())));
        }
    }

    /**
     * The customers whose journeys a data-driven model weighs: those of the selection (and the scope) registered
     * before its end, without a conversion before its start.
     */
    static Condition journeysSelected(AttributionCustomer c, Scope scope, Selection selection) {
        Condition selected = customers(c, scope, selection);
        if (selection.from() != null) {
            selected = selected.and(c.FIRST_CONVERSION_AT.isNull()
                    .or(c.FIRST_CONVERSION_AT.ge(utc(selection.from()))));
        }
        if (selection.to() != null) {
            selected = selected.and(c.REGISTERED_AT.lt(utc(selection.to())));
        }
        return selected;
    }

    /** Customers that converted before the selection's end. */
    static Condition convertedBy(AttributionCustomer c, Selection selection) {
        Condition converted = c.FIRST_CONVERSION_AT.isNotNull();
        if (selection.to() != null) {
            converted = converted.and(c.FIRST_CONVERSION_AT.lt(utc(selection.to())));
        }
        return converted;
    }

    /** The {@link #paths} of any lookback, each customer's path aggregated from its touches when asked. */
    List<org.salesledger.projections.attribution.datadriven.Journey> computedPaths(Scope scope, int lookbackDays,
                                                                                   Selection selection) {
        AttributionCustomer c = ATTRIBUTION_CUSTOMER;
        AttributionTouch t = ATTRIBUTION_TOUCH;
        AttributionConversion v = ATTRIBUTION_CONVERSION;
        Condition selected = journeysSelected(c, scope, selection);
        Condition converted = convertedBy(c, selection);
        Condition touches = selection.to() == null ? DSL.noCondition() : t.OCCURRED_AT.lt(utc(selection.to()));
        Condition conversions = within(v.OCCURRED_AT, selection);
        // a converted customer's path: its touches at or before its first conversion and within the window
        String sql = """
                with sel as materialized (
                    select {0} as customer_id, {1} as first_at, {2} as converted from {3} where {4}),
                p as materialized (
                    select sel.customer_id, sel.converted,
                           coalesce(array_agg({5} order by {6}, {7}) filter (where {5} is not null),
                                    array[]::varchar[]) as path
                    from sel left join {8} on {9} = sel.customer_id and {10}
                         and (not sel.converted or ({6} <= sel.first_at
                              and {6} >= sel.first_at - make_interval(hours => {11})))
                    group by sel.customer_id, sel.converted),
                conv as (
                    select {12} as customer_id, {13} as currency, count(*) as n, sum({14}) as amount
                    from {15} join sel on sel.customer_id = {12} and sel.converted
                    where {16}
                    group by {12}, {13})
                select p.path, cast(null as varchar) as currency, count(*) as n, cast(null as numeric) as amount
                from p where not p.converted group by p.path
                union all
                select p.path, conv.currency, sum(conv.n), sum(conv.amount)
                from p join conv on conv.customer_id = p.customer_id group by p.path, conv.currency
                """;
        Map<List<String>, PathTotals.Totals> byPath = new java.util.HashMap<>();
        db.resultQuery(sql, c.CUSTOMER_ID, c.FIRST_CONVERSION_AT, DSL.field(converted), c, selected, t.CHANNEL,
                t.OCCURRED_AT, t.SEQ, t, t.CUSTOMER_ID, touches, DSL.val(lookbackDays * 24), v.CUSTOMER_ID,
                v.CURRENCY, v.AMOUNT, v, conversions).forEach(r -> add(byPath, r));
        return PathTotals.journeys(byPath);
    }

    private static BigDecimal conversions(double share) {
        BigDecimal rounded = new BigDecimal(share).round(
                new MathContext(DataDrivenAttribution.CONVERSION_DIGITS, RoundingMode.HALF_EVEN));
        return rounded.signum() == 0 ? BigDecimal.ZERO : rounded;
    }

    // ---- the definition ----

    @Override
    public Definitions definitions() {
        var t = ATTRIBUTION_DEFINITION;
        AttributionDefinition built = db.select(t.TOUCH_TYPES, t.WINDOWS).from(t).where(t.ID.eq((short) 1))
                .fetchOptional(r -> AttributionDefinition.parse(r.value1(), r.value2())).orElse(null);
        return new Definitions(built, settings.definition());
    }

    // ---- helpers ----

    private record SumKey(LocalDate period, String channel, String currency) implements Comparable<SumKey> {
        @Override
        public int compareTo(SumKey o) {
            int c = period == null || o.period == null ? 0 : period.compareTo(o.period);
            if (c == 0) c = channel.compareTo(o.channel);
            return c != 0 ? c : currency.compareTo(o.currency);
        }
    }

    private static final class Totals {
        BigDecimal conversions = BigDecimal.ZERO;
        BigDecimal revenue = BigDecimal.ZERO;

        void add(BigDecimal conversions, BigDecimal revenue) {
            this.conversions = this.conversions.add(conversions);
            this.revenue = this.revenue.add(revenue);
        }
    }

    /** A cursor that can look at its next record before taking it. */
    private static final class Peeking {
        private final Cursor<? extends Record> cursor;
        private Record next;

        Peeking(Cursor<? extends Record> cursor) {
            this.cursor = cursor;
            this.next = cursor.fetchNext();
        }

        Record peek() {
            return next;
        }

        Record next() {
            Record current = next;
            next = cursor.fetchNext();
            return current;
        }
    }

    /** {@code time} within the selection's {@code from} (inclusive) and {@code to} (exclusive), where given. */
    private static Condition within(Field<OffsetDateTime> time, Selection selection) {
        Condition within = DSL.noCondition();
        if (selection.from() != null) {
            within = within.and(time.ge(utc(selection.from())));
        }
        if (selection.to() != null) {
            within = within.and(time.lt(utc(selection.to())));
        }
        return within;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Long micros(OffsetDateTime time) {
        return time == null ? null : Micros.of(time);
    }
}
