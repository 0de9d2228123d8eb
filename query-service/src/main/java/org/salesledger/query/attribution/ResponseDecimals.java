package org.salesledger.query.attribution;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one rounding of attribution figures, applied only in the response: 20 significant digits, half to even,
 * without trailing zeros, written as a plain JSON number (never in exponent form). The read model's figures are
 * exact; 20 significant digits keep every figure within 5e-20 of it relative, however small a share is.
 */
final class ResponseDecimals {

    static final MathContext DIGITS = new MathContext(20, RoundingMode.HALF_EVEN);

    private ResponseDecimals() {
    }

    static BigDecimal round(BigDecimal exact) {
        if (exact == null) {
            return null;
        }
        BigDecimal rounded = exact.round(DIGITS).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }

    /** Writes a decimal as a plain JSON number: {@code 0.00000014}, not {@code 1.4E-7}. */
    static final class Plain extends JsonSerializer<BigDecimal> {
        @Override
        public void serialize(BigDecimal value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeNumber(value.toPlainString());
        }
    }
}
