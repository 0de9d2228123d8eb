package org.salesledger.command.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Decimals as the contract allows them: a JSON number or a string holding one; never a float on the way. Values
 * with more than {@value #MAX_INTEGER_DIGITS} digits before the point or {@value #MAX_SCALE} after it are refused:
 * no real amount needs them, and an exponent such as {@code 1e999999999} would not survive being stored.
 */
final class Decimals {

    static final int MAX_INTEGER_DIGITS = 30;
    static final int MAX_SCALE = 18;

    private Decimals() {
    }

    static BigDecimal parse(JsonNode value) {
        BigDecimal decimal;
        try {
            if (value.isNumber()) {
                decimal = value.decimalValue();
            } else if (value.isTextual()) {
                decimal = new BigDecimal(value.asText().trim());
            } else {
                return null;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        boolean fits = decimal.scale() <= MAX_SCALE && decimal.precision() - decimal.scale() <= MAX_INTEGER_DIGITS;
        return fits ? decimal : null;
    }
}
