package org.salesledger.command.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/** Decimals as the contract allows them: a JSON number or a string holding one; never a float on the way. */
final class Decimals {

    private Decimals() {
    }

    static BigDecimal parse(JsonNode value) {
        try {
            if (value.isNumber()) {
                return value.decimalValue();
            }
            if (value.isTextual()) {
                return new BigDecimal(value.asText().trim());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
