package org.salesledger.command.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.value.CustomerId;

/**
 * Validates one CloudEvents envelope (contract §1) and turns it into an {@link IncomingAction}, or into the
 * complete list of what is wrong with it, field by field. Nothing here touches storage.
 */
public final class EnvelopeReader {

    /** The longest id, subject or actor we store (the columns are 255 characters). */
    static final int MAX_ID = CustomerId.MAX_LENGTH;

    /** Ids of the system's own event streams (the rulebook, the talk-track library) start with this. */
    public static final String RESERVED_PREFIX = "salesledger:";

    private static final ObjectReader JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private EnvelopeReader() {
    }

    /** The outcome of reading one envelope: exactly one of {@code action} and {@code errors} is set. */
    public record Result(IncomingAction action, List<FieldError> errors) {
        public boolean ok() {
            return action != null;
        }
    }

    public static Result read(String json, IncomingAction.Sender sender) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // parser limits (nesting depth, number length) come without a location
            String where = e.getLocation() == null ? "" : " (at column " + e.getLocation().getColumnNr() + ")";
            return failed("", "is not valid JSON: " + e.getOriginalMessage() + where);
        }
        return read(node, sender);
    }

    public static Result read(JsonNode node, IncomingAction.Sender sender) {
        if (node == null || !node.isObject()) {
            return failed("", "an action must be a JSON object (a CloudEvents envelope)");
        }
        List<FieldError> errors = new ArrayList<>();
        Fields envelope = new Fields(node, "", errors);
        JsonNode spec = node.get("specversion");
        if (spec == null || spec.isNull()) {
            errors.add(new FieldError("specversion", "is required and must be \"1.0\""));
        } else if (!spec.isTextual() || !"1.0".equals(spec.asText())) {
            errors.add(new FieldError("specversion", "must be \"1.0\""));
        }
        String id = id(envelope, "id");
        String source = envelope.text("source", true);
        String type = envelope.text("type", true);
        if (type != null && ActionTypes.byName(type).isEmpty()) {
            envelope.fail("type", "unknown action type '" + type + "'; clients send " + ActionTypes.clientNames());
            type = null;
        } else if (type != null && !ActionTypes.isClientType(type)) {
            envelope.fail("type", "type " + type + " is recorded by " + ActionTypes.recordedBy(type).orElseThrow()
                    + ", not sent by clients");
            type = null;
        }
        String subject = id(envelope, "subject");
        if (subject != null && subject.startsWith(RESERVED_PREFIX)) {
            envelope.fail("subject", "customer ids starting with '" + RESERVED_PREFIX
                    + "' are reserved for the system's own records (the rulebook, the talk-track library)");
            subject = null;
        }
        time(envelope);
        String actor = id(envelope, "actor");
        Fields data = envelope.object("data", true);
        CustomerAction payload = null;
        if (type != null && data != null) {
            // the data is checked even when the subject is wrong, so that every error is reported at once
            payload = ActionDataReader.read(type, CustomerId.of(subject != null ? subject : "?"), data);
        }
        if (!errors.isEmpty() || payload == null) {
            return new Result(null, List.copyOf(errors));
        }
        return new Result(IncomingAction.of(id, source, actor, node.get("time").asText(), payload, sender), List.of());
    }

    private static String id(Fields envelope, String name) {
        String value = envelope.text(name, true);
        if (value != null && value.length() > MAX_ID) {
            envelope.fail(name, "must be at most " + MAX_ID + " characters");
            return null;
        }
        return value;
    }

    /** RFC 3339 date-time: seconds required, fraction optional, offset Z or ±hh:mm. */
    private static final java.util.regex.Pattern RFC_3339 = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    /** Checks the time; it is stored as given, with its original offset. */
    private static OffsetDateTime time(Fields envelope) {
        String text = envelope.text("time", true);
        if (text == null) {
            return null;
        }
        try {
            if (!RFC_3339.matcher(text).matches()) {
                throw new DateTimeParseException("not RFC 3339", text, 0);
            }
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            envelope.fail("time", "must be an RFC 3339 time with an offset, e.g. 2025-03-01T09:30:00+08:00; got '"
                    + text + "'");
            return null;
        }
    }

    private static Result failed(String field, String message) {
        return new Result(null, List.of(new FieldError(field, message)));
    }
}
