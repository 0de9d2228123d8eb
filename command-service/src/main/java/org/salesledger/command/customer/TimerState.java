package org.salesledger.command.customer;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.lifecycle.Stage;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.pool.PoolReleaseReminded;
import org.salesledger.kernel.rules.CollectionDue;
import org.salesledger.kernel.rules.EscalationRaised;
import org.salesledger.kernel.rules.FollowUpDue;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.kernel.value.CustomerId;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.value.RepId;

/**
 * The waiting periods of one customer that time-driven rules measure, and which of them were already acted on. Pure:
 * it is told every stored action (with the action's own time and actor) and answers, for a set of rules, when the
 * next period runs out and what is due at a given moment. Times are the actions' {@code time}s; the moment a
 * deadline fires comes from the scheduler. Nothing here reads a clock.
 *
 * <ul>
 *   <li>ESCALATE: the period starts when the customer enters the rule's stage (the action that moved it there) and
 *       ends when it leaves the stage or an action of one of the rule's {@code unless} types is recorded; due
 *       {@code after} from the entry;</li>
 *   <li>IDLE: the period starts at the customer's latest action (the latest {@code time} of an action a person sent;
 *       rule-made and system actions do not count); due {@code after} later; not for lost customers nor while the
 *       customer is in the pool;</li>
 *   <li>POOL: the owner's protection: from the moment the owner got the customer (registration, claim,
 *       reassignment), each action the owner sends (envelope {@code actor} = the owner) extends it to
 *       {@code after} (for the customer's class: {@code afterByClass}) past that follow-up, never beyond
 *       {@code maxAfter} from the moment the owner got it; a reminder {@code remindBefore} the release; not for won
 *       customers;</li>
 *   <li>COLLECTION: per signed contract, due {@code after} from its signing unless a {@code PaymentReceived} for it
 *       was recorded.</li>
 * </ul>
 * Each period is acted on once per rule, whatever the rule's version: the acted-on markers are set by the recorded
 * events themselves, so they survive restarts and replays.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class TimerState {

    private Stage stage;
    private long stageSeq = -1;
    private Instant stageSince;
    private Set<String> typesSinceStage = new HashSet<>();
    private Instant lastActionAt;
    private String owner;
    private Instant ownerSince;
    private long ownerSeq = -1;
    private Instant lastFollowUpAt;
    private boolean inPool;
    private String previousOwner;
    private Instant releasedAt;
    private Map<String, Contract> contracts = new LinkedHashMap<>();
    private Map<String, Long> escalated = new HashMap<>();
    private Map<String, Instant> idled = new HashMap<>();
    private Map<String, Instant> reminded = new HashMap<>();

    /** A signed contract: when, how much, whether paid, and which COLLECTION rules already put it on the list. */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    static final class Contract {
        private Instant signedAt;
        private Money amount;
        private boolean paid;
        private Set<String> collected = new HashSet<>();

        @Override
        public boolean equals(Object other) {
            return other instanceof Contract c && Objects.equals(signedAt, c.signedAt)
                    && Objects.equals(amount, c.amount) && paid == c.paid && collected.equals(c.collected);
        }

        @Override
        public int hashCode() {
            return Objects.hash(signedAt, amount, paid, collected);
        }
    }

    /** A duration as ISO 8601, in days when it is whole days ({@code P30D}, not {@code PT720H}). */
    public static String iso(java.time.Duration duration) {
        if (duration.getNano() == 0 && duration.getSeconds() % 86_400 == 0) {
            return "P" + duration.getSeconds() / 86_400 + "D";
        }
        return duration.toString();
    }

    /** What is due: a rule, the moment, and what it records. */
    public record Due(TimeRule rule, Instant at, What what, String contractId) {
    }

    /** What a due deadline records. */
    public enum What { ESCALATE, FOLLOW_UP, REMIND, RELEASE, COLLECT }

    // ---- reading ----

    public boolean inPool() {
        return inPool;
    }

    public String previousOwner() {
        return previousOwner;
    }

    public Instant releasedAt() {
        return releasedAt;
    }

    public String owner() {
        return owner;
    }

    public Instant lastFollowUpAt() {
        return lastFollowUpAt;
    }

    // ---- folding ----

    /**
     * Takes a stored action into account.
     *
     * @param seq        its sequence number in the customer's stream
     * @param occurredAt its {@code time}
     * @param actor      its envelope {@code actor}
     * @param stageAfter the customer's stage after it
     */
    public void apply(CustomerAction action, long seq, Instant occurredAt, String actor, Stage stageAfter) {
        if (stageAfter != stage) {
            stage = stageAfter;
            stageSeq = seq;
            stageSince = occurredAt;
            typesSinceStage = new HashSet<>();
        } else if (ActionTypes.isClientType(ActionTypes.nameOf(action))) {
            typesSinceStage.add(ActionTypes.nameOf(action));
        }
        if (action instanceof RuleMade) {
            applyRuleMade((RuleMade) action, occurredAt);
            return;
        }
        if (action instanceof CustomerRegistered registered) {
            owner = registered.ownerRepId() == null ? null : registered.ownerRepId().value();
            assigned(seq, occurredAt);
        } else if (action instanceof CustomerReassigned reassigned) {
            if (reassigned.toRepId() != null) {
                owner = reassigned.toRepId().value();
            }
            inPool = false;
            assigned(seq, occurredAt);
        } else if (action instanceof ContractSigned signed) {
            Contract contract = new Contract();
            contract.signedAt = occurredAt;
            contract.amount = signed.amount();
            contracts.putIfAbsent(signed.contractId(), contract);
        } else if (action instanceof PaymentReceived payment && contracts.containsKey(payment.contractId())) {
            contracts.get(payment.contractId()).paid = true;
        }
        if (ActionTypes.isClientType(ActionTypes.nameOf(action))) {
            lastActionAt = later(lastActionAt, occurredAt);
            if (owner != null && owner.equals(actor) && !occurredAt.isBefore(ownerSince)) {
                lastFollowUpAt = later(lastFollowUpAt, occurredAt);
            }
        }
    }

    private void assigned(long seq, Instant at) {
        ownerSeq = seq;
        ownerSince = at;
        lastFollowUpAt = at;
    }

    private void applyRuleMade(RuleMade made, Instant occurredAt) {
        if (made instanceof EscalationRaised) {
            escalated.put(made.ruleId(), stageSeq);
        } else if (made instanceof FollowUpDue due) {
            idled.put(made.ruleId(), due.lastActionAt());
        } else if (made instanceof PoolReleaseReminded reminder) {
            reminded.put(made.ruleId(), reminder.releaseAt());
        } else if (made instanceof CustomerReleasedToPool) {
            inPool = true;
            previousOwner = owner;
            releasedAt = occurredAt;
        } else if (made instanceof CollectionDue due && contracts.containsKey(due.contractId())) {
            contracts.get(due.contractId()).collected.add(made.ruleId());
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    // ---- deciding ----

    /** Every waiting period of these rules not yet acted on, with the moment it runs out, earliest first. */
    public List<Due> dues(List<TimeRule> rules, String customerClass) {
        List<Due> dues = new ArrayList<>();
        if (stage == null) {
            return dues;
        }
        for (TimeRule rule : rules) {
            switch (rule.kind()) {
                case ESCALATE -> {
                    if (stage == rule.stage() && typesSinceStage.stream().noneMatch(rule.unless()::contains)
                            && !Objects.equals(escalated.get(rule.ruleId()), stageSeq)) {
                        dues.add(new Due(rule, stageSince.plus(rule.after()), What.ESCALATE, null));
                    }
                }
                case IDLE -> {
                    if (stage != Stage.LOST && !inPool && lastActionAt != null
                            && !lastActionAt.equals(idled.get(rule.ruleId()))) {
                        dues.add(new Due(rule, lastActionAt.plus(rule.after()), What.FOLLOW_UP, null));
                    }
                }
                case POOL -> {
                    if (owner != null && !inPool && stage != Stage.CONTRACT_SIGNED) {
                        Instant release = releaseAt(rule, customerClass);
                        if (rule.remindBefore() != null) {
                            Instant remind = release.minus(rule.remindBefore());
                            if (remind.isAfter(lastFollowUpAt) && !release.equals(reminded.get(rule.ruleId()))) {
                                dues.add(new Due(rule, remind, What.REMIND, null));
                            }
                        }
                        dues.add(new Due(rule, release, What.RELEASE, null));
                    }
                }
                case COLLECTION -> contracts.forEach((id, contract) -> {
                    if (!contract.paid && !contract.collected.contains(rule.ruleId())) {
                        dues.add(new Due(rule, contract.signedAt.plus(rule.after()), What.COLLECT, id));
                    }
                });
                default -> throw new IllegalStateException("unknown kind " + rule.kind());
            }
        }
        dues.sort(Comparator.comparing(Due::at));
        return dues;
    }

    /** POOL: when the owner's protection ends (see the class comment). */
    public Instant releaseAt(TimeRule rule, String customerClass) {
        Instant release = lastFollowUpAt.plus(rule.afterFor(customerClass));
        if (rule.maxAfter() != null) {
            Instant hardEnd = ownerSince.plus(rule.maxAfter());
            if (hardEnd.isBefore(release)) {
                release = hardEnd;
            }
        }
        return release;
    }

    /**
     * The next moment a period of these rules runs out, strictly after {@code after} when given (what is due at or
     * before it was either recorded or not wanted by the rule's condition at that moment); {@code null} when none.
     */
    public Instant nextDue(List<TimeRule> rules, String customerClass, Instant after) {
        for (Due due : dues(rules, customerClass)) {
            if (after == null || due.at().isAfter(after)) {
                return due.at();
            }
        }
        return null;
    }

    /**
     * What is due at {@code firedAt}, as the events to record (earliest first): every period that has run out by
     * then, of a rule whose condition holds now. A reminder whose release is due at the same time is skipped.
     */
    public List<RuleMade> due(CustomerId customer, List<TimeRule> rules, String customerClass, Instant firedAt) {
        return due(customer, rules, customerClass, firedAt, org.salesledger.kernel.access.OrgChart.EMPTY, null);
    }

    /**
     * What is due, each {@code ESCALATE}/{@code IDLE} rule's {@code to} resolved through the organisation for this
     * customer ({@code owner.supervisor}, {@code region.director}, or a user id as written).
     */
    public List<RuleMade> due(CustomerId customer, List<TimeRule> rules, String customerClass, Instant firedAt,
                              org.salesledger.kernel.access.OrgChart chart, String region) {
        List<RuleMade> records = new ArrayList<>();
        Set<String> releasing = new HashSet<>();
        List<Due> dues = dues(rules, customerClass).stream()
                .filter(d -> !d.at().isAfter(firedAt) && d.rule().whenHolds()).toList();
        for (Due due : dues) {
            if (due.what() == What.RELEASE) {
                releasing.add(due.rule().ruleId());
            }
        }
        RepId ownerId = owner == null ? null : RepId.of(owner);
        for (Due due : dues) {
            TimeRule rule = due.rule();
            switch (due.what()) {
                case ESCALATE -> records.add(new EscalationRaised(customer, stage.name(), stageSince,
                        iso(rule.after()), chart.resolve(rule.to(), owner, region), ownerId, rule.unless(),
                        rule.ruleId(), rule.version(),
                        null));
                case FOLLOW_UP -> records.add(new FollowUpDue(customer, ownerId, chart.resolve(rule.to(), owner, region),
                        lastActionAt,
                        iso(rule.after()), rule.ruleId(), rule.version(), null));
                case REMIND -> {
                    if (!releasing.contains(rule.ruleId())) {
                        records.add(new PoolReleaseReminded(customer, ownerId, releaseAt(rule, customerClass),
                                lastFollowUpAt, iso(rule.remindBefore()), rule.ruleId(), rule.version(), null));
                    }
                }
                case RELEASE -> records.add(new CustomerReleasedToPool(customer, ownerId, lastFollowUpAt,
                        iso(rule.afterFor(customerClass)), rule.ruleId(), rule.version(), null));
                case COLLECT -> {
                    Contract contract = contracts.get(due.contractId());
                    records.add(new CollectionDue(customer, due.contractId(), contract.amount, contract.signedAt,
                            iso(rule.after()), ownerId, rule.ruleId(), rule.version(), null));
                }
                default -> throw new IllegalStateException("unknown due " + due.what());
            }
        }
        return records;
    }

    /**
     * The envelope id of a rule-made action recorded by a deadline: derived from the customer, the rule, the type and
     * the waiting period, so the same period always names its action alike.
     */
    public String actionId(String customerId, RuleMade action) {
        String period = "";
        if (action instanceof EscalationRaised) {
            period = Long.toString(stageSeq);
        } else if (action instanceof FollowUpDue f) {
            period = String.valueOf(f.lastActionAt());
        } else if (action instanceof PoolReleaseReminded r) {
            period = String.valueOf(r.releaseAt());
        } else if (action instanceof CustomerReleasedToPool) {
            period = Long.toString(ownerSeq);
        } else if (action instanceof CollectionDue c) {
            period = c.contractId();
        }
        String name = customerId + "\u0000" + action.ruleId() + "\u0000" + action.getClass().getSimpleName()
                + "\u0000" + period;
        return "rule-" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
