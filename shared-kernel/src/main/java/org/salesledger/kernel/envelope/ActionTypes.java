package org.salesledger.kernel.envelope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
import org.salesledger.kernel.visit.VisitLogged;

/**
 * The envelope {@code type} names of contract v1 and the event records they stand for, and the types this system
 * adds to them (the contract allows additive types): {@code CustomerSnoozed}.
 */
public final class ActionTypes {

    private static final Map<String, Class<? extends CustomerAction>> BY_NAME;

    static {
        Map<String, Class<? extends CustomerAction>> m = new LinkedHashMap<>();
        for (Class<? extends CustomerAction> type : java.util.List.of(
                CustomerRegistered.class, VisitLogged.class, NeedsConfirmed.class, ProposalSent.class,
                ObjectionRaised.class, TrialRequested.class, ContractSigned.class, PaymentReceived.class,
                DealLost.class, TouchpointRecorded.class, CostIncurred.class, CustomerActionObserved.class,
                CustomerSnoozed.class)) {
            m.put(type.getSimpleName(), type);
        }
        BY_NAME = Collections.unmodifiableMap(m);
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

    public static java.util.Set<String> names() {
        return BY_NAME.keySet();
    }
}
