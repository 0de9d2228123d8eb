package org.salesledger.kernel.lifecycle;

import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.customer.CustomerRegistered;
import org.salesledger.kernel.deal.ContractSigned;
import org.salesledger.kernel.deal.DealLost;
import org.salesledger.kernel.deal.NeedsConfirmed;
import org.salesledger.kernel.deal.ObjectionRaised;
import org.salesledger.kernel.deal.ProposalSent;
import org.salesledger.kernel.deal.TrialRequested;
import org.salesledger.kernel.value.ObjectionType;

/**
 * The stage rules of contract §2, in one pure function shared by the aggregate and the read models.
 *
 * <ul>
 *   <li>a stage only moves forward; an action that skips stages moves straight to the later one;</li>
 *   <li>{@code PRICE_OBJECTION} is entered only by a {@code PRICE} objection after a proposal;</li>
 *   <li>won ({@code CONTRACT_SIGNED}) and {@code LOST} are final;</li>
 *   <li>actions that signal no stage (visits, payments, touchpoints…) leave it as it is.</li>
 * </ul>
 */
public final class Lifecycle {

    private Lifecycle() {
    }

    /** The stage after {@code action}, given the stage before it ({@code null} before registration). */
    public static Stage next(Stage current, CustomerAction action) {
        if (action instanceof CustomerRegistered) {
            return current == null ? Stage.FIRST_CONTACT : current;
        }
        if (current == null || current.isFinal()) {
            return current;
        }
        Stage signalled = signalledStage(current, action);
        if (signalled == null) {
            return current;
        }
        if (signalled == Stage.LOST) {
            return Stage.LOST;
        }
        return signalled.ordinal() > current.ordinal() ? signalled : current;
    }

    private static Stage signalledStage(Stage current, CustomerAction action) {
        if (action instanceof NeedsConfirmed) {
            return Stage.NEEDS_CONFIRMED;
        }
        if (action instanceof ProposalSent) {
            return Stage.PROPOSAL_SENT;
        }
        if (action instanceof ObjectionRaised objection) {
            boolean afterProposal = current.ordinal() >= Stage.PROPOSAL_SENT.ordinal();
            return objection.objectionType() == ObjectionType.PRICE && afterProposal ? Stage.PRICE_OBJECTION : null;
        }
        if (action instanceof TrialRequested) {
            return Stage.TRIAL_REQUESTED;
        }
        if (action instanceof ContractSigned) {
            return Stage.CONTRACT_SIGNED;
        }
        if (action instanceof DealLost) {
            return Stage.LOST;
        }
        return null;
    }
}
