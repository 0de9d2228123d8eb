package org.salesledger.kernel.deal;

import java.util.Map;
import java.time.LocalDate;
import java.util.List;
import org.salesledger.kernel.value.Document;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** A proposal (a PDF) went out with an expected decision date and the customer's three key parameters. Enters stage {@code PROPOSAL_SENT}. */
public record ProposalSent(
        CustomerId customerId,
        Document document,
        LocalDate expectedDecisionDate,
        List<String> keyParameters,
        Money amount,
        Map<String, Object> additional) implements CustomerAction {

    public ProposalSent {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
