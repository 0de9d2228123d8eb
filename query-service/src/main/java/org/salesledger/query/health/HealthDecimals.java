package org.salesledger.query.health;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one rounding of health figures, applied only in the response (contract §8): ratios and rates to 20 significant
 * digits, half to even, without trailing zeros; incentive amounts to 2 decimals, half to even; written as plain JSON
 * numbers, never in exponent form. The read model's figures are exact (ratios to 34 significant digits).
 */
final class HealthDecimals {

    static final MathContext DIGITS = new MathContext(20, RoundingMode.HALF_EVEN);

    private HealthDecimals() {
    }

    static BigDecimal round(BigDecimal exact) {
        if (exact == null) {
            return null;
        }
        BigDecimal rounded = exact.round(DIGITS).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }

    static BigDecimal money(BigDecimal exact) {
        return exact == null ? null : exact.setScale(2, RoundingMode.HALF_EVEN);
    }

    /** Writes a decimal as a plain JSON number: {@code 0.00000014}, not {@code 1.4E-7}. */
    static final class Plain extends JsonSerializer<BigDecimal> {
        @Override
        public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeNumber(value.toPlainString());
        }
    }
}
