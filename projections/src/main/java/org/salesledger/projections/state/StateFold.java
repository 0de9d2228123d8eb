package org.salesledger.projections.state;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.customer.CustomerSnoozed;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.lifecycle.Lifecycle;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.rules.CustomerClassified;
import org.salesledger.kernel.rules.CustomerTagged;
import org.salesledger.kernel.rules.CustomerUntagged;

/**
 * The customer's state folded from its actions, one at a time, in the order the caller gives them (the read model
 * gives them by {@code time}, ties by stored order). Pure: no clock, no I/O. How each field derives, reusing the
 * rules the rest of the system keeps (ADR 32, docs/customer-state.md):
 *
 * <ul>
 *   <li>{@code stage}: {@link Lifecycle#next}, the stage rules the aggregate and the funnel use;</li>
 *   <li>{@code region}, {@code team}, {@code channel}: the registration's;</li>
 *   <li>{@code ownerRepId}: the registration's owner, then each {@code CustomerReassigned}'s {@code toRepId}
 *       (supervisor reassignment and pool claim alike); {@code null} while in the public pool, as the timeline's
 *       scope has it;</li>
 *   <li>{@code inPool}: true from a {@code CustomerReleasedToPool} until the next {@code CustomerReassigned};</li>
 *   <li>{@code class}: the last {@code CustomerClassified}'s class ({@code null}: none);</li>
 *   <li>{@code tags}: per TAG rule the tag it set, a {@code CustomerUntagged} removing it only when it names that
 *       rule's tag (as the aggregate's rule state keeps them); sorted, each once;</li>
 *   <li>{@code snoozedUntil}: the last {@code CustomerSnoozed}'s {@code until} (a later snooze replaces it);</li>
 *   <li>{@code lastActionAt}, {@code lastActionType}: the last <em>interaction</em>, as the funnel counts them —
 *       every action but the rule-made ones, {@code CustomerSnoozed} and {@code CustomerReassigned};</li>
 *   <li>{@code contracts}: each {@code ContractSigned} in the order applied (the first signing of an id counts);
 *       {@code paid} once a {@code PaymentReceived} for its id has been applied, before or after the signing;</li>
 *   <li>{@code actionsApplied}, {@code lastActionId}: how many actions were folded and the last one.</li>
 * </ul>
 */
public final class StateFold {

    /** The fields of the state that {@link #changesOf} reports, in the order reported. */
    public static final List<String> FIELDS = List.of("stage", "ownerRepId", "region", "team", "channel", "class",
            "tags", "inPool", "snoozedUntil", "lastActionAt", "lastActionType");

    private Stage stage;
    private String owner;
    private String region;
    private String team;
    private String channel;
    private String customerClass;
    private final Map<String, String> tagByRule = new LinkedHashMap<>();
    private boolean inPool;
    private String snoozedUntil;
    private String lastActionAt;
    private String lastActionType;
    private final Map<String, ContractSigned> contracts = new LinkedHashMap<>();
    private final Set<String> paid = new HashSet<>();
    private int applied;
    private String lastActionId;

    /** An independent copy of this fold so far: applying more to either leaves the other as it was (snapshots). */
    StateFold copy() {
        StateFold c = new StateFold();
        c.stage = stage;
        c.owner = owner;
        c.region = region;
        c.team = team;
        c.channel = channel;
        c.customerClass = customerClass;
        c.tagByRule.putAll(tagByRule);
        c.inPool = inPool;
        c.snoozedUntil = snoozedUntil;
        c.lastActionAt = lastActionAt;
        c.lastActionType = lastActionType;
        c.contracts.putAll(contracts);
        c.paid.addAll(paid);
        c.applied = applied;
        c.lastActionId = lastActionId;
        return c;
    }

    /** The stage so far ({@code null} before any action that sets one). */
    Stage stage() {
        return stage;
    }

    /** How many actions were applied so far. */
    int applied() {
        return applied;
    }

    /** Applies one more action. */
    public void apply(StoredAction stored) {
        CustomerAction action = stored.event();
        if (action != null) {
            stage = Lifecycle.next(stage, action);
            if (action instanceof CustomerRegistered registered) {
                region = registered.region();
                team = registered.team();
                channel = registered.channel();
                owner = registered.ownerRepId() == null ? null : registered.ownerRepId().value();
            } else if (action instanceof CustomerReassigned reassigned) {
                if (reassigned.toRepId() != null) {
                    owner = reassigned.toRepId().value();
                }
                inPool = false;
            } else if (action instanceof CustomerReleasedToPool) {
                owner = null;
                inPool = true;
            } else if (action instanceof CustomerClassified classified) {
                customerClass = classified.customerClass();
            } else if (action instanceof CustomerTagged tagged) {
                tagByRule.put(tagged.ruleId(), tagged.tag());
            } else if (action instanceof CustomerUntagged untagged) {
                tagByRule.remove(untagged.ruleId(), untagged.tag());
            } else if (action instanceof CustomerSnoozed snoozed) {
                snoozedUntil = snoozed.until() == null ? null : snoozed.until().toString();
            } else if (action instanceof ContractSigned signed) {
                contracts.putIfAbsent(signed.contractId(), signed);
            } else if (action instanceof PaymentReceived payment) {
                paid.add(payment.contractId());
            }
        }
        if (isInteraction(stored.type())) {
            lastActionAt = stored.time();
            lastActionType = stored.type();
        }
        applied++;
        lastActionId = stored.actionId();
    }

    /** What clients send, but a snooze: rule-made actions and {@code CustomerReassigned} are the system's. */
    private static boolean isInteraction(String type) {
        return ActionTypes.isClientType(type) && !"CustomerSnoozed".equals(type);
    }

    /** The state so far, for the customer and the two instants asked. */
    public CustomerState state(String customerId, String asOf, String knownAt) {
        List<CustomerState.Contract> list = new ArrayList<>(contracts.size());
        for (ContractSigned c : contracts.values()) {
            list.add(new CustomerState.Contract(c.contractId(), c.amount(), paid.contains(c.contractId())));
        }
        return new CustomerState(customerId, asOf, knownAt, stage == null ? null : stage.name(), inPool ? null : owner,
                region, team, channel, customerClass, tags(), inPool, snoozedUntil, lastActionAt, lastActionType,
                List.copyOf(list), applied, lastActionId);
    }

    private List<String> tags() {
        return List.copyOf(new TreeSet<>(tagByRule.values()));
    }

    /** The state's fields as a map field → value, contracts as {@code contracts[<id>]}: what changes are told in. */
    Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("stage", stage == null ? null : stage.name());
        f.put("ownerRepId", inPool ? null : owner);
        f.put("region", region);
        f.put("team", team);
        f.put("channel", channel);
        f.put("class", customerClass);
        f.put("tags", tags());
        f.put("inPool", inPool);
        f.put("snoozedUntil", snoozedUntil);
        f.put("lastActionAt", lastActionAt);
        f.put("lastActionType", lastActionType);
        for (ContractSigned c : contracts.values()) {
            f.put("contracts[" + c.contractId() + "]",
                    new CustomerState.Contract(c.contractId(), c.amount(), paid.contains(c.contractId())));
        }
        return f;
    }

    /**
     * Folds {@code actions} from an empty state and answers, per action, the fields it changed: the fields of
     * {@link #FIELDS} in that order, then each contract as {@code contracts[<id>]} (before {@code null} when the
     * action signed it).
     */
    public static List<ActionChanges> changesOf(List<StoredAction> actions) {
        StateFold fold = new StateFold();
        Map<String, Object> before = fold.fields();
        List<ActionChanges> out = new ArrayList<>(actions.size());
        for (StoredAction action : actions) {
            fold.apply(action);
            Map<String, Object> after = fold.fields();
            List<ActionChanges.FieldChange> changes = new ArrayList<>();
            for (Map.Entry<String, Object> e : after.entrySet()) {
                Object was = before.get(e.getKey());
                if (!Objects.equals(was, e.getValue())) {
                    changes.add(new ActionChanges.FieldChange(e.getKey(), was, e.getValue()));
                }
            }
            out.add(new ActionChanges(action.actionId(), action.type(), action.time(),
                    action.recordedAt(), List.copyOf(changes)));
            before = after;
        }
        return out;
    }
}
