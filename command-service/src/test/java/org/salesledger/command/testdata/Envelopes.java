package org.salesledger.command.testdata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Valid action envelopes (contract §1) as JSON text, one per v1 type, and copies of them with one field removed
 * or replaced, addressed by its path: {@code "subject"}, {@code "data.location.lat"}, {@code "data.photos.0.uri"}.
 *
 * <p>The data of each type holds the values of the matching {@link Actions} default, so that a valid envelope of
 * type {@code t} must be read as {@code Actions.of(t, CUSTOMER)}.
 */
public final class Envelopes {

    public static final String ID = "a-1";
    public static final String CUSTOMER = "c-1";

    /** The v1 types, in the order of the contract's table, then the types this system adds. */
    public static final List<String> TYPES = List.of("CustomerRegistered", "VisitLogged", "NeedsConfirmed",
            "ProposalSent", "ObjectionRaised", "TrialRequested", "ContractSigned", "PaymentReceived", "DealLost",
            "TouchpointRecorded", "CostIncurred", "CustomerActionObserved", "MessageSent", "CustomerSnoozed");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static final Map<String, String> DATA = Map.ofEntries(
            Map.entry("CustomerRegistered", """
                    {"name": "Acme Medical", "region": "east", "ownerRepId": "rep-07", "channel": "exhibition",
                     "team": "team-a"}"""),
            Map.entry("VisitLogged", """
                    {"contactRole": "equipment", "location": {"lat": 31.2, "lon": 121.5},
                     "objections": ["REGISTRATION_CERTIFICATE"],
                     "photos": [{"uri": "s3://photos/v-1.jpg", "sha256": "9f86d081"}], "deviceId": "dev-1"}"""),
            Map.entry("NeedsConfirmed", """
                    {"needs": ["CT scanner"]}"""),
            Map.entry("ProposalSent", """
                    {"document": {"uri": "s3://proposals/p-1.pdf", "mediaType": "application/pdf"},
                     "expectedDecisionDate": "2025-04-01", "keyParameters": ["price", "delivery", "warranty"],
                     "amount": {"value": 120000.00, "currency": "CNY"}}"""),
            Map.entry("ObjectionRaised", """
                    {"objectionType": "PRICE", "detail": "above budget"}"""),
            Map.entry("TrialRequested", """
                    {"product": "X-ray"}"""),
            Map.entry("ContractSigned", """
                    {"contractId": "K-1", "amount": {"value": 120000.00, "currency": "CNY"},
                     "lines": [{"product": "CT scanner", "quantity": 1, "unitPrice": 120000.00,
                                "grossMarginPct": 35.5}],
                     "departments": ["radiology"]}"""),
            Map.entry("PaymentReceived", """
                    {"contractId": "K-1", "amount": {"value": "60000.00", "currency": "CNY"}}"""),
            Map.entry("DealLost", """
                    {"reason": "budget cut"}"""),
            Map.entry("TouchpointRecorded", """
                    {"channel": "wechat", "touchType": "article", "campaign": "spring-2025"}"""),
            Map.entry("CostIncurred", """
                    {"category": "SAMPLES", "amount": {"value": 300.00, "currency": "CNY"}, "channel": "field"}"""),
            Map.entry("CustomerActionObserved", """
                    {"kind": "MESSAGE_READ", "refActionId": "a-0"}"""),
            Map.entry("MessageSent", """
                    {"channel": "wechat", "templateId": "tpl-price-list", "refActionId": "a-0",
                     "summary": "sent the revised price list"}"""),
            Map.entry("CustomerSnoozed", """
                    {"until": "2025-03-20", "reason": "champion on holiday"}"""));

    private Envelopes() {
    }

    /** A valid envelope of this v1 type for customer {@link #CUSTOMER}, with id {@link #ID}. */
    public static Envelope valid(String type) {
        String data = DATA.get(type);
        if (data == null) {
            throw new IllegalArgumentException("not a v1 type: " + type);
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("specversion", "1.0");
        root.put("id", ID);
        root.put("source", Actions.SOURCE);
        root.put("type", type);
        root.put("subject", CUSTOMER);
        root.put("time", Actions.TIME);
        root.put("actor", Actions.ACTOR);
        root.set("data", parse(data));
        return new Envelope(root);
    }

    /** A valid envelope of this type whose data is exactly this JSON object. */
    public static Envelope withData(String type, String dataJson) {
        return valid(type).withJson("data", dataJson);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    /** One envelope; every change gives a changed copy. */
    public static final class Envelope {

        private final ObjectNode root;

        private Envelope(ObjectNode root) {
            this.root = root;
        }

        /** This envelope without the field at {@code path}. */
        public Envelope without(String path) {
            ObjectNode copy = root.deepCopy();
            JsonNode parent = parentOf(copy, path);
            String last = lastOf(path);
            if (parent instanceof ArrayNode array) {
                array.remove(Integer.parseInt(last));
            } else {
                ((ObjectNode) parent).remove(last);
            }
            return new Envelope(copy);
        }

        /** This envelope with the field at {@code path} set to {@code value} (a string, number, list, map…). */
        public Envelope with(String path, Object value) {
            return set(path, JSON.valueToTree(value));
        }

        /** This envelope with the field at {@code path} set to this JSON text, taken literally. */
        public Envelope withJson(String path, String json) {
            return set(path, parse(json));
        }

        private Envelope set(String path, JsonNode value) {
            ObjectNode copy = root.deepCopy();
            JsonNode parent = parentOf(copy, path);
            String last = lastOf(path);
            if (parent instanceof ArrayNode array) {
                array.set(Integer.parseInt(last), value);
            } else {
                ((ObjectNode) parent).set(last, value);
            }
            return new Envelope(copy);
        }

        public String json() {
            return root.toString();
        }

        @Override
        public String toString() {
            return json();
        }

        private static JsonNode parentOf(ObjectNode root, String path) {
            String[] parts = path.split("\\.");
            JsonNode node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = node.isArray() ? node.get(Integer.parseInt(parts[i])) : node.get(parts[i]);
                if (node == null || !node.isContainerNode()) {
                    throw new IllegalArgumentException("no object or list at '" + parts[i] + "' of " + path);
                }
            }
            return node;
        }

        private static String lastOf(String path) {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }
}
