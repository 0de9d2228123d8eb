package org.salesledger.command.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.FieldLimits;
import org.salesledger.kernel.value.GeoPoint;
import org.salesledger.kernel.value.Money;

/**
 * Reads the fields of one JSON object, collecting a {@link FieldError} for every field that is missing or
 * malformed instead of stopping at the first. A JSON {@code null} counts as absent. The fields that were never
 * asked for are the object's {@linkplain #unread() unread} ones: the contract keeps them.
 */
final class Fields {

    private final JsonNode node;
    private final String path;
    private final List<FieldError> errors;
    private final String type;
    private final Set<String> read = new HashSet<>();

    /** The fields of the envelope itself, before its type is known. */
    Fields(JsonNode node, String path, List<FieldError> errors) {
        this(node, path, errors, null);
    }

    /** The fields of an object of an envelope of the given type, whose limits ({@link FieldLimits}) apply. */
    Fields(JsonNode node, String path, List<FieldError> errors, String type) {
        this.node = node;
        this.path = path;
        this.errors = errors;
        this.type = type;
    }

    /** The same object read as part of an envelope of the given type. */
    Fields ofType(String type) {
        return new Fields(node, path, errors, type);
    }

    List<FieldError> errors() {
        return errors;
    }

    private String at(String name) {
        return Characters.join(path, name);
    }

    private JsonNode get(String name, boolean required) {
        read.add(name);
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError(at(name), "is required"));
            }
            return null;
        }
        return value;
    }

    void fail(String name, String message) {
        errors.add(new FieldError(at(name), message));
    }

    String text(String name, boolean required) {
        JsonNode value = get(name, required);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            fail(name, "must be a string");
            return null;
        }
        if (required && value.asText().isBlank()) {
            fail(name, "must not be blank");
            return null;
        }
        int limit = FieldLimits.of(type, at(name));
        if (value.asText().length() > limit) {
            fail(name, tooLong(limit, value.asText().length()));
            return null;
        }
        return value.asText();
    }

    static String tooLong(int limit, int length) {
        return "must be at most " + limit + " characters (got " + length + ")";
    }

    List<String> texts(String name, boolean required) {
        int limit = FieldLimits.of(type, at(name) + "[]");
        return list(name, required, (item) -> item.isTextual() && !item.asText().isBlank()
                        && item.asText().length() <= limit ? item.asText() : null,
                "a non-blank string of at most " + limit + " characters");
    }

    /** The limit of a text inside the items of a list field, e.g. {@code textLimit("photos[].uri")}. */
    int itemTextLimit(String pathBelow) {
        return FieldLimits.of(type, at(pathBelow));
    }

    <T> List<T> list(String name, boolean required, Function<JsonNode, T> item, String itemShape) {
        JsonNode value = get(name, required);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            fail(name, "must be a list");
            return null;
        }
        if (value.size() > FieldLimits.LIST_ITEMS) {
            fail(name, "must hold at most " + FieldLimits.LIST_ITEMS + " items (got " + value.size() + ")");
            return null;
        }
        List<T> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            T parsed = item.apply(value.get(i));
            if (parsed == null) {
                errors.add(new FieldError(at(name) + "[" + i + "]", "must be " + itemShape));
            } else {
                items.add(parsed);
            }
        }
        return items.size() == value.size() ? List.copyOf(items) : null;
    }

    Fields object(String name, boolean required) {
        JsonNode value = get(name, required);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            fail(name, "must be an object");
            return null;
        }
        return new Fields(value, at(name), errors, type);
    }

    /** A date of the years 0001–9999, as every store and CEL keep them. */
    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile(
            "(?!0000)\\d{4}-\\d{2}-\\d{2}");

    LocalDate date(String name, boolean required) {
        String text = text(name, required);
        if (text == null) {
            return null;
        }
        try {
            if (!DATE.matcher(text).matches()) {
                throw new DateTimeParseException("not YYYY-MM-DD", text, 0);
            }
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            fail(name, "must be a date as YYYY-MM-DD (years 0001 to 9999), e.g. 2025-03-31");
            return null;
        }
    }

    BigDecimal decimal(String name, boolean required) {
        JsonNode value = get(name, required);
        if (value == null) {
            return null;
        }
        BigDecimal decimal = Decimals.parse(value);
        if (decimal == null) {
            fail(name, "must be a decimal number (a JSON number or a string such as \"1200.50\"), with at most "
                    + Decimals.MAX_INTEGER_DIGITS + " digits before the point and " + Decimals.MAX_SCALE + " after it");
        }
        return decimal;
    }

    Double number(String name, boolean required) {
        JsonNode value = get(name, required);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            fail(name, "must be a number");
            return null;
        }
        return value.asDouble();
    }

    GeoPoint geo(String name, boolean required) {
        Fields geo = object(name, required);
        if (geo == null) {
            return null;
        }
        Double lat = geo.number("lat", true);
        Double lon = geo.number("lon", true);
        boolean ok = lat != null && lon != null;
        if (lat != null && (lat < -90 || lat > 90)) {
            geo.fail("lat", "must be between -90 and 90");
            ok = false;
        }
        if (lon != null && (lon < -180 || lon > 180)) {
            geo.fail("lon", "must be between -180 and 180");
            ok = false;
        }
        return ok ? new GeoPoint(lat, lon) : null;
    }

    Money money(String name, boolean required) {
        Fields money = object(name, required);
        if (money == null) {
            return null;
        }
        BigDecimal value = money.decimal("value", true);
        String currency = money.text("currency", true);
        if (currency != null && !Money.isIsoCurrency(currency)) {
            money.fail("currency", "must be an ISO 4217 currency code such as CNY, EUR or USD");
            currency = null;
        }
        return value != null && currency != null ? new Money(value, currency) : null;
    }

    <E extends Enum<E>> E code(String name, boolean required, Class<E> type) {
        String text = text(name, required);
        if (text == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            fail(name, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
            return null;
        }
    }

    /**
     * The fields nobody asked for, in their original order, kept as plain Java values; each is checked against the
     * free-form bounds of {@link FieldLimits} (name length, string length, nesting, number size) first.
     */
    Map<String, Object> unread() {
        Map<String, Object> rest = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            if (!read.contains(field.getKey())) {
                if (FreeForm.fits(field.getKey(), field.getValue(), path, 1, errors)) {
                    rest.put(field.getKey(), ActionData.mapper().convertValue(field.getValue(), Object.class));
                }
            }
        });
        return rest;
    }

    boolean isObject() {
        return node instanceof ObjectNode;
    }
}
