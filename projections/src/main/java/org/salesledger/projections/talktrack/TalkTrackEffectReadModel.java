package org.salesledger.projections.talktrack;

import java.util.List;
import org.salesledger.kernel.access.Scope;

/**
 * The measured effect of talk-track scripts, computed from the events:
 * <ul>
 *   <li>{@code uses}: how often reps answered {@code USED} for the script; {@code customers}: on how many customers;</li>
 *   <li>{@code dealsWithinWindow}: customers that signed a contract ({@code ContractSigned}) within
 *       {@code windowDays} (default 30) days after a use of the script (at or after the use's {@code time});</li>
 *   <li>{@code decisionCycle}: over customers whose first contract came at or after their first proposal, the days
 *       from the first {@code ProposalSent} to the first {@code ContractSigned} (fractional), split into customers
 *       on whom the script was used at or before that first contract ({@code with}) and the others ({@code without}):
 *       how many, and the median; {@code daysSaved} = median without − median with (absent when either group is
 *       empty).</li>
 * </ul>
 * Every count and median is over the customers the {@link Scope} covers (their registration region, their owner
 * now).
 */
public interface TalkTrackEffectReadModel {

    record Effect(String scriptId, long uses, long customers, int windowDays, long dealsWithinWindow,
                  Cycle decisionCycle) {
    }

    record Cycle(Group with, Group without, Double daysSaved) {
    }

    record Group(long customers, Double medianDays) {
    }

    /** The effect of one script over the customers in {@code scope} (zeros for a script never used on them). */
    Effect effect(Scope scope, String scriptId, int windowDays);

    /** The effect of every script used at least once on a customer in {@code scope}, by script id. */
    List<Effect> effects(Scope scope, int windowDays);
}
