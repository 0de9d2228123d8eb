package org.salesledger.kernel.envelope;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of how long each text of an action may be: the envelope's texts, every text field of every client
 * type's {@code data} (by path: {@code data.document.uri}, list items as {@code data.objections[]}), and the bounds
 * of the free-form fields a sender adds. The intake refuses longer values (naming the field and the limit); the
 * published schemas ({@code docs/events/}) state the same {@code maxLength}s and the README lists them, both checked
 * against this class by tests; and no column that keeps one of these texts is narrower than its limit.
 *
 * <p>Lengths are counted in UTF-16 code units ({@link String#length()}), as PostgreSQL's {@code varchar(n)} counts
 * characters of the BMP; a character outside it (an emoji) counts twice here, so what is accepted always fits.
 */
public final class FieldLimits {

    /** Ids: {@code id}, {@code subject}, {@code actor}, rep, contract, script and action ids; codes and channels. */
    public static final int ID = org.salesledger.kernel.value.CustomerId.MAX_LENGTH;
    /** The envelope {@code source} (a URI reference). */
    public static final int SOURCE = 2048;
    /** Names of customers and companies. */
    public static final int NAME = 1024;
    /** Short phrases: an objection, a need. */
    public static final int PHRASE = 1024;
    /** URIs of documents and photos. */
    public static final int URI = 2048;
    /** Free text: notes, details, reasons; also every string of the free-form fields. */
    public static final int TEXT = 10_000;
    /** A phone number. */
    public static final int PHONE = 64;
    /** A checksum such as a photo's SHA-256 (64 hex digits; room for other encodings). */
    public static final int CHECKSUM = 128;
    /** The {@code X-Device-Id} header. */
    public static final int DEVICE_ID = 255;
    /** The most items of a list field (the three {@code keyParameters} aside). */
    public static final int LIST_ITEMS = 1_000;

    /** Free-form fields (those the contract does not name, kept as sent): the longest field name. */
    public static final int FREE_FORM_KEY = 255;
    /** Free-form fields: the deepest nesting of objects and lists, counted from {@code data}'s own fields (1). */
    public static final int FREE_FORM_DEPTH = 32;
    /** Free-form fields: the most digits of a number before its decimal point, and after it. */
    public static final int FREE_FORM_NUMBER_DIGITS = 1_000;

    private static final Map<String, Integer> ENVELOPE = ordered(
            "id", ID, "source", SOURCE, "subject", ID, "actor", ID);

    private static final Map<String, Map<String, Integer>> DATA = new LinkedHashMap<>();

    static {
        data("CustomerRegistered", "name", NAME, "region", ID, "ownerRepId", ID, "channel", ID, "team", ID,
                "territory", ID, "category", ID, "company", NAME, "phone", PHONE);
        data("VisitLogged", "contactRole", ID, "objections[]", PHRASE, "photos[].uri", URI,
                "photos[].sha256", CHECKSUM, "deviceId", DEVICE_ID, "notes", TEXT);
        data("NeedsConfirmed", "needs[]", PHRASE);
        data("ProposalSent", "document.uri", URI, "expectedDecisionDate", 10,
                "keyParameters[]", ID, "amount.currency", 3);
        data("ObjectionRaised", "objectionType", ID, "detail", TEXT);
        data("TrialRequested", "product", ID);
        data("ContractSigned", "contractId", ID, "amount.currency", 3, "lines[].product", ID, "departments[]", ID);
        data("PaymentReceived", "contractId", ID, "amount.currency", 3);
        data("DealLost", "reason", TEXT);
        data("TouchpointRecorded", "channel", ID, "touchType", ID, "campaign", ID);
        data("CostIncurred", "category", ID, "amount.currency", 3, "channel", ID, "refActionId", ID);
        data("CustomerActionObserved", "kind", ID, "refActionId", ID);
        data("MessageSent", "channel", ID, "templateId", ID, "refActionId", ID, "summary", TEXT);
        data("CustomerSnoozed", "until", 10, "reason", TEXT);
        data("TalkTrackFeedbackGiven", "suggestionId", ID, "scriptId", ID, "feedback", ID);
    }

    private FieldLimits() {
    }

    /** The envelope's texts and their limits ({@code type} and {@code time} have their own formats). */
    public static Map<String, Integer> envelope() {
        return ENVELOPE;
    }

    /** A client type's data texts by path below {@code data} ({@code document.uri}, {@code objections[]}). */
    public static Map<String, Integer> data(String type) {
        return DATA.getOrDefault(type, Map.of());
    }

    /** The client types whose data texts are listed, in the registry's order. */
    public static Iterable<String> types() {
        return DATA.keySet();
    }

    /**
     * The limit of the text at a full envelope path ({@code source}, {@code data.notes}, {@code data.photos[].uri}):
     * the named one if the type names it, else {@link #TEXT} (the free-form fields' limit).
     */
    public static int of(String type, String path) {
        Integer envelope = ENVELOPE.get(path);
        if (envelope != null) {
            return envelope;
        }
        if (path.startsWith("data.")) {
            Integer named = data(type).get(path.substring("data.".length()));
            if (named != null) {
                return named;
            }
        }
        return TEXT;
    }

    /** The named limit of a data field of a type, e.g. {@code dataLimit("VisitLogged", "notes")}. */
    public static int dataLimit(String type, String path) {
        return Optional.ofNullable(data(type).get(path))
                .orElseThrow(() -> new IllegalArgumentException(type + " names no text field " + path));
    }

    /** The limit of an envelope text, e.g. {@code envelopeLimit("source")}. */
    public static int envelopeLimit(String field) {
        return Optional.ofNullable(ENVELOPE.get(field))
                .orElseThrow(() -> new IllegalArgumentException("the envelope has no text field " + field));
    }

    private static void data(String type, Object... pathsAndLimits) {
        DATA.put(type, ordered(pathsAndLimits));
    }

    private static Map<String, Integer> ordered(Object... pathsAndLimits) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (int i = 0; i < pathsAndLimits.length; i += 2) {
            limits.put((String) pathsAndLimits[i], (Integer) pathsAndLimits[i + 1]);
        }
        return Collections.unmodifiableMap(limits);
    }
}
