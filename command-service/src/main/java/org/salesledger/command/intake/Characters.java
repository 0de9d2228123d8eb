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
                String at = join(path, field.getKey());
                String problem = problem(field.getKey());
                if (problem != null) {
                    errors.add(new FieldError(at, "has a name containing " + problem));
                }
                check(field.getValue(), at, errors);
            }
        }
    }

    /**
     * The path of a field below {@code path}; a character of its name that cannot be stored (or shown) is written
     * as its JSON escape (a backslash, u and four hex digits), so that the path names the field and can itself be
     * shown and stored.
     */
    static String join(String path, String name) {
        String shown = problem(name) == null ? name : escaped(name);
        return path.isEmpty() ? shown : path + "." + shown;
    }

    private static String escaped(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1));
            if (paired) {
                out.append(c).append(name.charAt(++i));
            } else if (c == '\u0000' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
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
