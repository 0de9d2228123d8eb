package org.salesledger.command.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.salesledger.kernel.envelope.FieldLimits;

/**
 * The bounds of the free-form fields of {@code data} (those the contract does not name, kept and published as
 * sent): field names of at most {@link FieldLimits#FREE_FORM_KEY} characters, strings of at most
 * {@link FieldLimits#TEXT}, at most {@link FieldLimits#FREE_FORM_DEPTH} objects and lists nested in each other, and numbers of at most
 * {@link FieldLimits#FREE_FORM_NUMBER_DIGITS} digits before and after the point — so that the event store, the
 * timeline's {@code jsonb} and the Kafka envelope keep exactly what was accepted.
 */
final class FreeForm {

    private FreeForm() {
    }

    /** Checks one free-form field of the object at {@code parent}; {@code true} when it fits every bound. */
    static boolean fits(String key, JsonNode value, String parent, int depth, List<FieldError> errors) {
        String path = Characters.join(parent, key);
        if (key.length() > FieldLimits.FREE_FORM_KEY) {
            errors.add(new FieldError(parent, "has a field name longer than " + FieldLimits.FREE_FORM_KEY
                    + " characters (got " + key.length() + ")"));
            return false;
        }
        if (depth == 1 && nesting(value) > FieldLimits.FREE_FORM_DEPTH) {
            errors.add(new FieldError(path, "is nested deeper than " + FieldLimits.FREE_FORM_DEPTH
                    + " levels of objects and lists"));
            return false;
        }
        return fits(value, path, depth, errors);
    }

    /** How many objects and lists are nested in each other at the deepest point of {@code value} (0: a scalar). */
    private static int nesting(JsonNode value) {
        int deepest = 0;
        if (value.isContainerNode()) {
            for (JsonNode child : value) {
                deepest = Math.max(deepest, nesting(child));
            }
            return deepest + 1;
        }
        return 0;
    }

    private static boolean fits(JsonNode value, String path, int depth, List<FieldError> errors) {
        if (value.isTextual()) {
            if (value.textValue().length() > FieldLimits.TEXT) {
                errors.add(new FieldError(path, Fields.tooLong(FieldLimits.TEXT, value.textValue().length())));
                return false;
            }
            return true;
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            int after = Math.max(0, number.scale());
            long before = (long) number.precision() - number.scale();
            if (after > FieldLimits.FREE_FORM_NUMBER_DIGITS || before > FieldLimits.FREE_FORM_NUMBER_DIGITS) {
                errors.add(new FieldError(path, "must be a number with at most " + FieldLimits.FREE_FORM_NUMBER_DIGITS
                        + " digits before the decimal point and " + FieldLimits.FREE_FORM_NUMBER_DIGITS + " after it"));
                return false;
            }
            return true;
        }
        boolean ok = true;
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                ok &= fits(value.get(i), path + "[" + i + "]", depth + 1, errors);
            }
        } else if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                ok &= fits(field.getKey(), field.getValue(), path, depth + 1, errors);
            }
        }
        return ok;
    }
}
