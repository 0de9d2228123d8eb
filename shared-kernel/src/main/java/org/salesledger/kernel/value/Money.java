package org.salesledger.kernel.value;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/** An exact amount in one ISO 4217 currency. Amounts in different currencies are never added together. */
public record Money(BigDecimal value, String currency) {

    public Money {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(currency, "currency");
        if (!isIsoCurrency(currency)) {
            throw new IllegalArgumentException("currency '" + currency + "' is not an ISO 4217 code");
        }
    }

    public static boolean isIsoCurrency(String code) {
        if (code == null || code.length() != 3 || !code.equals(code.toUpperCase(java.util.Locale.ROOT))) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
