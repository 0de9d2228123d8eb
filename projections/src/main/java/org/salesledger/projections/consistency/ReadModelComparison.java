package org.salesledger.projections.consistency;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.talktrack.TalkTrackFeedback;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.projections.batch.PgArrays;
import org.salesledger.projections.consistency.Difference.Kind;
import org.salesledger.projections.consistency.EventHistory.CustomerHistory;
import org.salesledger.projections.consistency.EventHistory.Page;
import org.salesledger.projections.consistency.EventHistory.StoredAction;
import org.salesledger.projections.health.HealthTallyCheck;
import org.salesledger.projections.rebuild.ReadModelName;

/**
 * How one read model is compared with a page of the history: its rows of the page's range of customer ids are read
 * (by the tables' keys, which all start with the customer id or are the envelope id) and each customer it must
 * hold is compared with what its stored actions say.
 */
abstract class ReadModelComparison {

    /** Ids listed in a difference's text before "… and N more". */
    private static final int IDS_SHOWN = 10;

    final DSLContext db;
    private final String readModel;
    private final String processingGroup;

    ReadModelComparison(DSLContext db, String readModel, String processingGroup) {
        this.db = db;
        this.readModel = readModel;
        this.processingGroup = processingGroup;
    }

    static List<ReadModelComparison> all(DSLContext db) {
        return List.of(new Timeline(db), new Funnel(db), new Worklists(db), new Attribution(db), new TalkTrack(db),
                new Health(db));
    }

    String readModel() {
        return readModel;
    }

    String processingGroup() {
        return processingGroup;
    }

    /**
     * Compares the customers of {@code page}; {@code mustHold} says whether the read model must hold a customer
     * exactly (not parked, not still being applied); reports each difference to {@code out}.
     */
    abstract void compare(Page page, Map<String, CustomerHistory> stored, Predicate<String> mustHold,
                          Consumer<Difference> out);

    /**
     * Compares what the read model keeps over many customers (tallies), whole, inside one snapshot; reports each
     * difference to {@code out}. Nothing by default.
     */
    void compareWhole(Consumer<Difference> out) {
    }

    Difference difference(String customerId, Kind kind, Object expected, Object found) {
        return new Difference(readModel, customerId, kind, String.valueOf(expected), String.valueOf(found));
    }

    /** The rows of {@code table} whose {@code customer_id} lies in the page's range, ordered by {@code orderBy}. */
    List<Record> rowsInRange(String table, String columns, Page page, String orderBy) {
        List<Object> binds = new ArrayList<>();
        StringBuilder where = new StringBuilder("true");
        if (page.after() != null) {
            binds.add(DSL.val(page.after()));
            where.append(" and customer_id > {").append(binds.size() - 1).append("}");
        }
        if (page.upTo() != null) {
            binds.add(DSL.val(page.upTo()));
            where.append(" and customer_id <= {").append(binds.size() - 1).append("}");
        }
        return db.fetch("select " + columns + " from " + table + " where " + where + " order by " + orderBy,
                binds.toArray());
    }

    static <T> Map<String, List<T>> byCustomer(List<Record> rows, Function<Record, T> value) {
        Map<String, List<T>> grouped = new LinkedHashMap<>();
        for (Record row : rows) {
            grouped.computeIfAbsent(row.get("customer_id", String.class), k -> new ArrayList<>()).add(value.apply(row));
        }
        return grouped;
    }

    /** Every customer of the page: stored ones and those only the read model has. */
    static Set<String> customers(Map<String, CustomerHistory> stored, Collection<String> held) {
        Set<String> all = new LinkedHashSet<>(stored.keySet());
        all.addAll(held);
        return all;
    }

    static Stage stage(CustomerHistory history) {
        Stage stage = null;
        for (StoredAction action : history.actions()) {
            stage = Lifecycle.next(stage, action.action());
        }
        return stage;
    }

    static String ids(Collection<?> ids) {
        String shown = ids.stream().limit(IDS_SHOWN).map(String::valueOf).collect(Collectors.joining(", "));
        return ids.size() > IDS_SHOWN ? "[" + shown + ", … and " + (ids.size() - IDS_SHOWN) + " more]"
                : "[" + shown + "]";
    }

    /** Compares the ids a customer's actions make with those the read model holds, as missing and unexpected. */
    void compareIds(String customerId, Collection<String> expected, Collection<String> found, Kind missingKind,
                    Kind unexpectedKind, String what, Consumer<Difference> out) {
        Set<String> missing = new LinkedHashSet<>(expected);
        found.forEach(missing::remove);
        Set<String> unexpected = new LinkedHashSet<>(found);
        expected.forEach(unexpected::remove);
        if (!missing.isEmpty()) {
            out.accept(difference(customerId, missingKind, what + " " + ids(missing), "none of them"));
        }
        if (!unexpected.isEmpty()) {
            out.accept(difference(customerId, unexpectedKind, "none of them", what + " " + ids(unexpected)));
        }
    }

    /** Compares the customer's stage and last applied sequence number, as one row per customer holds them. */
    abstract static class PerCustomer extends ReadModelComparison {
        private final String table;
        private final boolean lastSeq;

        PerCustomer(DSLContext db, String readModel, String group, String table, boolean lastSeq) {
            super(db, readModel, group);
            this.table = table;
            this.lastSeq = lastSeq;
        }

        @Override
        void compare(Page page, Map<String, CustomerHistory> stored, Predicate<String> mustHold,
                     Consumer<Difference> out) {
            Map<String, Record> rows = new LinkedHashMap<>();
            rowsInRange(table, "customer_id, stage" + (lastSeq ? ", last_seq" : ""), page, "customer_id")
                    .forEach(r -> rows.put(r.get("customer_id", String.class), r));
            for (String customerId : customers(stored, rows.keySet())) {
                if (!mustHold.test(customerId)) {
                    continue;
                }
                CustomerHistory history = stored.get(customerId);
                Record row = rows.get(customerId);
                if (onlyOnOneSide(customerId, history, row, out)) {
                    continue;
                }
                Stage expected = stage(history);
                String found = row.get("stage", String.class);
                if (expected != null && !expected.name().equals(found)) {
                    out.accept(difference(customerId, Kind.STAGE, expected, found));
                }
                if (lastSeq) {
                    Long applied = row.get("last_seq", Long.class);
                    if (!Objects.equals(applied, history.lastSeq())) {
                        out.accept(difference(customerId, Kind.APPLIED_SEQUENCE, history.lastSeq(), applied));
                    }
                }
                more(customerId, history, out);
            }
            moreForPage(page, stored, mustHold, out);
        }

        /** Further comparisons of one customer the read model holds. */
        void more(String customerId, CustomerHistory history, Consumer<Difference> out) {
        }

        /** Further comparisons over the whole page. */
        void moreForPage(Page page, Map<String, CustomerHistory> stored, Predicate<String> mustHold,
                         Consumer<Difference> out) {
        }
    }

    /**
     * The timeline: each customer's actions, by envelope id, in stored order, and its last sequence number; and its
     * rows of {@code timeline_ownership} (what the scope is decided by), one per registration and change of owner,
     * by sequence number.
     */
    static final class Timeline extends ReadModelComparison {
        Timeline(DSLContext db) {
            super(db, ReadModelName.TIMELINE.id(), "timeline");
        }

        @Override
        void compare(Page page, Map<String, CustomerHistory> stored, Predicate<String> mustHold,
                     Consumer<Difference> out) {
            Map<String, List<Record>> rows = byCustomer(
                    rowsInRange("timeline_event", "customer_id, action_id, seq", page, "customer_id, seq"), r -> r);
            for (String customerId : customers(stored, rows.keySet())) {
                if (!mustHold.test(customerId)) {
                    continue;
                }
                CustomerHistory history = stored.get(customerId);
                List<Record> held = rows.getOrDefault(customerId, List.of());
                if (history == null) {
                    out.accept(difference(customerId, Kind.UNKNOWN_CUSTOMER, "no stored action",
                            held.size() + " timeline rows " + ids(held.stream().map(r -> r.get("action_id")).toList())));
                    continue;
                }
                if (held.isEmpty()) {
                    out.accept(difference(customerId, Kind.MISSING_CUSTOMER, history.actions().size()
                            + " actions " + ids(history.actions().stream().map(StoredAction::actionId).toList()),
                            "no timeline row"));
                    continue;
                }
                List<String> expected = history.actions().stream()
                        .map(a -> a.actionId() + "@" + a.seq()).toList();
                List<String> found = held.stream()
                        .map(r -> r.get("action_id", String.class) + "@" + r.get("seq", Long.class)).toList();
                List<String> expectedIds = history.actions().stream().map(StoredAction::actionId).toList();
                List<String> foundIds = held.stream().map(r -> r.get("action_id", String.class)).toList();
                compareIds(customerId, expectedIds, foundIds, Kind.MISSING_ACTIONS, Kind.UNEXPECTED_ACTIONS,
                        "actions", out);
                if (new LinkedHashSet<>(expectedIds).equals(new LinkedHashSet<>(foundIds)) && !expected.equals(found)) {
                    out.accept(difference(customerId, Kind.ORDER, "id@sequence " + ids(expected),
                            "id@sequence " + ids(found)));
                }
                long last = held.get(held.size() - 1).get("seq", Long.class);
                if (last != history.lastSeq()) {
                    out.accept(difference(customerId, Kind.LAST_SEQUENCE, history.lastSeq(), last));
                }
            }
            Map<String, List<String>> ownership = byCustomer(rowsInRange("timeline_ownership", "customer_id, seq",
                    page, "customer_id, seq"), r -> String.valueOf(r.get("seq", Long.class)));
            for (String customerId : customers(stored, ownership.keySet())) {
                CustomerHistory history = stored.get(customerId);
                if (history == null || !mustHold.test(customerId)) {
                    continue;
                }
                List<String> expected = history.actions().stream()
                        .filter(a -> a.action() instanceof CustomerRegistered
                                || a.action() instanceof CustomerReassigned
                                || a.action() instanceof CustomerReleasedToPool)
                        .map(a -> String.valueOf(a.seq())).toList();
                compareIds(customerId, expected, ownership.getOrDefault(customerId, List.of()), Kind.MISSING_ROWS,
                        Kind.UNEXPECTED_ROWS, "ownership rows at sequence numbers", out);
            }
        }
    }

    /** The funnel: each customer's stage (the lifecycle rules over its actions) and last applied sequence number. */
    static final class Funnel extends PerCustomer {
        Funnel(DSLContext db) {
            super(db, ReadModelName.FUNNEL.id(), "funnel", "funnel_customer", true);
        }
    }

    /** The work lists: each customer's stage and last applied sequence number. */
    static final class Worklists extends PerCustomer {
        Worklists(DSLContext db) {
            super(db, ReadModelName.WORKLISTS.id(), "worklists", "worklist_customer", true);
        }
    }

    /**
     * Attribution: each customer's stage; every stored action known by its envelope id (what the read model keeps of
     * every action it applied); its conversions (ContractSigned) and costs (CostIncurred) by sequence number.
     */
    static final class Attribution extends PerCustomer {
        Attribution(DSLContext db) {
            super(db, ReadModelName.ATTRIBUTION.id(), "attribution", "attribution_customer", false);
        }

        @Override
        void moreForPage(Page page, Map<String, CustomerHistory> stored, Predicate<String> mustHold,
                         Consumer<Difference> out) {
            List<String> wanted = new ArrayList<>();
            stored.values().stream().filter(h -> mustHold.test(h.customerId()))
                    .forEach(h -> h.actions().stream().map(StoredAction::actionId).filter(Objects::nonNull)
                            .forEach(wanted::add));
            Set<String> known = new LinkedHashSet<>(db.fetch("select action_id from attribution_action "
                    + "where action_id = any({0})", PgArrays.text(wanted.toArray(String[]::new)))
                    .getValues(0, String.class));
            Map<String, List<Long>> conversions = byCustomer(rowsInRange("attribution_conversion",
                    "customer_id, seq", page, "customer_id, seq"), r -> r.get("seq", Long.class));
            Map<String, List<Long>> costs = byCustomer(rowsInRange("attribution_cost",
                    "customer_id, seq", page, "customer_id, seq"), r -> r.get("seq", Long.class));
            Set<String> customers = customers(stored, conversions.keySet());
            customers.addAll(costs.keySet());
            for (String customerId : customers) {
                if (!mustHold.test(customerId)) {
                    continue;
                }
                CustomerHistory history = stored.get(customerId);
                List<StoredAction> actions = history == null ? List.of() : history.actions();
                List<String> missing = actions.stream().map(StoredAction::actionId)
                        .filter(id -> id != null && !known.contains(id)).toList();
                if (!missing.isEmpty()) {
                    out.accept(difference(customerId, Kind.MISSING_ACTIONS, "actions " + ids(missing),
                            "none of them"));
                }
                compareIds(customerId, seqs(actions, a -> a instanceof ContractSigned),
                        strings(conversions.getOrDefault(customerId, List.of())), Kind.MISSING_ROWS,
                        Kind.UNEXPECTED_ROWS, "conversions at sequence numbers", out);
                compareIds(customerId, seqs(actions, a -> a instanceof CostIncurred),
                        strings(costs.getOrDefault(customerId, List.of())), Kind.MISSING_ROWS,
                        Kind.UNEXPECTED_ROWS, "costs at sequence numbers", out);
            }
        }

        private static List<String> seqs(List<StoredAction> actions, Predicate<CustomerAction> which) {
            return actions.stream().filter(a -> which.test(a.action())).map(a -> String.valueOf(a.seq())).toList();
        }

        private static List<String> strings(List<Long> values) {
            return values.stream().map(String::valueOf).toList();
        }
    }

    /**
     * Talk-track effect: every contract (ContractSigned) and every script use (feedback USED), by envelope id; and
     * whose customer it is, for the scope (talktrack_customer): its registration region and its owner now.
     */
    static final class TalkTrack extends ReadModelComparison {
        TalkTrack(DSLContext db) {
            super(db, ReadModelName.TALKTRACK.id(), "talktrack");
        }

        @Override
        void compare(Page page, Map<String, CustomerHistory> stored, Predicate<String> mustHold,
                     Consumer<Difference> out) {
            Map<String, List<String>> contracts = byCustomer(rowsInRange("talktrack_contract",
                    "customer_id, action_id", page, "customer_id, action_id"), r -> r.get("action_id", String.class));
            List<String> wantedUses = new ArrayList<>();
            stored.values().stream().filter(h -> mustHold.test(h.customerId()))
                    .forEach(h -> h.actions().stream().filter(a -> isUse(a.action())).map(StoredAction::actionId)
                            .forEach(wantedUses::add));
            Set<String> uses = new LinkedHashSet<>(db.fetch("select action_id from talktrack_use "
                    + "where action_id = any({0})", PgArrays.text(wantedUses.toArray(String[]::new)))
                    .getValues(0, String.class));
            Map<String, Record> owners = new LinkedHashMap<>();
            rowsInRange("talktrack_customer", "customer_id, region, owner_rep_id", page, "customer_id")
                    .forEach(r -> owners.put(r.get("customer_id", String.class), r));
            Set<String> customers = customers(stored, contracts.keySet());
            customers.addAll(owners.keySet());
            for (String customerId : customers) {
                if (!mustHold.test(customerId)) {
                    continue;
                }
                CustomerHistory history = stored.get(customerId);
                Record row = owners.get(customerId);
                if (history == null) {
                    onlyOnOneSide(customerId, null, row, out);
                    continue;
                }
                Ownership known = Ownership.of(history);
                // a registered customer has a scope row; one with actions but no registration (yet) need not
                if (row == null && known.registration() != null) {
                    onlyOnOneSide(customerId, history, null, out);
                    continue;
                }
                if (row != null) {
                    String region = known.registration() == null ? null : known.registration().region();
                    if (!Objects.equals(region, row.get("region", String.class))) {
                        out.accept(difference(customerId, Kind.REGION, region, row.get("region", String.class)));
                    }
                    if (!Objects.equals(known.ownerNow(), row.get("owner_rep_id", String.class))) {
                        out.accept(difference(customerId, Kind.OWNER, known.ownerNow(),
                                row.get("owner_rep_id", String.class)));
                    }
                }
                List<StoredAction> actions = history.actions();
                compareIds(customerId, actions.stream().filter(a -> a.action() instanceof ContractSigned)
                                .map(StoredAction::actionId).toList(), contracts.getOrDefault(customerId, List.of()),
                        Kind.MISSING_ROWS, Kind.UNEXPECTED_ROWS, "contracts", out);
                List<String> missingUses = actions.stream().filter(a -> isUse(a.action()))
                        .map(StoredAction::actionId).filter(id -> !uses.contains(id)).toList();
                if (!missingUses.isEmpty()) {
                    out.accept(difference(customerId, Kind.MISSING_ROWS, "script uses " + ids(missingUses),
                            "none of them"));
                }
            }
        }

        private static boolean isUse(CustomerAction action) {
            return action instanceof TalkTrackFeedbackGiven given && given.feedback() == TalkTrackFeedback.USED;
        }
    }

    /**
     * Health: each customer's last applied sequence number and owner now (CustomerRegistered, CustomerReassigned,
     * CustomerReleasedToPool in stored order), and its contracts (ContractSigned) by envelope id.
     */
    static final class Health extends ReadModelComparison {
        Health(DSLContext db) {
            super(db, ReadModelName.HEALTH.id(), "health");
        }

        @Override
        void compare(Page page, Map<String, CustomerHistory> stored, Predicate<String> mustHold,
                     Consumer<Difference> out) {
            Map<String, Record> rows = new LinkedHashMap<>();
            rowsInRange("health_customer", "customer_id, owner_rep_id, last_seq", page, "customer_id")
                    .forEach(r -> rows.put(r.get("customer_id", String.class), r));
            Map<String, List<String>> contracts = byCustomer(rowsInRange("health_contract",
                    "customer_id, action_id", page, "customer_id, action_id"), r -> r.get("action_id", String.class));
            Set<String> customers = customers(stored, rows.keySet());
            customers.addAll(contracts.keySet());
            for (String customerId : customers) {
                if (!mustHold.test(customerId)) {
                    continue;
                }
                CustomerHistory history = stored.get(customerId);
                Record row = rows.get(customerId);
                if (onlyOnOneSide(customerId, history, row, out)) {
                    continue;
                }
                Long applied = row.get("last_seq", Long.class);
                if (!Objects.equals(applied, history.lastSeq())) {
                    out.accept(difference(customerId, Kind.APPLIED_SEQUENCE, history.lastSeq(), applied));
                }
                String owner = Ownership.of(history).ownerNow();
                String found = row.get("owner_rep_id", String.class);
                if (!Objects.equals(owner, found)) {
                    out.accept(difference(customerId, Kind.OWNER, owner, found));
                }
                compareIds(customerId, history.actions().stream().filter(a -> a.action() instanceof ContractSigned)
                                .map(StoredAction::actionId).toList(), contracts.getOrDefault(customerId, List.of()),
                        Kind.MISSING_ROWS, Kind.UNEXPECTED_ROWS, "contracts", out);
            }
        }

        /** Each rep's day of counts against the recount of the rows it counts ({@link HealthTallyCheck}). */
        @Override
        void compareWhole(Consumer<Difference> out) {
            for (HealthTallyCheck.Mismatch m : HealthTallyCheck.mismatches(db)) {
                out.accept(difference(null, Kind.TALLY, m.table() + " " + m.key() + ": " + m.expected()
                        + " (recounted from its rows)", m.found()));
            }
        }
    }

    /**
     * What a customer's stored actions say of whose it is, read in one pass: its registration ({@code null} when none
     * is stored), and its owner now — the registration's, then each reassignment's (pool claims too), none in the
     * pool.
     */
    record Ownership(CustomerRegistered registration, String ownerNow) {

        static Ownership of(CustomerHistory history) {
            CustomerRegistered registration = null;
            String owner = null;
            for (StoredAction a : history.actions()) {
                if (a.action() instanceof CustomerRegistered r) {
                    registration = registration == null ? r : registration;
                    owner = r.ownerRepId() == null ? null : r.ownerRepId().value();
                } else if (a.action() instanceof CustomerReassigned r) {
                    owner = r.toRepId() == null ? null : r.toRepId().value();
                } else if (a.action() instanceof CustomerReleasedToPool) {
                    owner = null;
                }
            }
            return new Ownership(registration, owner);
        }
    }

    /**
     * Reports a customer the read model holds but the store does not, or the other way round; {@code true} when it
     * did, so the caller compares nothing more for it.
     */
    boolean onlyOnOneSide(String customerId, CustomerHistory history, Object row, Consumer<Difference> out) {
        if (history == null) {
            out.accept(difference(customerId, Kind.UNKNOWN_CUSTOMER, "no stored action", "a customer row"));
            return true;
        }
        if (row == null) {
            out.accept(difference(customerId, Kind.MISSING_CUSTOMER, "the customer (" + history.actions().size()
                    + " actions, last sequence number " + history.lastSeq() + ")", "no customer row"));
            return true;
        }
        return false;
    }
}
