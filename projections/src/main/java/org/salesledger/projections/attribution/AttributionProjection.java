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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.StoredTimes;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.projections.batch.PgArrays;
import org.salesledger.projections.jooq.Tables;
import org.salesledger.projections.jooq.tables.AttributionAction;
import org.salesledger.projections.jooq.tables.AttributionConversion;
import org.salesledger.projections.jooq.tables.AttributionCost;
import org.salesledger.projections.jooq.tables.AttributionCredit;
import org.salesledger.projections.jooq.tables.AttributionCustomer;
import org.salesledger.projections.jooq.tables.AttributionPath;
import org.salesledger.projections.jooq.tables.AttributionPathKey;
import org.salesledger.projections.jooq.tables.AttributionTouch;
import org.salesledger.projections.jooq.tables.records.AttributionActionRecord;
import org.salesledger.projections.jooq.tables.records.AttributionConversionRecord;
import org.salesledger.projections.jooq.tables.records.AttributionCostRecord;
import org.salesledger.projections.jooq.tables.records.AttributionCreditRecord;
import org.salesledger.projections.jooq.tables.records.AttributionCustomerRecord;
import org.salesledger.projections.jooq.tables.records.AttributionPathRecord;
import org.salesledger.projections.jooq.tables.records.AttributionTouchRecord;
import org.salesledger.projections.isolation.BatchIsolation;
import org.salesledger.projections.rebuild.ReadModelTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Builds the attribution read model (ADR 0014): per customer its registration data, stage and the time it reached
 * {@code NEEDS_CONFIRMED}; its touches (as the {@link AttributionDefinition} defines them), conversions and costs;
 * every action's envelope id; and the credit of every rule-based model under every precomputed window, summed per
 * day and owner, per day and per month.
 *
 * <p>The events of one processor batch are applied when the batch commits, in the transaction that also stores
 * the processor's token: the customers of the batch are read once; for each customer whose credit can change (a
 * new conversion, or a new touch once it has converted) its old credit is subtracted and its new credit added;
 * every table is written with a few multi-row statements. Rows from one event are keyed by (customer, sequence
 * number), so a repeated event writes nothing twice and changes no credit. Runs in the {@value #GROUP}
 * processing group.
 */
@Component
@ProcessingGroup(AttributionProjection.GROUP)
class AttributionProjection {

    /**
     * The owner of a customer in the public pool ({@code owner_rep_id} is never null): no rep's id, so no scope of
     * owners and no {@code rep} filter selects it (contract §7: a rep counts the customers it owns now).
     */
    static final String NO_OWNER = "";

    static final String GROUP = "attribution";
    private static final Logger log = LoggerFactory.getLogger(AttributionProjection.class);
    /** PostgreSQL takes at most 32,767 bind values per statement. */
    private static final int MAX_BINDS = 30_000;
    /** The lookback of a customer's path of all its touches in {@code attribution_path}. */
    static final int ALL_TOUCHES = -1;

    private final DSLContext db;
    private final ReadModelTables tables;
    private final AttributionSettings settings;
    private final BatchIsolation isolation;
    /** The definition the tables being written were built with; read from them on first use. */
    private volatile AttributionDefinition effective;

    AttributionProjection(DSLContext db, ReadModelTables tables, AttributionSettings settings) {
        this(db, tables, settings, new BatchIsolation(db, null));
    }

    @Autowired
    AttributionProjection(DSLContext db, @Qualifier(AttributionTables.BEAN) ReadModelTables tables,
                          AttributionSettings settings, BatchIsolation isolation) {
        this.db = db;
        this.tables = tables;
        this.settings = settings;
        this.isolation = isolation;
    }

    /** One action as the projection needs it: when it happened, to the microsecond. */
    record Incoming(CustomerAction action, long seq, String actionId, long at) {
    }

    @EventHandler
    void on(CustomerAction action, @SequenceNumber Long sequence, MetaData metadata) {
        OffsetDateTime time = StoredTimes.offsetDateTime((String) metadata.get(ActionMetadata.OCCURRED_AT));
        Incoming incoming = new Incoming(action, sequence, (String) metadata.get(ActionMetadata.ACTION_ID),
                Micros.of(time));
        // applied with its batch when it commits, before the token is stored; a customer whose write fails is
        // parked, never skipped (ADR 0022)
        isolation.handle(GROUP, action.customerId().value(), sequence, incoming, this::apply);
    }

    @ResetHandler
    synchronized void reset() {
        for (Table<?> table : List.of(customers(), touches(), conversions(), actions(), costs(), credits(),
                costSums(), wonSums(), paths(), pathKeysTable(), definitions())) {
            db.truncate(table).execute();
        }
        effective = null;
        definition();
    }

    // ---- applying a batch ----

    void apply(List<Incoming> batch) {
        if (batch.isEmpty()) {
            return;
        }
        AttributionDefinition definition = definition();
        Map<String, List<Incoming>> byCustomer = new LinkedHashMap<>();
        batch.forEach(e -> byCustomer.computeIfAbsent(e.action().customerId().value(), k -> new ArrayList<>()).add(e));
        Map<String, CustomerState> customers = loadCustomers(byCustomer.keySet());
        // a customer's credit changes only with a new conversion, or a new touch or owner once it has conversions
        // (its stage, and so the time it reached NEEDS_CONFIRMED, is final from its first conversion on); its path
        // changes with a new touch or conversion
        List<String> withJourney = byCustomer.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(i -> i.action() instanceof ContractSigned
                        || definition.touchChannel(i.action()) != null
                        || (hasConversions(customers.get(e.getKey())) && (i.action() instanceof CustomerReassigned
                                || i.action() instanceof CustomerReleasedToPool))))
                .map(Map.Entry::getKey).toList();
        Map<String, JourneyRows> journeys = loadJourneys(withJourney);

        Writes writes = new Writes();
        Credits credits = new Credits();
        byCustomer.forEach((id, actions) -> {
            CustomerState state = customers.get(id);
            Long firstBefore = state == null ? null : state.firstConversionAt;
            JourneyRows journey = journeys.get(id);
            if (journey != null && state != null && !journey.conversions.isEmpty()) {
                credits.add(journey.of(state), definition, -1);
            }
            for (Incoming e : actions) {
                if (state == null) {
                    if (!(e.action() instanceof CustomerRegistered registered)) {
                        log.warn("attribution: {} of unregistered customer {} skipped", ActionTypes.nameOf(e.action()), id);
                        continue;
                    }
                    state = CustomerState.registered(registered, e.seq(), e.at());
                    customers.put(id, state);
                } else if (e.action() instanceof CustomerRegistered) {
                    continue;
                }
                apply(e, state, journey, definition, writes);
            }
            if (state != null && state.changed) {
                writes.customers.add(state);
            }
            if (state != null && !java.util.Objects.equals(firstBefore, state.firstConversionAt)) {
                if (firstBefore != null) {
                    writes.won(state.channel, firstBefore, -1);
                }
                writes.won(state.channel, state.firstConversionAt, 1);
            }
            if (journey != null && state != null && !journey.conversions.isEmpty()) {
                credits.add(journey.of(state), definition, 1);
            }
            if (journey != null && state != null) {
                writes.addPaths(state, journey, definition);
            }
        });
        writes.resolveCosts(customers);
        writes.flush(credits);
    }

    /**
     * Applies one action. Safe to repeat: the stage only moves forward (a repeated action cannot move it), the
     * time of {@code NEEDS_CONFIRMED} and of the first conversion are set once or only move earlier, rows are keyed
     * by (customer, sequence number), and the journey in memory takes a touch or conversion only once.
     */
    private void apply(Incoming e, CustomerState state, JourneyRows journey, AttributionDefinition definition,
                       Writes writes) {
        String customerId = state.customerId;
        if (e.action() instanceof CustomerReassigned reassigned && reassigned.toRepId() != null
                && e.seq() > state.ownerSeq) {
            state.rep = reassigned.toRepId().value();
            state.ownerSeq = e.seq();
            state.changed = true;
        }
        if (e.action() instanceof CustomerReleasedToPool && e.seq() > state.ownerSeq) {
            // in the public pool: nobody's until claimed (a claim is a reassignment), so in no rep's figures
            state.rep = NO_OWNER;
            state.ownerSeq = e.seq();
            state.changed = true;
        }
        Stage next = Lifecycle.next(state.stage, e.action());
        if (state.needsConfirmedAt == null && next != Stage.LOST
                && next.ordinal() >= Stage.NEEDS_CONFIRMED.ordinal()) {
            state.needsConfirmedAt = e.at();
            state.changed = true;
        }
        if (next != state.stage) {
            state.stage = next;
            state.changed = true;
        }
        String channel = definition.touchChannel(e.action());
        if (channel != null && (journey == null || journey.touchSeqs.add(e.seq()))) {
            writes.touches.add(new AttributionTouchRecord(customerId, e.seq(), Micros.utc(e.at()), channel,
                    ActionTypes.nameOf(e.action()), e.actionId()));
            if (journey != null) {
                journey.touches.add(new Touch(channel, e.at(), e.seq()));
            }
        }
        if (e.action() instanceof ContractSigned contract && journey.conversionSeqs.add(e.seq())) {
            writes.conversions.add(new AttributionConversionRecord(customerId, e.seq(), Micros.utc(e.at()),
                    contract.amount().value(), contract.amount().currency(), contract.contractId(), e.actionId()));
            journey.conversions.add(new Conversion(e.at(), e.seq(), contract.amount().value(),
                    contract.amount().currency()));
            if (state.firstConversionAt == null || e.at() < state.firstConversionAt) {
                state.firstConversionAt = e.at();
                state.changed = true;
            }
        }
        if (e.action() instanceof CostIncurred cost) {
            writes.costs.add(new AttributionCostRecord(customerId, e.seq(), Micros.utc(e.at()), cost.category(),
                    cost.amount().value(), cost.amount().currency(), blankToNull(cost.channel()),
                    blankToNull(cost.refActionId()), e.actionId(), null));
        }
        if (e.actionId() != null) {
            writes.actions.add(new AttributionActionRecord(e.actionId(), customerId, channel));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean hasConversions(CustomerState state) {
        return state != null && state.firstConversionAt != null;
    }

    // ---- reading the customers of a batch ----

    /** A customer's row, changed in memory while its actions of the batch are applied. */
    static final class CustomerState {
        final String customerId;
        final String region;
        final String team;
        /** The current owner, made by the action with sequence number {@code ownerSeq}. */
        String rep;
        long ownerSeq;
        final String channel;
        final long registeredAt;
        Stage stage;
        Long needsConfirmedAt;
        Long firstConversionAt;
        /** Whether the row must be written. */
        boolean changed;

        CustomerState(String customerId, String region, String team, String rep, long ownerSeq, String channel,
                      long registeredAt, Stage stage, Long needsConfirmedAt, Long firstConversionAt) {
            this.customerId = customerId;
            this.region = region;
            this.team = team;
            this.rep = rep;
            this.ownerSeq = ownerSeq;
            this.channel = channel;
            this.registeredAt = registeredAt;
            this.stage = stage;
            this.needsConfirmedAt = needsConfirmedAt;
            this.firstConversionAt = firstConversionAt;
        }

        static CustomerState registered(CustomerRegistered r, long seq, long at) {
            // the registration itself is applied next, which sets the stage
            CustomerState state = new CustomerState(r.customerId().value(), r.region(), r.team(),
                    r.ownerRepId().value(), seq, r.channel(), at, null, null, null);
            state.changed = true;
            return state;
        }
    }

    /** The touches and conversions of a customer whose credit may change, as stored and as the batch adds. */
    static final class JourneyRows {
        final List<Touch> touches = new ArrayList<>();
        final List<Conversion> conversions = new ArrayList<>();
        final Set<Long> touchSeqs = new HashSet<>();
        final Set<Long> conversionSeqs = new HashSet<>();

        CustomerJourney of(CustomerState state) {
            return new CustomerJourney(state.region, state.team, state.rep, state.needsConfirmedAt, touches,
                    conversions);
        }
    }

    private Map<String, CustomerState> loadCustomers(Set<String> ids) {
        AttributionCustomer c = customers();
        Map<String, CustomerState> states = new HashMap<>();
        db.selectFrom(c).where(c.CUSTOMER_ID.in(ids)).forEach(r -> states.put(r.getCustomerId(), new CustomerState(
                r.getCustomerId(), r.getRegion(), r.getTeam(), r.getOwnerRepId(), r.getOwnerSeq(), r.getChannel(),
                Micros.of(r.getRegisteredAt()), Stage.valueOf(r.getStage()), micros(r.getNeedsConfirmedAt()),
                micros(r.getFirstConversionAt()))));
        return states;
    }

    private Map<String, JourneyRows> loadJourneys(List<String> ids) {
        Map<String, JourneyRows> journeys = new HashMap<>();
        if (ids.isEmpty()) {
            return journeys;
        }
        ids.forEach(id -> journeys.put(id, new JourneyRows()));
        AttributionTouch t = touches();
        db.select(t.CUSTOMER_ID, t.CHANNEL, t.OCCURRED_AT, t.SEQ).from(t).where(t.CUSTOMER_ID.in(ids))
                .forEach(r -> {
                    JourneyRows journey = journeys.get(r.value1());
                    journey.touches.add(new Touch(r.value2(), Micros.of(r.value3()), r.value4()));
                    journey.touchSeqs.add(r.value4());
                });
        AttributionConversion v = conversions();
        db.select(v.CUSTOMER_ID, v.OCCURRED_AT, v.SEQ, v.AMOUNT, v.CURRENCY).from(v).where(v.CUSTOMER_ID.in(ids))
                .forEach(r -> {
                    JourneyRows journey = journeys.get(r.value1());
                    journey.conversions.add(new Conversion(Micros.of(r.value2()), r.value3(), r.value4(), r.value5()));
                    journey.conversionSeqs.add(r.value3());
                });
        return journeys;
    }

    private static Long micros(OffsetDateTime time) {
        return time == null ? null : Micros.of(time);
    }

    // ---- writing a batch ----

    /** The rows of one batch, written with one multi-row statement per table (more when a batch is large). */
    private final class Writes {
        final List<CustomerState> customers = new ArrayList<>();
        final List<AttributionTouchRecord> touches = new ArrayList<>();
        final List<AttributionConversionRecord> conversions = new ArrayList<>();
        final List<AttributionCostRecord> costs = new ArrayList<>();
        final List<AttributionActionRecord> actions = new ArrayList<>();
        final List<KeptPath> paths = new ArrayList<>();

        /**
         * The customer's paths as its touches and first conversion now make them: all its touches (lookback −1,
         * with their times) once it has one, and, once it has converted, the touches of each precomputed lookback
         * before its first conversion — the paths {@code AttributionQueries.journeys} gives the data-driven models;
         * each row also carries the customer's first conversion.
         */
        void addPaths(CustomerState state, JourneyRows journey, AttributionDefinition definition) {
            List<Touch> sorted = new ArrayList<>(journey.touches);
            sorted.sort(null);
            OffsetDateTime firstConversion = state.firstConversionAt == null ? null
                    : Micros.utc(state.firstConversionAt);
            if (!sorted.isEmpty()) {
                paths.add(new KeptPath(state.customerId, ALL_TOUCHES, channels(sorted),
                        Micros.utc(sorted.get(sorted.size() - 1).at()),
                        sorted.stream().map(t -> Micros.utc(t.at())).toArray(OffsetDateTime[]::new), firstConversion));
            }
            if (state.firstConversionAt != null) {
                definition.windows().stream().map(Window::lookbackDays).distinct().forEach(days -> paths.add(
                        new KeptPath(state.customerId, days, channels(AttributionRules.window(sorted,
                                state.firstConversionAt, days)), null, null, firstConversion)));
            }
        }

        private static List<String> channels(List<Touch> touches) {
            return touches.stream().map(Touch::channel).toList();
        }

        /** Customers won: +1 or −1 on the day and month of a first contract, by acquisition channel. */
        final Map<List<Object>, Integer> won = new java.util.TreeMap<>(KEY_ORDER);

        void won(String channel, long firstConversionAt, int delta) {
            java.time.LocalDate day = Micros.utc(firstConversionAt).toLocalDate();
            won.merge(List.of(Credits.DAY, day, channel), delta, Integer::sum);
            won.merge(List.of(Credits.MONTH, day.withDayOfMonth(1), channel), delta, Integer::sum);
        }

        /**
         * Resolves each cost's channel where it can be known now: its own channel; else its customer's
         * registration channel (no {@code refActionId}); else, for the action it refers to (of this batch or
         * already stored), that action's touch channel or its customer's registration channel. A cost whose
         * action is not known yet stays unresolved and is resolved when asked.
         */
        void resolveCosts(Map<String, CustomerState> states) {
            Map<String, String> refChannels = new HashMap<>();
            Map<String, String> touchChannels = new HashMap<>();
            Map<String, String> owners = new HashMap<>();
            for (AttributionActionRecord a : actions) {
                touchChannels.put(a.getActionId(), a.getTouchChannel());
                owners.put(a.getActionId(), a.getCustomerId());
            }
            List<String> unknown = new ArrayList<>();
            for (AttributionCostRecord cost : costs) {
                String ref = cost.getRefActionId();
                if (cost.getChannel() == null && ref != null) {
                    if (owners.containsKey(ref)) {
                        String touch = touchChannels.get(ref);
                        CustomerState owner = states.get(owners.get(ref));
                        refChannels.put(ref, touch != null ? touch : owner == null ? null : owner.channel);
                    } else {
                        unknown.add(ref);
                    }
                }
            }
            if (!unknown.isEmpty()) {
                AttributionAction a = actions();
                AttributionCustomer c = customers();
                db.select(a.ACTION_ID, a.TOUCH_CHANNEL, c.CHANNEL).from(a).join(c).on(c.CUSTOMER_ID.eq(a.CUSTOMER_ID))
                        .where(a.ACTION_ID.in(unknown))
                        .forEach(r -> refChannels.put(r.value1(), r.value2() != null ? r.value2() : r.value3()));
            }
            for (AttributionCostRecord cost : costs) {
                if (cost.getChannel() != null) {
                    cost.setResolvedChannel(cost.getChannel());
                } else if (cost.getRefActionId() == null) {
                    CustomerState own = states.get(cost.getCustomerId());
                    cost.setResolvedChannel(own == null ? null : own.channel);
                } else {
                    cost.setResolvedChannel(refChannels.get(cost.getRefActionId()));
                }
            }
        }

        /**
         * The customers' own rows first; the sums shared by many customers (costs, credits, customers won) last.
         * Another transaction adding to a sum row this one changed waits for this one's commit — in a rebuild, the
         * other appliers, whose customers share days, channels and reps — so those rows are locked for the shortest
         * time.
         */
        void flush(Credits credits) {
            writeCustomers();
            insertNew(touches(), touches);
            insertNew(conversions(), conversions);
            CostSums costSums = insertCosts();
            insertNew(actions(), actions);
            writePaths();
            writeCostSums(costSums);
            writeCredits(credits.changes());
            writeWon();
        }

        /** Each customer's paths by their key, the paths not yet in the dictionary added to it first. */
        private void writePaths() {
            if (paths.isEmpty()) {
                return;
            }
            Map<List<String>, Long> keys = pathKeys(paths.stream().map(KeptPath::path).distinct().toList());
            AttributionPath p = paths();
            List<AttributionPathRecord> rows = new ArrayList<>();
            for (KeptPath kept : paths) {
                rows.add(new AttributionPathRecord(kept.customerId(), kept.lookbackDays(), kept.lastTouchAt(),
                        keys.get(kept.path()), kept.touchTimes(), kept.firstConversionAt()));
            }
            rows.sort(java.util.Comparator.comparing(AttributionPathRecord::getCustomerId)
                    .thenComparing(AttributionPathRecord::getLookbackDays));
            chunks(rows, p.fields().length, chunk -> db.insertInto(p, p.fields()).valuesOfRecords(chunk)
                    .onConflict(p.CUSTOMER_ID, p.LOOKBACK_DAYS).doUpdate()
                    .set(p.PATH_ID, DSL.excluded(p.PATH_ID))
                    .set(p.LAST_TOUCH_AT, DSL.excluded(p.LAST_TOUCH_AT))
                    .set(p.TOUCH_TIMES, DSL.excluded(p.TOUCH_TIMES))
                    .set(p.FIRST_CONVERSION_AT, DSL.excluded(p.FIRST_CONVERSION_AT))
                    .execute());
        }

        /**
         * The keys of {@code wanted} in the path dictionary, adding the paths it lacks. A path is found by its
         * hash ({@link #PATH_HASH}) and added with "on conflict do nothing" — in an order every segment shares,
         * so that concurrent segments wait on each other without a deadlock — then read back: a path another
         * segment added at the same moment gets that segment's key.
         */
        private Map<List<String>, Long> pathKeys(List<List<String>> wanted) {
            AttributionPathKey k = pathKeysTable();
            Map<List<String>, Long> keys = new HashMap<>();
            readKeys(k, wanted, keys);
            List<List<String>> missing = wanted.stream().filter(path -> !keys.containsKey(path)).toList();
            if (missing.isEmpty()) {
                return keys;
            }
            List<org.jooq.Row2<byte[], String[]>> rows = missing.stream()
                    .sorted(java.util.Comparator.comparing(AttributionProjection::sha256, java.util.Arrays::compare))
                    .map(path -> DSL.row(pathHash(path), DSL.val(path.toArray(String[]::new), k.PATH)))
                    .toList();
            chunks(rows, 2, chunk -> db.insertInto(k, k.PATH_HASH, k.PATH).valuesOfRows(chunk)
                    .onConflict(k.PATH_HASH).doNothing().execute());
            readKeys(k, missing, keys);
            for (List<String> path : missing) {
                if (!keys.containsKey(path)) {
                    throw new IllegalStateException("the path " + path + " is not in " + k.getName()
                            + " after it was added");
                }
            }
            return keys;
        }

        private void readKeys(AttributionPathKey k, List<List<String>> paths, Map<List<String>, Long> keys) {
            chunks(paths, 1, chunk -> db.select(k.PATH_ID, k.PATH).from(k)
                    .where(k.PATH_HASH.in(chunk.stream().map(AttributionProjection::pathHash).toList()))
                    .forEach(r -> keys.put(List.of(r.value2()), r.value1())));
        }

        /** What the new costs add to the cost sums, by key. */
        private record CostSums(Map<List<Object>, BigDecimal> amounts, Map<List<Object>, Integer> counts) {
        }

        /** The new costs; answers what the resolved ones among them add to the sums (a repeated cost is not new). */
        private CostSums insertCosts() {
            AttributionCost t = costs();
            Map<List<Object>, BigDecimal> amounts = new java.util.TreeMap<>(KEY_ORDER);
            Map<List<Object>, Integer> counts = new HashMap<>();
            Map<List<Object>, AttributionCostRecord> bySeq = new HashMap<>();
            costs.forEach(c -> bySeq.put(List.of(c.getCustomerId(), c.getSeq()), c));
            chunks(costs, t.fields().length, chunk -> db.insertInto(t, t.fields()).valuesOfRecords(chunk)
                    .onConflictDoNothing().returningResult(t.CUSTOMER_ID, t.SEQ).fetch().forEach(r -> {
                        AttributionCostRecord cost = bySeq.get(List.of(r.value1(), r.value2()));
                        if (cost.getResolvedChannel() == null) {
                            return;
                        }
                        java.time.LocalDate day = cost.getOccurredAt().toLocalDate();
                        for (List<Object> key : List.of(
                                List.<Object>of(Credits.DAY, day, cost.getResolvedChannel(), cost.getCurrency(),
                                        cost.getCategory()),
                                List.<Object>of(Credits.MONTH, day.withDayOfMonth(1), cost.getResolvedChannel(),
                                        cost.getCurrency(), cost.getCategory()))) {
                            amounts.merge(key, cost.getAmount(), BigDecimal::add);
                            counts.merge(key, 1, Integer::sum);
                        }
                    }));
            return new CostSums(amounts, counts);
        }

        private void writeCostSums(CostSums added) {
            var sums = costSums();
            List<Object[]> rows = new ArrayList<>();
            added.amounts().forEach((k, amount) -> rows.add(new Object[] {k.get(0), k.get(1), k.get(2), k.get(3),
                    k.get(4), amount, added.counts().get(k)}));
            chunks(rows, 7, chunk -> {
                var insert = db.insertInto(sums, sums.GRAIN, sums.BUCKET, sums.CHANNEL, sums.CURRENCY, sums.CATEGORY,
                        sums.AMOUNT, sums.COSTS);
                for (Object[] row : chunk) {
                    insert = insert.values((String) row[0], (java.time.LocalDate) row[1], (String) row[2],
                            (String) row[3], (String) row[4], (BigDecimal) row[5], (Integer) row[6]);
                }
                insert.onConflict(sums.GRAIN, sums.BUCKET, sums.CHANNEL, sums.CURRENCY, sums.CATEGORY).doUpdate()
                        .set(sums.AMOUNT, sums.AMOUNT.plus(DSL.excluded(sums.AMOUNT)))
                        .set(sums.COSTS, sums.COSTS.plus(DSL.excluded(sums.COSTS)))
                        .execute();
            });
        }

        private void writeWon() {
            var t = wonSums();
            List<Map.Entry<List<Object>, Integer>> changes = won.entrySet().stream().filter(e -> e.getValue() != 0)
                    .toList();
            chunks(changes, 4, chunk -> {
                var insert = db.insertInto(t, t.GRAIN, t.BUCKET, t.CHANNEL, t.CUSTOMERS);
                for (Map.Entry<List<Object>, Integer> e : chunk) {
                    insert = insert.values((String) e.getKey().get(0), (java.time.LocalDate) e.getKey().get(1),
                            (String) e.getKey().get(2), e.getValue());
                }
                insert.onConflict(t.GRAIN, t.BUCKET, t.CHANNEL).doUpdate()
                        .set(t.CUSTOMERS, t.CUSTOMERS.plus(DSL.excluded(t.CUSTOMERS))).execute();
            });
            if (changes.stream().anyMatch(e -> e.getValue() < 0)) {
                db.deleteFrom(t).where(t.CUSTOMERS.eq(0)).execute();
            }
        }

        private void writeCustomers() {
            if (customers.isEmpty()) {
                return;
            }
            AttributionCustomer c = customers();
            List<AttributionCustomerRecord> rows = customers.stream().map(s -> {
                AttributionCustomerRecord row = new AttributionCustomerRecord();
                row.setCustomerId(s.customerId);
                row.setRegion(s.region);
                row.setTeam(s.team);
                row.setOwnerRepId(s.rep);
                row.setOwnerSeq(s.ownerSeq);
                row.setChannel(s.channel);
                row.setRegisteredAt(Micros.utc(s.registeredAt));
                row.setStage(s.stage.name());
                row.setNeedsConfirmedAt(s.needsConfirmedAt == null ? null : Micros.utc(s.needsConfirmedAt));
                row.setFirstConversionAt(s.firstConversionAt == null ? null : Micros.utc(s.firstConversionAt));
                return row;
            }).toList();
            chunks(rows, c.fields().length, chunk -> {
                db.insertInto(c, c.fields()).select(PgArrays.rows(c, chunk))
                        .onConflict(c.CUSTOMER_ID).doUpdate()
                        .set(c.OWNER_REP_ID, DSL.excluded(c.OWNER_REP_ID))
                        .set(c.OWNER_SEQ, DSL.excluded(c.OWNER_SEQ))
                        .set(c.STAGE, DSL.excluded(c.STAGE))
                        .set(c.NEEDS_CONFIRMED_AT, DSL.excluded(c.NEEDS_CONFIRMED_AT))
                        .set(c.FIRST_CONVERSION_AT, DSL.excluded(c.FIRST_CONVERSION_AT))
                        .execute();
            });
        }

        private <R extends TableRecord<R>> void insertNew(Table<R> table, List<R> rows) {
            if (!rows.isEmpty()) {
                // one statement whatever the number of rows, its columns sent as arrays
                db.insertInto(table, table.fields()).select(PgArrays.rows(table, rows)).onConflictDoNothing().execute();
            }
        }

        private void writeCredits(List<Map.Entry<Credits.Key, Credits.Sum>> changes) {
            AttributionCredit t = credits();
            List<AttributionCreditRecord> rows = new ArrayList<>();
            List<AttributionCreditRecord> shrinking = new ArrayList<>();
            for (Map.Entry<Credits.Key, Credits.Sum> e : changes) {
                Credits.Key k = e.getKey();
                Credits.Sum sum = e.getValue();
                AttributionCreditRecord row = new AttributionCreditRecord();
                row.setLookbackDays(k.lookbackDays());
                row.setHalfLifeDays(k.halfLifeDays());
                row.setGrain(k.grain());
                row.setOwnerRepId(k.rep());
                row.setBucket(k.bucket());
                row.setRegion(k.region());
                row.setTeam(k.team());
                row.setChannel(k.channel());
                row.setCurrency(k.currency());
                for (AttributionModel model : AttributionModel.values()) {
                    CreditColumns columns = CreditColumns.of(t, model);
                    row.set(columns.conversions(), sum.conversions[model.ordinal()]);
                    row.set(columns.revenue(), sum.revenue[model.ordinal()]);
                    row.set(columns.shares(), sum.shares[model.ordinal()]);
                }
                rows.add(row);
                if (sum.removesShares()) {
                    shrinking.add(row);
                }
            }
            chunks(rows, t.fields().length, chunk -> {
                var upsert = db.insertInto(t, t.fields()).valuesOfRecords(chunk)
                        .onConflict(t.LOOKBACK_DAYS, t.HALF_LIFE_DAYS, t.GRAIN, t.OWNER_REP_ID, t.BUCKET, t.REGION,
                                t.TEAM, t.CHANNEL, t.CURRENCY).doUpdate();
                Map<Field<?>, Field<?>> sums = new LinkedHashMap<>();
                for (AttributionModel model : AttributionModel.values()) {
                    CreditColumns columns = CreditColumns.of(t, model);
                    sums.put(columns.conversions(), columns.conversions().plus(DSL.excluded(columns.conversions())));
                    sums.put(columns.revenue(), columns.revenue().plus(DSL.excluded(columns.revenue())));
                    sums.put(columns.shares(), columns.shares().plus(DSL.excluded(columns.shares())));
                }
                upsert.set(sums).execute();
            });
            // a row that lost its last share is gone: the tables hold what a rebuild would, row for row
            Field<?>[] key = {t.LOOKBACK_DAYS, t.HALF_LIFE_DAYS, t.GRAIN, t.OWNER_REP_ID, t.BUCKET, t.REGION, t.TEAM,
                    t.CHANNEL, t.CURRENCY};
            org.jooq.Condition empty = DSL.trueCondition();
            for (AttributionModel model : AttributionModel.values()) {
                empty = empty.and(CreditColumns.of(t, model).shares().eq(0));
            }
            org.jooq.Condition noShares = empty;
            chunks(shrinking, key.length, chunk -> db.deleteFrom(t)
                    .where(noShares)
                    .and(DSL.row(key).in(chunk.stream().map(r -> DSL.row(new Object[] {r.getLookbackDays(),
                            r.getHalfLifeDays(), r.getGrain(), r.getOwnerRepId(), r.getBucket(), r.getRegion(),
                            r.getTeam(), r.getChannel(), r.getCurrency()})).toList()))
                    .execute());
        }
    }

    /** Orders keys made of strings and dates, field by field: rows are locked in one order by every writer. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final java.util.Comparator<List<Object>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private static <T> void chunks(List<T> rows, int columns, java.util.function.Consumer<List<T>> write) {
        int size = Math.max(1, MAX_BINDS / columns);
        for (int from = 0; from < rows.size(); from += size) {
            write.accept(rows.subList(from, Math.min(rows.size(), from + size)));
        }
    }

    // ---- the definition ----

    /**
     * The definition the tables being written were built with: read from them, or — for new tables — this
     * process's settings, stored with them. A setting changed since is applied by a rebuild, not to new events,
     * so that the read model never mixes two definitions.
     */
    AttributionDefinition definition() {
        AttributionDefinition current = effective;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (effective == null) {
                var t = definitions();
                AttributionDefinition configured = settings.definition();
                db.insertInto(t).set(t.ID, (short) 1).set(t.TOUCH_TYPES, configured.touchTypesText())
                        .set(t.WINDOWS, configured.windowsText()).onConflictDoNothing().execute();
                Record stored = db.select(t.TOUCH_TYPES, t.WINDOWS).from(t).where(t.ID.eq((short) 1)).fetchOne();
                effective = AttributionDefinition.parse(stored.get(t.TOUCH_TYPES), stored.get(t.WINDOWS));
                if (!effective.equals(configured)) {
                    log.warn("the attribution read model was built with touch types [{}] and windows [{}]; the "
                                    + "settings now say [{}] and [{}]: they take effect with `rebuild attribution`",
                            effective.touchTypesText(), effective.windowsText(), configured.touchTypesText(),
                            configured.windowsText());
                }
            }
            return effective;
        }
    }

    // ---- where to write ----

    private <T extends Table<?>> T target(T table, Function<String, T> rename) {
        return rename.apply(tables.writeName(table.getName()));
    }

    private AttributionCustomer customers() {
        return target(ATTRIBUTION_CUSTOMER, ATTRIBUTION_CUSTOMER::rename);
    }

    private AttributionTouch touches() {
        return target(ATTRIBUTION_TOUCH, ATTRIBUTION_TOUCH::rename);
    }

    private AttributionConversion conversions() {
        return target(ATTRIBUTION_CONVERSION, ATTRIBUTION_CONVERSION::rename);
    }

    private AttributionCost costs() {
        return target(ATTRIBUTION_COST, ATTRIBUTION_COST::rename);
    }

    private AttributionAction actions() {
        return target(ATTRIBUTION_ACTION, ATTRIBUTION_ACTION::rename);
    }

    private AttributionCredit credits() {
        return target(ATTRIBUTION_CREDIT, ATTRIBUTION_CREDIT::rename);
    }

    private org.salesledger.projections.jooq.tables.AttributionCostSum costSums() {
        return target(Tables.ATTRIBUTION_COST_SUM, Tables.ATTRIBUTION_COST_SUM::rename);
    }

    private org.salesledger.projections.jooq.tables.AttributionWon wonSums() {
        return target(Tables.ATTRIBUTION_WON, Tables.ATTRIBUTION_WON::rename);
    }

    private AttributionPath paths() {
        return target(ATTRIBUTION_PATH, ATTRIBUTION_PATH::rename);
    }

    private AttributionPathKey pathKeysTable() {
        return target(ATTRIBUTION_PATH_KEY, ATTRIBUTION_PATH_KEY::rename);
    }

    /** One of a customer's paths as the projection keeps it, before its key is known. */
    private record KeptPath(String customerId, int lookbackDays, List<String> path, OffsetDateTime lastTouchAt,
                            OffsetDateTime[] touchTimes, OffsetDateTime firstConversionAt) {
    }

    /**
     * The dictionary's hash of a path, computed by PostgreSQL from the path's text ({@code varchar[]} output), as
     * migration V15 computed it for the paths kept before: one definition, whatever the characters in a channel.
     */
    static final String PATH_HASH = "sha256(convert_to(cast({0} as text), 'UTF8'))";

    private static Field<byte[]> pathHash(List<String> path) {
        return DSL.field(PATH_HASH, SQLDataType.BLOB, DSL.val(path.toArray(String[]::new),
                ATTRIBUTION_PATH_KEY.PATH));
    }

    /** An order for adding paths: any total order that every segment shares. */
    private static byte[] sha256(List<String> path) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (String channel : path) {
                digest.update(channel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private org.salesledger.projections.jooq.tables.AttributionDefinition definitions() {
        return target(ATTRIBUTION_DEFINITION, ATTRIBUTION_DEFINITION::rename);
    }
}
