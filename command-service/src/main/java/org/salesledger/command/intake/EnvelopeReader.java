package org.salesledger.command.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.FieldLimits;
import org.salesledger.kernel.envelope.StoredTimes;
import org.salesledger.kernel.value.CustomerId;

/**
 * Validates one CloudEvents envelope (contract §1) and turns it into an {@link IncomingAction}, or into the
 * complete list of what is wrong with it, field by field. Nothing here touches storage.
 */
public final class EnvelopeReader {

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

    /** At most this many errors are listed for one envelope (and one more that counts the rest). */
    static final int MAX_ERRORS = 100;

    /** The outcome of reading one envelope: exactly one of {@code action} and {@code errors} is set. */
    public record Result(IncomingAction action, List<FieldError> errors) {
        public boolean ok() {
            return action != null;
        }
    }

    public static Result read(String json, IncomingAction.Sender sender) {
        if (json.indexOf('\u0000') >= 0) {
            // a raw NUL inside a string is not valid JSON; escaped, it is refused like an escaped one, by field
            json = json.replace("\u0000", "\\u0000");
        }
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
        Characters.check(node, "", errors);
        Fields envelope = new Fields(node, "", errors);
        JsonNode spec = node.get("specversion");
        if (spec == null || spec.isNull()) {
            errors.add(new FieldError("specversion", "is required and must be \"1.0\""));
        } else if (!spec.isTextual() || !"1.0".equals(spec.asText())) {
            errors.add(new FieldError("specversion", "must be \"1.0\""));
        }
        String id = envelope.text("id", true);
        String source = envelope.text("source", true);
        String type = envelope.text("type", true);
        if (type != null && ActionTypes.byName(type).isEmpty()) {
            envelope.fail("type", "unknown action type '" + shown(type) + "'; clients send " + ActionTypes.clientNames());
            type = null;
        } else if (type != null && !ActionTypes.isClientType(type)) {
            envelope.fail("type", "type " + type + " is recorded by " + ActionTypes.recordedBy(type).orElseThrow()
                    + ", not sent by clients");
            type = null;
        }
        String subject = envelope.text("subject", true);
        if (subject != null && subject.startsWith(RESERVED_PREFIX)) {
            envelope.fail("subject", "customer ids starting with '" + RESERVED_PREFIX
                    + "' are reserved for the system's own records (the rulebook, the talk-track library)");
            subject = null;
        }
        time(envelope);
        String actor = envelope.text("actor", sender.actsAs() == null);
        if (sender.actsAs() != null && actor == null && !errors.stream().anyMatch(e -> e.field().equals("actor"))) {
            actor = sender.actsAs();
        } else if (sender.actsAs() != null && actor != null && !actor.equals(sender.actsAs())) {
            envelope.fail("actor", NOT_THE_CALLER + " '" + sender.actsAs() + "', the user of the token; got '"
                    + shown(actor) + "' (contract §7: reps, supervisors and directors act as themselves)");
            actor = null;
        }
        Fields data = envelope.object("data", true);
        data = data == null || type == null ? data : data.ofType(type);
        CustomerAction payload = null;
        if (type != null && data != null) {
            // the data is checked even when the subject is wrong, so that every error is reported at once
            payload = ActionDataReader.read(type, CustomerId.of(subject != null ? subject : "?"), data);
        }
        if (!errors.isEmpty() || payload == null) {
            return new Result(null, listed(errors));
        }
        return new Result(IncomingAction.of(id, source, actor, node.get("time").asText(), payload, sender), List.of());
    }

    /** The start of the refusal of an actor other than the caller: {@code 403} for a single action. */
    public static final String NOT_THE_CALLER = "must be the caller";

    /** RFC 3339 date-time: seconds required, fraction optional, offset Z or ±hh:mm. */
    private static final java.util.regex.Pattern RFC_3339 = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");

    /**
     * The largest offset from UTC a time may have: every real zone lies within ±14:00, and PostgreSQL refuses
     * offsets from ±16:00 on ("time zone displacement out of range", found by FuzzIT), though RFC 3339 and Java
     * allow up to ±18:00.
     */
    static final int MAX_OFFSET_SECONDS = 14 * 3600;

    /** The earliest and latest instants a time may name: what PostgreSQL, Java and CEL all keep. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** Checks the time; it is stored as given, with its original offset. */
    private static OffsetDateTime time(Fields envelope) {
        String text = envelope.text("time", true);
        if (text == null) {
            return null;
        }
        OffsetDateTime time;
        try {
            if (!RFC_3339.matcher(text).matches()) {
                throw new DateTimeParseException("not RFC 3339", text, 0);
            }
            time = StoredTimes.offsetDateTime(text); // as OffsetDateTime.parse, ISO_OFFSET_DATE_TIME
        } catch (DateTimeParseException e) {
            envelope.fail("time", "must be an RFC 3339 time with an offset (at most ±14:00), e.g. "
                    + "2025-03-01T09:30:00+08:00; got '" + shown(text) + "'");
            return null;
        }
        if (Math.abs(time.getOffset().getTotalSeconds()) > MAX_OFFSET_SECONDS) {
            envelope.fail("time", "must have an offset from UTC between -14:00 and +14:00 (every real time zone "
                    + "does); got '" + shown(text) + "'");
            return null;
        }
        Instant instant = time.toInstant();
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            envelope.fail("time", "must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in UTC; got '"
                    + text + "'");
            return null;
        }
        return time;
    }

    /** A value quoted in a message: at most 100 characters of it. */
    private static String shown(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "… (" + text.length() + " characters)";
    }

    /**
     * What is wrong with a device id sent in the header {@code headerName} (too long, a character no store keeps), or
     * an empty list. An absent or blank header is fine: no device id is stored.
     */
    /**
     * The first {@value #MAX_ERRORS} errors, and for the rest one more naming the next field and their count: a
     * 1 MiB body of bad strings would otherwise be answered with some hundred thousand errors.
     */
    static List<FieldError> listed(List<FieldError> errors) {
        if (errors.size() <= MAX_ERRORS) {
            return List.copyOf(errors);
        }
        List<FieldError> listed = new ArrayList<>(errors.subList(0, MAX_ERRORS));
        listed.add(new FieldError(errors.get(MAX_ERRORS).field(), "and " + (errors.size() - MAX_ERRORS)
                + " more errors from this field on, not listed"));
        return List.copyOf(listed);
    }

    public static List<FieldError> checkDeviceId(String headerName, String deviceId) {
        if (deviceId == null || deviceId.isBlank()) {
            return List.of();
        }
        if (deviceId.length() > FieldLimits.DEVICE_ID) {
            return List.of(new FieldError(headerName, Fields.tooLong(FieldLimits.DEVICE_ID, deviceId.length())));
        }
        String problem = Characters.problem(deviceId);
        return problem == null ? List.of() : List.of(new FieldError(headerName, "must not contain " + problem));
    }

    private static Result failed(String field, String message) {
        return new Result(null, List.of(new FieldError(field, message)));
    }
}
