package org.salesledger.kernel.envelope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.customer.CustomerSnoozed;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.message.MessageSent;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.pool.PoolReleaseReminded;
import org.salesledger.kernel.rules.CollectionDue;
import org.salesledger.kernel.rules.CustomerClassified;
import org.salesledger.kernel.rules.CustomerTagged;
import org.salesledger.kernel.rules.CustomerUntagged;
import org.salesledger.kernel.rules.EscalationRaised;
import org.salesledger.kernel.rules.FollowUpDue;
import org.salesledger.kernel.rules.RuleMade;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.talktrack.TalkTrackIgnored;
import org.salesledger.kernel.talktrack.TalkTracksSuggested;
import org.salesledger.kernel.visit.VisitLogged;

/**
 * The one registry of customer event types: the envelope {@code type} names and the event records they stand for.
 *
 * <ul>
 *   <li>{@linkplain #isClientType client types}: the actions of contract v1 (§1, and {@code MessageSent} of §8),
 *       {@code TalkTrackFeedbackGiven} and {@code CustomerSnoozed} (additive types, as the contract allows) —
 *       what clients send to {@code POST /api/v1/actions} and the import;</li>
 *   <li>system types: what only the system records — the rule-made events of contract §6 ({@link RuleMade}) and
 *       {@code CustomerReassigned} (the pool and reassignment endpoints). The edge refuses them
 *       ({@link #recordedBy}).</li>
 * </ul>
 * Both kinds appear in the timeline and on Kafka alike.
 */
public final class ActionTypes {

    private static final Map<String, Class<? extends CustomerAction>> BY_NAME;
    private static final Set<String> CLIENT;

    static {
        List<Class<? extends CustomerAction>> client = List.of(
                CustomerRegistered.class, VisitLogged.class, NeedsConfirmed.class, ProposalSent.class,
                ObjectionRaised.class, TrialRequested.class, ContractSigned.class, PaymentReceived.class,
                DealLost.class, TouchpointRecorded.class, CostIncurred.class, CustomerActionObserved.class,
                MessageSent.class, TalkTrackFeedbackGiven.class, CustomerSnoozed.class);
        List<Class<? extends CustomerAction>> system = List.of(
                CustomerTagged.class, CustomerUntagged.class, CustomerClassified.class, EscalationRaised.class,
                FollowUpDue.class, CustomerReleasedToPool.class, CollectionDue.class, TalkTracksSuggested.class,
                TalkTrackIgnored.class, CustomerReassigned.class, PoolReleaseReminded.class);
        Map<String, Class<? extends CustomerAction>> m = new LinkedHashMap<>();
        Set<String> c = new LinkedHashSet<>();
        for (Class<? extends CustomerAction> type : client) {
            m.put(type.getSimpleName(), type);
            c.add(type.getSimpleName());
        }
        for (Class<? extends CustomerAction> type : system) {
            m.put(type.getSimpleName(), type);
        }
        BY_NAME = Collections.unmodifiableMap(m);
        CLIENT = Collections.unmodifiableSet(c);
    }

    private ActionTypes() {
    }

    public static Optional<Class<? extends CustomerAction>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The type name as it appears in the envelope: the record's simple name. */
    public static String nameOf(CustomerAction action) {
        return action.getClass().getSimpleName();
    }

    /** Every customer event type, client and system. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /** The types clients may send (over HTTP and in imports). */
    public static Set<String> clientNames() {
        return CLIENT;
    }

    public static boolean isClientType(String name) {
        return CLIENT.contains(name);
    }

    /**
     * Who records a system type, for the edge's refusal ("type X is recorded by …, not sent by clients"); empty
     * for client types and unknown names.
     */
    public static Optional<String> recordedBy(String name) {
        Class<? extends CustomerAction> type = BY_NAME.get(name);
        if (type == null || CLIENT.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(RuleMade.class.isAssignableFrom(type) ? "the rules"
                : "the pool and reassignment endpoints");
    }
}
