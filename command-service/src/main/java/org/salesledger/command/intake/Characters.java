package org.salesledger.command.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Characters no store keeps: U+0000 (PostgreSQL's {@code text}, {@code varchar} and {@code jsonb} refuse it) and
 * UTF-16 surrogates without their other half (a JSON {@code \ud800} escape: no UTF-8 encoding exists for it).
 * Every string of an envelope — values and field names, at any depth — is looked at, and each one that holds such
 * a character is named.
 */
final class Characters {

    private Characters() {
    }

    /** Adds an error for every string (or field name) under {@code node} at {@code path} that cannot be stored. */
    static void check(JsonNode node, String path, List<FieldError> errors) {
        if (node.isTextual()) {
            String problem = problem(node.textValue());
            if (problem != null) {
                errors.add(new FieldError(path, "must not contain " + problem));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]", errors);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String problem = problem(field.getKey());
                if (problem != null) {
                    errors.add(new FieldError(path, "has a field name containing " + problem));
                    continue;
                }
                check(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), errors);
            }
        }
    }

    private static String unpaired(char c) {
        return "an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                + "), which is not a character and has no UTF-8 form";
    }

    /** What in a string cannot be stored ("the character U+0000 …"), or {@code null} when it all can. */
    static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "the character U+0000 (NUL), which no store keeps";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return unpaired(c);
                }
            } else if (Character.isLowSurrogate(c)) {
                return unpaired(c);
            }
        }
        return null;
    }
}
