package org.salesledger.projections.funnel;

import static org.salesledger.projections.jooq.Tables.FUNNEL_CUSTOMER;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.MetaData;
import org.jooq.Field;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.customer.CustomerSnoozed;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.StoredTimes;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.projections.jooq.tables.records.FunnelCustomerRecord;
import org.salesledger.projections.jooq.tables.records.FunnelStageStayRecord;

/**
 * The funnel changes of one processor batch, kept in memory: the customers as loaded at the start of the batch
 * and as the batch's events leave them, the stays entered, the stays of earlier batches that ended, and what all
 * that changes in the pre-aggregated tallies (docs/adr/0015). Written with a handful of statements by
 * {@link #write()}, whatever the batch size.
 */
final class FunnelBatch {

    private final FunnelStore store;
    /** Customers looked up in this batch, by id; {@code null} for one that is not (yet) registered. */
    private final Map<String, Customer> customers = new HashMap<>();
    /** Stays entered in this batch, by customer and stage, in the order entered. */
    private final Map<String, FunnelStageStayRecord> entered = new LinkedHashMap<>();
    /** Stays entered in an earlier batch that ended in this one. */
    private final List<FunnelStageStayRecord> ended = new ArrayList<>();

    /** A cell of {@code funnel_tally}: customers of a dimension value and registration day in a stage and rank. */
    record TallyKey(String dimension, String value, LocalDate day, String stage, short furthestRank) {
        static final Comparator<TallyKey> ORDER = Comparator.comparing(TallyKey::dimension)
                .thenComparing(TallyKey::value).thenComparing(TallyKey::day).thenComparing(TallyKey::stage)
                .thenComparingInt(TallyKey::furthestRank);
    }

    /** A cell of {@code funnel_stay_tally}. */
    record StayKey(String dimension, String value, LocalDate day, String stage) {
        static final Comparator<StayKey> ORDER = Comparator.comparing(StayKey::dimension)
                .thenComparing(StayKey::value).thenComparing(StayKey::day).thenComparing(StayKey::stage);
    }

    /** Stays ended and their total length in microseconds. */
    static final class StayTotal {
        long stays;
        BigInteger micros = BigInteger.ZERO;
    }

    /** A customer's place in each dimension of the tallies: {@code (dimension, value)} pairs. */
    static List<String[]> dimensionsOf(FunnelCustomerRecord row) {
        return List.of(new String[] {"all", ""}, new String[] {"region", row.getRegion()},
                row.getTeam() == null ? new String[] {"team_none", ""} : new String[] {"team", row.getTeam()},
                row.getOwnerRepId() == null ? new String[] {"rep_none", ""} : new String[] {"rep", row.getOwnerRepId()},
                new String[] {"channel", row.getChannel()});
    }

    static LocalDate dayOf(OffsetDateTime time) {
        return time.atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
    }

    FunnelBatch(FunnelStore store) {
        this.store = store;
    }

    /**
     * One customer: its row as it is now, and where it was counted in the tallies before this batch (its stage,
     * furthest rank, dimensions and registration day as stored).
     */
    static final class Customer {
        final FunnelCustomerRecord row;
        final String storedStage;
        final Short storedRank;
        final List<String[]> storedDimensions;
        final LocalDate storedDay;
        boolean changed;

        Customer(FunnelCustomerRecord row, boolean stored) {
            this.row = row;
            this.storedStage = stored ? row.getStage() : null;
            this.storedRank = stored ? row.getFurthestRank() : null;
            this.storedDimensions = stored ? dimensionsOf(row) : List.of();
            this.storedDay = stored ? dayOf(row.getRegisteredAt()) : null;
        }

        boolean isNew() {
            return storedStage == null;
        }
    }

    /** Loads these customers with one query; those not found are remembered as unregistered. */
    void load(Collection<String> ids) {
        List<String> missing = ids.stream().filter(id -> !customers.containsKey(id)).toList();
        if (missing.isEmpty()) {
            return;
        }
        for (String id : missing) {
            customers.put(id, null);
        }
        for (FunnelCustomerRecord row : store.load(missing)) {
            customers.put(row.getCustomerId(), new Customer(row, true));
        }
    }

    void apply(CustomerAction action, long sequence, MetaData metadata) {
        if (action instanceof CustomerReleasedToPool released) {
            released(released, sequence);
            return;
        }
        if (action instanceof RuleMade) {
            applied(action, sequence); // neither a stage signal nor an interaction with the customer
            return;
        }
        String id = action.customerId().value();
        if (!customers.containsKey(id)) {
            load(List.of(id));
        }
        Customer customer = customers.get(id);
        OffsetDateTime time = occurredAt(metadata);
        if (action instanceof CustomerRegistered registered) {
            if (customer == null) {
                register(registered, sequence, time);
            }
            return;
        }
        if (customer == null || sequence <= customer.row.getLastSeq()) {
            return;
        }
        FunnelCustomerRecord row = customer.row;
        customer.changed = true;
        row.setLastSeq(sequence);
        if (action instanceof CustomerSnoozed snoozed) {
            // a snooze is a note about the customer, not an interaction with it: the last action stays
            row.setSnoozedUntil(snoozed.until());
            row.setSnoozeReason(snoozed.reason());
            return;
        }
        if (action instanceof CustomerReassigned reassigned) {
            // a new owner, counted under its new rep from now on (see stayChanges); not an interaction: the last
            // action stays
            if (reassigned.toRepId() != null) {
                fits(FUNNEL_CUSTOMER.OWNER_REP_ID, reassigned.toRepId().value());
                row.setOwnerRepId(reassigned.toRepId().value());
            }
            return;
        }
        if (!time.isBefore(row.getLastActionAt())) {
            row.setLastActionAt(time);
            row.setLastActionType(ActionTypes.nameOf(action));
        }
        Stage before = Stage.valueOf(row.getStage());
        Stage after = Lifecycle.next(before, action);
        if (after != before) {
            leave(customer, before, time);
            row.setStage(after.name());
            row.setStageEnteredAt(time);
            if (after != Stage.LOST) {
                row.setFurthestRank((short) Math.max(row.getFurthestRank(), after.ordinal()));
            }
            enter(id, after, time);
        }
    }

    /**
     * A customer released to the public pool has no owner until it is claimed (a claim is a
     * {@link CustomerReassigned}): it leaves its former owner's {@code rep} cells for {@code rep_none}, so a rep's
     * funnel counts only the customers it owns now (contract §7). Like every rule-made action, not an interaction.
     */
    private void released(CustomerReleasedToPool released, long sequence) {
        Customer customer = applied(released, sequence);
        if (customer != null) {
            customer.row.setOwnerRepId(null);
        }
    }

    /**
     * Notes a rule-made action as applied (the customer's {@code last_seq}, which the consistency check compares
     * with the store's last sequence number), changing nothing else; {@code null} when the customer is unknown or
     * the action was applied before.
     */
    private Customer applied(CustomerAction action, long sequence) {
        String id = action.customerId().value();
        if (!customers.containsKey(id)) {
            load(List.of(id));
        }
        Customer customer = customers.get(id);
        if (customer == null || sequence <= customer.row.getLastSeq()) {
            return null;
        }
        customer.changed = true;
        customer.row.setLastSeq(sequence);
        return customer;
    }

    /**
     * Registers a customer. A value its column cannot hold is refused here, in the event's handler, where the
     * processor's dead-letter queue parks that one customer: refused at commit, it would fail the whole batch again
     * and again.
     */
    private void register(CustomerRegistered registered, long sequence, OffsetDateTime time) {
        fits(FUNNEL_CUSTOMER.CUSTOMER_ID, registered.customerId().value());
        fits(FUNNEL_CUSTOMER.NAME, registered.name());
        fits(FUNNEL_CUSTOMER.REGION, registered.region());
        fits(FUNNEL_CUSTOMER.TEAM, registered.team());
        fits(FUNNEL_CUSTOMER.OWNER_REP_ID, registered.ownerRepId() == null ? null : registered.ownerRepId().value());
        fits(FUNNEL_CUSTOMER.CHANNEL, registered.channel());
        FunnelCustomerRecord row = new FunnelCustomerRecord();
        row.setCustomerId(registered.customerId().value());
        row.setName(registered.name());
        row.setRegion(registered.region());
        row.setTeam(registered.team());
        row.setOwnerRepId(registered.ownerRepId() == null ? null : registered.ownerRepId().value());
        row.setChannel(registered.channel());
        row.setRegisteredAt(time);
        row.setStage(Stage.FIRST_CONTACT.name());
        row.setStageEnteredAt(time);
        row.setFurthestRank((short) Stage.FIRST_CONTACT.ordinal());
        row.setLastActionAt(time);
        row.setLastActionType(ActionTypes.nameOf(registered));
        row.setLastSeq(sequence);
        Customer customer = new Customer(row, false);
        customer.changed = true;
        customers.put(row.getCustomerId(), customer);
        enter(row.getCustomerId(), Stage.FIRST_CONTACT, time);
    }

    /**
     * What can be told of an event alone, checked in its handler so that an event the read model cannot hold is
     * parked there by the processor's dead-letter queue, before its batch is written: its time, and the texts a
     * registration or a reassignment puts in {@code funnel_customer}.
     */
    static void check(CustomerAction action, MetaData metadata) {
        if (action instanceof RuleMade) {
            return;
        }
        occurredAt(metadata);
        if (action instanceof CustomerRegistered registered) {
            fits(FUNNEL_CUSTOMER.CUSTOMER_ID, registered.customerId().value());
            fits(FUNNEL_CUSTOMER.NAME, registered.name());
            fits(FUNNEL_CUSTOMER.REGION, registered.region());
            fits(FUNNEL_CUSTOMER.TEAM, registered.team());
            fits(FUNNEL_CUSTOMER.OWNER_REP_ID, registered.ownerRepId() == null ? null : registered.ownerRepId().value());
            fits(FUNNEL_CUSTOMER.CHANNEL, registered.channel());
        } else if (action instanceof CustomerReassigned reassigned && reassigned.toRepId() != null) {
            fits(FUNNEL_CUSTOMER.OWNER_REP_ID, reassigned.toRepId().value());
        }
    }

    private static void fits(Field<String> column, String value) {
        if (value == null && !column.getDataType().nullable()) {
            throw new IllegalArgumentException("the funnel needs the customer's " + column.getName());
        }
        int length = column.getDataType().length();
        if (value != null && length > 0 && value.length() > length) {
            throw new IllegalArgumentException("the customer's " + column.getName() + " is " + value.length()
                    + " characters long; the funnel keeps at most " + length);
        }
    }

    private void enter(String customerId, Stage stage, OffsetDateTime time) {
        entered.putIfAbsent(customerId + '\u0000' + stage.name(),
                new FunnelStageStayRecord(customerId, stage.name(), time, null));
    }

    /** The customer leaves its current stage, entered at its row's {@code stage_entered_at}. */
    private void leave(Customer customer, Stage stage, OffsetDateTime time) {
        String id = customer.row.getCustomerId();
        FunnelStageStayRecord stay = entered.get(id + '\u0000' + stage.name());
        if (stay != null) {
            if (stay.getExitedAt() == null) {
                stay.setExitedAt(time);
            }
        } else {
            ended.add(new FunnelStageStayRecord(id, stage.name(), customer.row.getStageEnteredAt(), time));
        }
    }

    /** Writes the batch: changed customers, new stays, ended stays, and the tallies' changes. */
    void write() {
        List<Customer> changed = customers.values().stream().filter(c -> c != null && c.changed).toList();
        boolean tallies = !store.talliesLater();
        store.write(changed, List.copyOf(entered.values()), ended, tallies ? tallyChanges(changed) : Map.of(),
                tallies ? stayChanges(changed) : Map.of());
        customers.clear();
        entered.clear();
        ended.clear();
    }

    /**
     * The stays that ended in this batch, counted under their customer's dimension values as the batch leaves them;
     * and the stays of a customer that ended in earlier batches, moved to its new values when the batch changed them
     * (a new owner): a stay counts under the customer's current values, as a rebuild would count it. Zeros left out.
     */
    private Map<StayKey, StayTotal> stayChanges(List<Customer> changed) {
        Map<StayKey, StayTotal> totals = new HashMap<>();
        for (Customer customer : changed) {
            if (!customer.isNew() && !sameValues(customer.storedDimensions, dimensionsOf(customer.row))) {
                for (FunnelStageStayRecord stay : store.endedStays(customer.row.getCustomerId())) {
                    addStay(totals, customer.storedDimensions, customer.storedDay, stay, -1);
                    addStay(totals, dimensionsOf(customer.row), dayOf(customer.row.getRegisteredAt()), stay, 1);
                }
            }
        }
        List<FunnelStageStayRecord> endedHere = new ArrayList<>(ended);
        entered.values().stream().filter(stay -> stay.getExitedAt() != null).forEach(endedHere::add);
        for (FunnelStageStayRecord stay : endedHere) {
            FunnelCustomerRecord row = customers.get(stay.getCustomerId()).row;
            addStay(totals, dimensionsOf(row), dayOf(row.getRegisteredAt()), stay, 1);
        }
        totals.values().removeIf(total -> total.stays == 0 && total.micros.signum() == 0);
        return totals;
    }

    private static void addStay(Map<StayKey, StayTotal> totals, List<String[]> dimensions, LocalDate day,
                                FunnelStageStayRecord stay, int sign) {
        long micros = Math.max(0, ChronoUnit.MICROS.between(stay.getEnteredAt(), stay.getExitedAt()));
        for (String[] dimension : dimensions) {
            StayTotal total = totals.computeIfAbsent(new StayKey(dimension[0], dimension[1], day, stay.getStage()),
                    k -> new StayTotal());
            total.stays += sign;
            total.micros = total.micros.add(BigInteger.valueOf(sign * micros));
        }
    }

    private static boolean sameValues(List<String[]> a, List<String[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return a.size() == b.size();
    }

    /** Each changed customer leaves the cell it was counted in and joins the one it is in now; zeros left out. */
    private static Map<TallyKey, Long> tallyChanges(List<Customer> changed) {
        Map<TallyKey, Long> changes = new HashMap<>();
        for (Customer customer : changed) {
            FunnelCustomerRecord row = customer.row;
            if (!customer.isNew()) {
                for (String[] dimension : customer.storedDimensions) {
                    changes.merge(new TallyKey(dimension[0], dimension[1], customer.storedDay, customer.storedStage,
                            customer.storedRank), -1L, Long::sum);
                }
            }
            LocalDate day = dayOf(row.getRegisteredAt());
            for (String[] dimension : dimensionsOf(row)) {
                changes.merge(new TallyKey(dimension[0], dimension[1], day, row.getStage(), row.getFurthestRank()),
                        1L, Long::sum);
            }
        }
        changes.values().removeIf(delta -> delta == 0);
        return changes;
    }

    /**
     * The envelope time of the action, to the microsecond: PostgreSQL keeps microseconds, and a batch must compute
     * exactly what it would compute from stored values.
     */
    private static OffsetDateTime occurredAt(MetaData metadata) {
        return StoredTimes.offsetDateTime((String) metadata.get(ActionMetadata.OCCURRED_AT))
                .truncatedTo(ChronoUnit.MICROS);
    }
}
