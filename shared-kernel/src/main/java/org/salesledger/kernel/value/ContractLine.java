package org.salesledger.kernel.value;

import java.math.BigDecimal;

/** One line of a signed contract; every field is optional in v1. */
public record ContractLine(String product, BigDecimal quantity, BigDecimal unitPrice, BigDecimal grossMarginPct) {
}
