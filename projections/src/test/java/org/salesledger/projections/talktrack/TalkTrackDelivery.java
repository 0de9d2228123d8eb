package org.salesledger.projections.talktrack;

import org.axonframework.eventhandling.DomainEventMessage;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.pool.CustomerReassigned;
import org.salesledger.kernel.pool.CustomerReleasedToPool;
import org.salesledger.kernel.talktrack.TalkTrackFeedbackGiven;

/** The tests' stand-in for Axon's handler lookup: a stored event given to the projection's handler of its type. */
final class TalkTrackDelivery {

    private TalkTrackDelivery() {
    }

    static void deliver(TalkTrackProjection projection, DomainEventMessage<CustomerAction> m) {
        Object p = m.getPayload();
        Long seq = m.getSequenceNumber();
        if (p instanceof CustomerRegistered e) {
            projection.on(e, seq, m.getMetaData());
        } else if (p instanceof CustomerReassigned e) {
            projection.on(e, seq, m.getMetaData());
        } else if (p instanceof CustomerReleasedToPool e) {
            projection.on(e, seq, m.getMetaData());
        } else if (p instanceof ProposalSent e) {
            projection.on(e, seq, m.getMetaData());
        } else if (p instanceof ContractSigned e) {
            projection.on(e, seq, m.getMetaData());
        } else if (p instanceof TalkTrackFeedbackGiven e) {
            projection.on(e, seq, m.getMetaData());
        } else {
            throw new IllegalArgumentException("no handler for " + p);
        }
    }
}
