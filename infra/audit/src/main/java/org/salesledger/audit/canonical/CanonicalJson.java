package org.salesledger.audit.canonical;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSON Canonicalization Scheme of RFC 8785 (JCS): the one byte string a JSON value is hashed as.
 *
 * <ul>
 *   <li>no whitespace; object members sorted by their names compared as UTF-16 code units (§3.2.3), which is
 *       {@link String#compareTo}; array order kept;</li>
 *   <li>strings (§3.2.2.2): {@code "} and {@code \} escaped, {@code \b \t \n \f \r} as such, other controls below
 *       U+0020 as {@code \}{@code u00xx} in lower-case hex, everything else as itself, in UTF-8;</li>
 *   <li>numbers (§3.2.2.3) as IEEE-754 doubles written by {@link Es6Numbers}.</li>
 * </ul>
 *
 * <p>Refused with an {@link IllegalArgumentException} naming the JSON path: NaN and the infinities, a lone surrogate
 * in a string or name (RFC 8785 §3.2.2.2 asks for valid Unicode), binary or POJO nodes; and, when parsing text,
 * duplicate member names and trailing content. Also refused, because canonicalising would silently change them so
 * that two different values hashed alike: an integer node that no double holds exactly (I-JSON, RFC 7493 §2.2; RFC
 * 8785 Appendix D says to send such numbers as strings), and a {@link BigDecimal} node whose value is not the decimal
 * JCS writes for its double ({@code 1250.50} is fine, it is written {@code 1250.5}; {@code 0.1} too;
 * {@code 12345678901234567.89} is not). A number in JSON text is read as the nearest double, as everywhere in JCS.
 */
public final class CanonicalJson {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CanonicalJson() {
    }

    /** The canonical UTF-8 bytes of {@code value}. */
    public static byte[] bytes(JsonNode value) {
        return string(value).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical UTF-8 bytes of the JSON text {@code json}. */
    public static byte[] bytes(String json) {
        return bytes(parse(json));
    }

    /** The canonical form of {@code value}, as a Java string (encode it as UTF-8 to hash it). */
    public static String string(JsonNode value) {
        StringBuilder out = new StringBuilder(256);
        write(value, "$", out);
        return out.toString();
    }

    /** The canonical form of the JSON text {@code json}. */
    public static String string(String json) {
        return string(parse(json));
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = STRICT.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("canonical JSON: the text holds no JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("canonical JSON: not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void write(JsonNode node, String path, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    names.add(it.next());
                }
                names.sort(null); // String order is UTF-16 code unit order (RFC 8785 §3.2.3)
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    if (i > 0) {
                        out.append(',');
                    }
                    String memberPath = path + "." + name;
                    writeString(name, memberPath, out);
                    out.append(':');
                    write(node.get(name), memberPath, out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), path + "[" + i + "]", out);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), path, out);
            case NUMBER -> out.append(number(node, path));
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException(
                    "canonical JSON: " + path + " is a " + node.getNodeType() + " node, which JSON cannot carry");
        }
    }

    private static String number(JsonNode node, String path) {
        double value;
        if (node.isIntegralNumber()) {
            BigInteger integer = node.bigIntegerValue();
            value = integer.doubleValue();
            if (!Double.isFinite(value) || !new BigDecimal(value).toBigIntegerExact().equals(integer)) {
                throw new IllegalArgumentException("canonical JSON: " + path + " is the integer " + integer
                        + ", which no IEEE-754 double holds exactly (I-JSON); send it as a string");
            }
        } else if (node.isBigDecimal()) {
            BigDecimal decimal = node.decimalValue();
            value = Double.parseDouble(decimal.toString());
            if (Double.isFinite(value) && new BigDecimal(Es6Numbers.format(value)).compareTo(decimal) != 0) {
                throw new IllegalArgumentException("canonical JSON: " + path + " is " + decimal.toPlainString()
                        + ", which has more digits than a double keeps (JCS would write "
                        + Es6Numbers.format(value) + "); send it as a string");
            }
        } else {
            value = node.doubleValue();
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("canonical JSON: " + path + " is " + value
                    + "; NaN and Infinity are not JSON numbers");
        }
        return Es6Numbers.format(value);
    }

    private static void writeString(String s, String path, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16))
                                .append(Character.forDigit(c & 0xF, 16));
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                            throw loneSurrogate(c, i, path);
                        }
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isLowSurrogate(c)) {
                        throw loneSurrogate(c, i, path);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static IllegalArgumentException loneSurrogate(char c, int index, String path) {
        return new IllegalArgumentException(String.format(
                "canonical JSON: %s holds a lone surrogate U+%04X at character %d; not valid Unicode", path, (int) c,
                index));
    }
}
