package org.salesledger.projections.attribution;

import java.math.BigDecimal;

/** One conversion (a {@code ContractSigned}): when (microseconds since the epoch), its stored order and value. */
record Conversion(long at, long seq, BigDecimal amount, String currency) {
}
