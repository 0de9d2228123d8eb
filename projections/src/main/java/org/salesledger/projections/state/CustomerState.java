package org.salesledger.projections.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.salesledger.kernel.value.Money;

/**
 * A customer as it stood at {@code asOf} as the system knew it at {@code knownAt} (contract §9): what the actions
 * with {@code time} ≤ asOf stored by knownAt add up to, folded by {@link StateFold} (see there for how each field
 * derives). Times are ISO-8601 text; {@code lastActionAt} is the envelope {@code time} exactly as sent.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CustomerState(String customerId, String asOf, String knownAt, String stage, String ownerRepId,
                            String region, String team, String channel,
                            @JsonProperty("class") String customerClass, List<String> tags, boolean inPool,
                            String snoozedUntil, String lastActionAt, String lastActionType, List<Contract> contracts,
                            int actionsApplied, String lastActionId) {

    /** A signed contract: its amount as signed, and whether a payment for it has been applied. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Contract(String contractId, Money amount, boolean paid) {
    }
}
