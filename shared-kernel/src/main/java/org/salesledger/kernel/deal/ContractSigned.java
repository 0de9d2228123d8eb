package org.salesledger.kernel.deal;

import java.util.Map;
import java.util.List;
import org.salesledger.kernel.value.ContractLine;
import org.salesledger.kernel.value.Money;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.value.CustomerId;

/** A contract was signed: a conversion. Enters stage {@code CONTRACT_SIGNED} (won). */
public record ContractSigned(
        CustomerId customerId,
        String contractId,
        Money amount,
        List<ContractLine> lines,
        List<String> departments,
        Map<String, Object> additional) implements CustomerAction {

    public ContractSigned {
        java.util.Objects.requireNonNull(customerId, "customerId");
        additional = additional == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(additional));
    }
}
