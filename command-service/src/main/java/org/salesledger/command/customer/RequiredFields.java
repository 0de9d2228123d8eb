package org.salesledger.command.customer;

import java.util.List;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.customer.CustomerSnoozed;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.PaymentReceived;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.marketing.CostIncurred;
import org.salesledger.kernel.marketing.CustomerActionObserved;
import org.salesledger.kernel.marketing.TouchpointRecorded;
import org.salesledger.kernel.message.MessageSent;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.visit.VisitLogged;

/**
 * The fields contract §1 requires of each type, as the aggregate's own guard: the HTTP edge already explains
 * every missing or malformed field in detail, this makes sure no other caller records an incomplete action.
 */
final class RequiredFields {

    private RequiredFields() {
    }

    /** Why an action is incomplete: the data field and the reason. */
    record Gap(String field, String reason) {
    }

    /** The first gap: a required field that is missing, a proposal that is not a PDF or lacks its 3 parameters. */
    static Gap firstGap(CustomerAction action) {
        if (action instanceof ProposalSent p && p.document() != null && !Document.PDF.equals(p.document().mediaType())) {
            return new Gap("document.mediaType", "must be \"application/pdf\": a proposal is sent as a PDF document");
        }
        if (action instanceof ProposalSent p && p.keyParameters() != null && !p.keyParameters().isEmpty()
                && p.keyParameters().size() != 3) {
            return new Gap("keyParameters", "must hold exactly 3 parameters the customer cares most about, got "
                    + p.keyParameters().size());
        }
        String missing = firstMissing(action);
        return missing == null ? null : new Gap(missing, "is required");
    }

    private static String firstMissing(CustomerAction action) {
        if (action instanceof CustomerRegistered r) {
            return first(r.name(), "name", r.region(), "region", r.ownerRepId(), "ownerRepId", r.channel(), "channel");
        }
        if (action instanceof VisitLogged v) {
            return first(v.contactRole(), "contactRole", v.location(), "location");
        }
        if (action instanceof ProposalSent p) {
            return first(p.document(), "document", p.expectedDecisionDate(), "expectedDecisionDate",
                    p.keyParameters(), "keyParameters");
        }
        if (action instanceof ObjectionRaised o) {
            return first(o.objectionType(), "objectionType");
        }
        if (action instanceof ContractSigned c) {
            return first(c.contractId(), "contractId", c.amount(), "amount");
        }
        if (action instanceof PaymentReceived p) {
            return first(p.contractId(), "contractId", p.amount(), "amount");
        }
        if (action instanceof DealLost d) {
            return first(d.reason(), "reason");
        }
        if (action instanceof TouchpointRecorded t) {
            return first(t.channel(), "channel");
        }
        if (action instanceof CostIncurred c) {
            return first(c.category(), "category", c.amount(), "amount");
        }
        if (action instanceof CustomerActionObserved o) {
            return first(o.kind(), "kind", o.refActionId(), "refActionId");
        }
        if (action instanceof MessageSent m) {
            return first(m.channel(), "channel");
        }
        if (action instanceof CustomerSnoozed s) {
            return first(s.until(), "until", s.reason(), "reason");
        }
        if (action instanceof TalkTrackFeedbackGiven f) {
            return first(f.suggestionId(), "suggestionId", f.scriptId(), "scriptId", f.feedback(), "feedback");
        }
        return null;
    }

    private static String first(Object... valuesAndNames) {
        for (int i = 0; i < valuesAndNames.length; i += 2) {
            Object value = valuesAndNames[i];
            if (value == null || (value instanceof String s && s.isBlank())
                    || (value instanceof List<?> l && l.isEmpty())) {
                return (String) valuesAndNames[i + 1];
            }
        }
        return null;
    }
}
