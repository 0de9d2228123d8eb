package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;

/**
 * A seeded fuzz test of the whole system over HTTP: thousands of envelopes, most of them valid ones mutated —
 * fields missing and added, JSON types wrong, strings huge, deeply nested and odd (NUL, lone surrogates, RTL,
 * emoji), times and offsets odd, amounts and currencies odd, subjects odd, whole bodies broken — posted one by one
 * and then as an import. It asserts that
 * <ul>
 *   <li>no answer is a 5xx;</li>
 *   <li>every refusal names a field (the empty field only for a body or line that is not a JSON object);</li>
 *   <li>every read model then holds exactly the accepted actions: per customer the timeline lists the accepted
 *       envelopes (id, type, time) in the order sent, the timeline and the event store hold nothing else, every
 *       read model's lag is 0 and its dead-letter queue empty, the Kafka relay has parked nothing, and the funnel's
 *       counts equal a count made here from the accepted actions.</li>
 * </ul>
 * Seed and corpus size: {@code -Dsalesledger.fuzz.seed=…} (default 16), {@code -Dsalesledger.fuzz.single=…}
 * (envelopes posted one by one, default 1,000) and {@code -Dsalesledger.fuzz.imported=…} (lines of the import,
 * default 2,000). It prints the corpus's size and outcome.
 */
class FuzzIT {

    private static final long SEED = Long.getLong("salesledger.fuzz.seed", 16L);
    private static final int SINGLE = Integer.getInteger("salesledger.fuzz.single", 1_000);
    private static final int IMPORTED = Integer.getInteger("salesledger.fuzz.imported", 2_000);
    private static final int CUSTOMERS = 40;
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final String MAX_ERRORS = "salesledger.import.max-errors";

    /** Placeholders spliced after serialising: the JSON escapes and raw text a serialiser would not write. */
    private static final String HIGH = "\uE002";
    private static final String LOW = "\uE003";
    private static final String RAW_NUL = "\uE004";
    private static final String RAW = "\uE001";
    private static final Pattern RAW_VALUE = Pattern.compile("\"" + RAW + "(.*?)" + RAW + "\"");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @TempDir
    static Path dataDir;

    static TestPostgres.TestDatabase db;
    static EmbeddedSystem system;

    @BeforeAll
    static void start() throws Exception {
        // every refused line of the import listed, so that the accepted ones are known
        System.setProperty(MAX_ERRORS, "1000000");
        db = TestPostgres.newDatabase();
        system = EmbeddedSystem.start(TestSystems.settings(db, dataDir));
        TestSystems.signIn(system);
    }

    @AfterAll
    static void stop() {
        System.clearProperty(MAX_ERRORS);
        if (system != null) {
            system.close();
        }
    }

    @Test
    void mutatedEnvelopesGetNo5xxEveryRefusalNamesAFieldAndEveryReadModelHoldsExactlyTheAcceptedActions()
            throws Exception {
        Corpus corpus = new Corpus(new Random(SEED));
        Outcome outcome = new Outcome();

        // one by one
        for (int i = 0; i < SINGLE; i++) {
            Envelope envelope = corpus.next(i < CUSTOMERS ? i : -1, false);
            Response response = TestHttp.post(command("/api/v1/actions"), envelope.text(), envelope.headers());
            outcome.single(envelope, response);
        }
        // as an import: ids reused only from before it, so that which line is a duplicate does not depend on timing
        List<Envelope> lines = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < IMPORTED; i++) {
            Envelope envelope = corpus.next(-1, true);
            lines.add(envelope);
            body.append(envelope.text()).append(i % 97 == 5 ? "\r\n" : "\n");
        }
        Response imported = TestHttp.post(command("/api/v1/import"), body.toString(),
                "Content-Type", "application/x-ndjson");
        outcome.imported(lines, imported);

        outcome.print();
        assertThat(outcome.serverErrors).as("5xx answers").isEmpty();
        assertThat(outcome.unnamed).as("refusals that name no field").isEmpty();
        assertThat(outcome.accepted).as("some actions accepted").hasSizeGreaterThan(SINGLE / 10);
        assertThat(outcome.refusedByField).as("some actions refused").isNotEmpty();

        awaitReadModelsCaughtUp(outcome.accepted.size());
        assertThat(lagAndDeadLetters()).as("lag and dead letters of every read model")
                .isNotEmpty().allSatisfy((metric, value) -> assertThat(value).as(metric).isZero());
        assertThat(count("SELECT count(*) FROM domain_event_entry")).isEqualTo(outcome.accepted.size());
        assertThat(count("SELECT count(*) FROM timeline_event")).isEqualTo(outcome.accepted.size());
        for (Map.Entry<String, List<Envelope>> customer : outcome.byCustomer().entrySet()) {
            List<String> expected = customer.getValue().stream().map(e -> e.id() + " " + e.type() + " " + e.time())
                    .toList();
            if (customer.getKey().contains("/") || customer.getKey().contains("\\")) {
                // an encoded slash or backslash in a path is refused by the server (400): such a customer's
                // timeline cannot be asked for over HTTP (ADR 0023), so its rows are read directly
                System.out.println("FUZZ timeline read from the table, not over HTTP: " + customer.getKey());
                assertThat(timelineRows(customer.getKey())).as("timeline of %s", customer.getKey())
                        .containsExactlyElementsOf(expected);
                continue;
            }
            Response timeline = TestHttp.get(query("/api/v1/customers/"
                    + URLEncoder.encode(customer.getKey(), StandardCharsets.UTF_8).replace("+", "%20") + "/timeline"));
            assertThat(timeline.status()).as("timeline of %s", customer.getKey()).isEqualTo(200);
            List<String> shown = new ArrayList<>();
            timeline.json().get("events").forEach(e -> shown.add(e.get("id").asText() + " " + e.get("type").asText()
                    + " " + e.get("time").asText()));
            assertThat(shown).as("timeline of %s", customer.getKey()).containsExactlyElementsOf(expected);
        }
        assertFunnelEqualsIndependentCount(outcome);
        assertEveryReadModelConsistentWithTheStore();
    }

    // ---- the corpus ----

    /** One envelope as sent: its text, the JSON it was made from, and its header. */
    record Envelope(String text, JsonNode json, String deviceId, String mutation) {
        String id() {
            return json.path("id").asText();
        }

        String subject() {
            return json.path("subject").asText();
        }

        String type() {
            return json.path("type").asText();
        }

        String time() {
            return json.path("time").asText();
        }

        String[] headers() {
            return deviceId == null ? new String[] {"Content-Type", "application/json"}
                    : new String[] {"Content-Type", "application/json", "X-Device-Id", deviceId};
        }
    }

    /** Valid envelopes of every client type, mutated by a seeded generator. */
    static final class Corpus {
        private static final String[] TYPES = {"CustomerRegistered", "VisitLogged", "NeedsConfirmed", "ProposalSent",
                "ObjectionRaised", "TrialRequested", "ContractSigned", "PaymentReceived", "DealLost",
                "TouchpointRecorded", "CostIncurred", "CustomerActionObserved", "CustomerSnoozed",
                "TalkTrackFeedbackGiven", "MessageSent"};
        private static final String[] OFFSETS = {"Z", "+08:00", "-05:00", "+05:30", "+14:00", "-12:00", "-14:00",
                "+00:00", "-00:00", "+13:45"};
        private static final String[] ODD_STRINGS = {"", " ", "\t\n", "a" + RAW_NUL + "b", "nul \u0000 inside",
                "high " + HIGH + " alone", "low " + LOW + " alone", "\u202Eالعميل\u202C", "שלום", "🙂🚀👩‍👩‍👧",
                "e\u0301\u0301\u0301", "\u200B\u200D\uFEFF", "Robert'); DROP TABLE timeline_event;--",
                "<script>alert(1)</script>", "\\u0000 as text", "%00%ff", "\u0001\u001F\u007F", "null", "🙂".repeat(130),
                "x".repeat(255), "x".repeat(256), "y".repeat(1024), "y".repeat(1025), "z".repeat(2048),
                "z".repeat(2049), "w".repeat(10_000), "w".repeat(10_001)};
        private static final String[] ODD_TIMES = {"0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
                "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-18:00",
                "9999-12-31T23:59:59.999999999+18:00", "2025-03-01T09:30:00+18:00", "2025-03-01T09:30:00-18:00",
                "2025-03-01T09:30:00+15:59", "2025-03-01T09:30:00-16:00", "2025-03-01T09:30:00+14:01", "10000-01-01T00:00:00Z", "2025-03-01T09:30:00+18:01",
                "2025-03-01T09:30:00+19:00", "2025-03-01T09:30:00+24:00", "2025-03-01T09:30:00-99:99",
                "2025-03-01T09:30:00", "2025-03-01 09:30:00Z", "2025-03-01t09:30:00z", "2016-12-31T23:59:60Z",
                "2025-02-30T09:30:00Z", "2025-03-01T09:30:00.1234567890Z", "2025-03-01T24:00:00Z",
                "2025-03-01T09:30:00+08", "1969-12-31T23:59:59.999999999Z", "+002025-03-01T09:30:00Z", "",
                "2025-03-01T09:30:00.000000001+08:00"};
        private static final String[] ODD_AMOUNTS = {"1e400", "-1e400", "1e-400", "1" + "0".repeat(30),
                "1" + "0".repeat(29), "0." + "1".repeat(18), "0." + "1".repeat(19), "-0", "0", "-12.50", " 12 ",
                "12,50", "0x10", "NaN", "Infinity", "1e999999999", "1e-999999999", "", "1_000", "١٢"};
        private static final String[] RAW_NUMBERS = {"NaN", "Infinity", "-Infinity", "0x10", "01", ".5", "1.",
                "1e999999999", "1e-999999999", "-", "1" + "0".repeat(1200), "1e400", "123456789012345678901234567890"
                        + "12345678901234567890"};
        private static final String[] CURRENCIES = {"CNY", "EUR", "USD", "XXX", "XTS", "cny", "EURO", "", "€", "ZZZ",
                "CN", "C\u0000Y", "USN"};
        private static final String[] ODD_SUBJECTS = {"salesledger:rulebook", "c-" + "s".repeat(253),
                "c-" + "s".repeat(254), "عميل-١", "🙂-customer", "c\u0000nul", "c" + HIGH, " ", "", "C-1 ",
                "c\u202E1", "Ω≈ç√", "c.d-e_f~g"};
        private static final String[] SYSTEM_TYPES = {"CustomerTagged", "EscalationRaised", "CustomerReassigned",
                "customerregistered", "Teleported", ""};

        private final Random random;
        private final List<String> customers = new ArrayList<>();
        private final List<String> usedIds = new ArrayList<>();
        private int counter;

        Corpus(Random random) {
            this.random = random;
            for (int i = 0; i < CUSTOMERS; i++) {
                customers.add("fz-" + SEED + "-c" + i);
            }
        }

        /** The next envelope: a valid registration of customer {@code register}, or one mutated at random. */
        Envelope next(int register, boolean inImport) {
            counter++;
            ObjectNode envelope;
            List<String> mutations = new ArrayList<>();
            String deviceId = null;
            if (register >= 0) {
                envelope = valid("CustomerRegistered", customers.get(register));
                mutations.add("none");
            } else {
                envelope = valid(pick(TYPES), pick(customers));
                int count = random.nextInt(10) < 3 ? 0 : 1 + random.nextInt(3);
                for (int i = 0; i < count; i++) {
                    mutations.add(mutate(envelope, inImport));
                }
                if (!inImport && random.nextInt(20) == 0) {
                    deviceId = pick(new String[] {"tablet-1", "d".repeat(255), "d".repeat(256), "ünïcode-dev"});
                    mutations.add("deviceId");
                }
                if (mutations.isEmpty()) {
                    mutations.add("none");
                }
            }
            String text = splice(envelope.toString());
            if (register < 0 && random.nextInt(40) == 0) {
                text = brokenBody(text);
                mutations.add("body");
            }
            if (!inImport) {
                usedIds.add(envelope.path("id").asText());
            }
            return new Envelope(text, envelope, deviceId, String.join("+", mutations));
        }

        private ObjectNode valid(String type, String subject) {
            ObjectNode e = JSON.createObjectNode();
            e.put("specversion", "1.0");
            e.put("id", "fz-" + SEED + "-" + counter);
            e.put("source", "/fuzz/" + SEED);
            e.put("type", type);
            e.put("subject", subject);
            e.put("time", String.format("2025-%02d-%02dT%02d:%02d:%02d%s", 1 + random.nextInt(12),
                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60), pick(OFFSETS)));
            e.put("actor", "rep-" + random.nextInt(5));
            ObjectNode d = e.putObject("data");
            switch (type) {
                case "CustomerRegistered" -> {
                    d.put("name", "Customer " + subject);
                    d.put("region", pick(new String[] {"east", "west", "north"}));
                    d.put("ownerRepId", "rep-" + random.nextInt(5));
                    d.put("channel", pick(new String[] {"web", "exhibition", "referral"}));
                    if (random.nextBoolean()) {
                        d.put("team", "team-" + random.nextInt(3));
                    }
                }
                case "VisitLogged" -> {
                    d.put("contactRole", "equipment");
                    d.putObject("location").put("lat", 31.2).put("lon", 121.5);
                    if (random.nextBoolean()) {
                        d.put("notes", "met the head of equipment");
                        d.putArray("objections").add("price");
                        d.putArray("photos").addObject().put("uri", "https://files.example/p.jpg")
                                .put("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
                    }
                }
                case "NeedsConfirmed" -> d.putArray("needs").add("ultrasound").add("training");
                case "ProposalSent" -> {
                    d.putObject("document").put("uri", "s3://p/1.pdf").put("mediaType", "application/pdf");
                    d.put("expectedDecisionDate", "2025-04-01");
                    d.putArray("keyParameters").add("price").add("delivery").add("warranty");
                    d.putObject("amount").put("value", "1200.50").put("currency", "CNY");
                }
                case "ObjectionRaised" -> {
                    d.put("objectionType", pick(new String[] {"PRICE", "COMPETITOR", "OTHER"}));
                    d.put("detail", "too expensive");
                }
                case "TrialRequested" -> d.put("product", "scanner-x");
                case "ContractSigned" -> {
                    d.put("contractId", "K-" + counter);
                    d.putObject("amount").put("value", new BigDecimal("99000.00")).put("currency", "CNY");
                    d.putArray("lines").addObject().put("product", "scanner-x").put("quantity", 2)
                            .put("unitPrice", "49500.00");
                }
                case "PaymentReceived" -> {
                    d.put("contractId", "K-" + random.nextInt(counter));
                    d.putObject("amount").put("value", "1000").put("currency", "CNY");
                }
                case "DealLost" -> d.put("reason", "went with a competitor");
                case "TouchpointRecorded" -> {
                    d.put("channel", pick(new String[] {"web", "webinar", "wechat"}));
                    d.put("touchType", "click");
                    d.put("campaign", "spring");
                }
                case "CostIncurred" -> {
                    d.put("category", pick(new String[] {"travel", "samples", "ads", "odd-category"}));
                    d.putObject("amount").put("value", "300").put("currency", pick(new String[] {"CNY", "EUR"}));
                    d.put("channel", "exhibition");
                }
                case "CustomerActionObserved" -> {
                    d.put("kind", "opened_email");
                    d.put("refActionId", "fz-" + SEED + "-" + random.nextInt(counter));
                }
                case "MessageSent" -> {
                    d.put("channel", pick(new String[] {"wechat", "email", "sms", "paper", "phone", "odd-channel"}));
                    if (random.nextBoolean()) {
                        d.put("templateId", "tpl-" + random.nextInt(5));
                        d.put("refActionId", "fz-" + SEED + "-" + random.nextInt(counter));
                        d.put("summary", "sent the price list");
                    }
                }
                case "CustomerSnoozed" -> {
                    d.put("until", "2025-06-01");
                    d.put("reason", "on holiday");
                }
                case "TalkTrackFeedbackGiven" -> {
                    d.put("suggestionId", "s-" + counter);
                    d.put("scriptId", "script-1");
                    d.put("feedback", pick(new String[] {"USED", "NOT_APPLICABLE"}));
                }
                default -> throw new IllegalArgumentException(type);
            }
            return e;
        }

        /** One mutation of the envelope; returns its name. */
        private String mutate(ObjectNode e, boolean inImport) {
            ObjectNode d = e.get("data") instanceof ObjectNode data ? data : e.putObject("data");
            switch (random.nextInt(16)) {
                case 0 -> {
                    ObjectNode target = random.nextBoolean() ? e : d;
                    List<String> names = new ArrayList<>();
                    target.fieldNames().forEachRemaining(names::add);
                    if (!names.isEmpty()) {
                        target.remove(pick(names.toArray(String[]::new)));
                    }
                    return "missing field";
                }
                case 1 -> {
                    (random.nextBoolean() ? e : d).set(pick(new String[] {"extra", "crm" + RAW_NUL, "x".repeat(256),
                            "wechat", "🙂", "k" + HIGH}), oddValue(0));
                    return "extra field";
                }
                case 2 -> {
                    ObjectNode target = random.nextBoolean() ? e : d;
                    List<String> names = new ArrayList<>();
                    target.fieldNames().forEachRemaining(names::add);
                    if (!names.isEmpty()) {
                        target.set(pick(names.toArray(String[]::new)), wrongType());
                    }
                    return "wrong type";
                }
                case 3 -> {
                    textField(e, d, pick(ODD_STRINGS));
                    return "odd string";
                }
                case 4 -> {
                    d.set("deep", nested(1 + random.nextInt(60)));
                    return "deep nesting";
                }
                case 5 -> {
                    e.put("time", pick(ODD_TIMES));
                    return "odd time";
                }
                case 6 -> {
                    ObjectNode amount = d.putObject("amount");
                    String value = pick(ODD_AMOUNTS);
                    if (random.nextBoolean()) {
                        amount.put("value", value);
                    } else {
                        amount.put("value", RAW + value.trim().replace(",", ".") + RAW);
                    }
                    amount.put("currency", pick(CURRENCIES));
                    return "odd amount";
                }
                case 7 -> {
                    e.put("subject", pick(ODD_SUBJECTS));
                    return "odd subject";
                }
                case 8 -> {
                    e.put("type", pick(random.nextBoolean() ? SYSTEM_TYPES : TYPES));
                    return "odd type";
                }
                case 9 -> {
                    if (!inImport && !usedIds.isEmpty() && random.nextBoolean()) {
                        e.put("id", usedIds.get(random.nextInt(usedIds.size())));
                    } else {
                        e.put("id", e.path("id").asText() + pick(new String[] {"", RAW_NUL, HIGH, "🙂", "\u202E",
                                "x".repeat(250), " "}));
                    }
                    return "odd id";
                }
                case 10 -> {
                    e.put("specversion", pick(new String[] {"0.3", "1", "", "1.0 "}));
                    return "odd specversion";
                }
                case 11 -> {
                    ObjectNode location = d.putObject("location");
                    location.put("lat", RAW + pick(new String[] {"91", "-90", "1e400", "NaN", "31.2"}) + RAW);
                    location.put("lon", pick(new String[] {"121.5", "x"}));
                    return "odd location";
                }
                case 12 -> {
                    d.put(pick(new String[] {"until", "expectedDecisionDate"}), pick(new String[] {"2025-02-30",
                            "+10000-01-01", "0000-01-01", "9999-12-31", "+999999999-12-31", "2025-4-1", "01/04/2025"}));
                    return "odd date";
                }
                case 13 -> {
                    ArrayNode list = d.putArray(pick(new String[] {"objections", "needs", "departments",
                            "keyParameters", "photos"}));
                    int size = pick(new int[] {0, 2, 3, 4, 1000, 1001});
                    for (int i = 0; i < size; i++) {
                        list.add("p" + i);
                    }
                    return "odd list";
                }
                case 14 -> {
                    d.put("number", RAW + pick(RAW_NUMBERS) + RAW);
                    return "odd number";
                }
                default -> {
                    e.set("data", random.nextBoolean() ? wrongType() : NODES.objectNode());
                    return "odd data";
                }
            }
        }

        /** Puts an odd string into a text field of the envelope or its data. */
        private void textField(ObjectNode e, ObjectNode d, String text) {
            String[] envelopeTexts = {"id", "source", "subject", "actor"};
            if (random.nextInt(3) == 0) {
                e.put(pick(envelopeTexts), text);
            } else {
                List<String> texts = new ArrayList<>();
                d.fields().forEachRemaining(f -> {
                    if (f.getValue().isTextual()) {
                        texts.add(f.getKey());
                    }
                });
                d.put(texts.isEmpty() ? "note" : pick(texts.toArray(String[]::new)), text);
            }
        }

        private JsonNode oddValue(int depth) {
            return switch (random.nextInt(depth > 3 ? 4 : 6)) {
                case 0 -> NODES.textNode(pick(ODD_STRINGS));
                case 1 -> NODES.numberNode(new BigDecimal(pick(new String[] {"1e308", "4.9e-324", "1e1001", "1e-1001",
                        "123456789012345678901234567890.123456789"})));
                case 2 -> NODES.booleanNode(random.nextBoolean());
                case 3 -> NODES.nullNode();
                case 4 -> {
                    ArrayNode list = NODES.arrayNode();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        list.add(oddValue(depth + 1));
                    }
                    yield list;
                }
                default -> {
                    ObjectNode object = NODES.objectNode();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        object.set(pick(new String[] {"a", "b" + RAW_NUL, "🙂", "k".repeat(256), "id"}),
                                oddValue(depth + 1));
                    }
                    yield object;
                }
            };
        }

        private JsonNode wrongType() {
            return switch (random.nextInt(6)) {
                case 0 -> NODES.numberNode(42);
                case 1 -> NODES.booleanNode(true);
                case 2 -> NODES.arrayNode().add("x");
                case 3 -> NODES.objectNode().put("x", 1);
                case 4 -> NODES.nullNode();
                default -> NODES.numberNode(new BigDecimal("1e400"));
            };
        }

        private static JsonNode nested(int depth) {
            JsonNode node = NODES.textNode("bottom");
            for (int i = 0; i < depth; i++) {
                node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("k", node);
            }
            return node;
        }

        /** A body that is not a valid envelope at all. */
        private String brokenBody(String text) {
            return switch (random.nextInt(7)) {
                case 0 -> text.substring(0, text.length() / 2);
                case 1 -> "[" + text + "]";
                case 2 -> "42";
                case 3 -> text + " trailing";
                case 4 -> "[".repeat(2000) + "]".repeat(2000);
                case 5 -> "{\"specversion\":\"1.0\",\"data\":" + "{\"a\":".repeat(1200) + "1" + "}".repeat(1201);
                default -> "\u0000" + text;
            };
        }

        private String pick(String[] values) {
            return values[random.nextInt(values.length)];
        }

        private String pick(List<String> values) {
            return values.get(random.nextInt(values.size()));
        }

        private int pick(int[] values) {
            return values[random.nextInt(values.length)];
        }
    }

    /** The serialised envelope with the placeholders turned into what they stand for. */
    static String splice(String json) {
        Matcher raw = RAW_VALUE.matcher(json);
        String spliced = raw.replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        return spliced.replace(HIGH, "\\ud800").replace(LOW, "\\udc00").replace(RAW_NUL, "\u0000");
    }

    // ---- what happened ----

    /** The answers: what was accepted (in the order sent), refused by field, and anything a client must not see. */
    static final class Outcome {
        final List<Envelope> accepted = new ArrayList<>();
        final Set<String> acceptedIds = new HashSet<>();
        final Map<String, Integer> refusedByField = new TreeMap<>();
        final List<String> serverErrors = new ArrayList<>();
        final List<String> unnamed = new ArrayList<>();
        final Map<String, Integer> byMutation = new TreeMap<>();
        int sent;
        int duplicates;
        int refused;

        void single(Envelope envelope, Response response) {
            sent++;
            byMutation.merge(envelope.mutation(), 1, Integer::sum);
            if (response.status() >= 500) {
                serverErrors.add(envelope.mutation() + ": " + response + " for " + shorten(envelope.text()));
            } else if (response.status() == 202) {
                if (response.json().get("duplicate").asBoolean()) {
                    duplicates++;
                } else {
                    accept(envelope);
                }
            } else {
                refused++;
                refusal(envelope, response.json().path("errors"), response.status());
            }
        }

        void imported(List<Envelope> lines, Response response) {
            if (response.status() != 200) {
                serverErrors.add("import: " + response);
                return;
            }
            JsonNode report = response.json();
            Map<Long, List<JsonNode>> errorsByLine = new LinkedHashMap<>();
            report.get("errors").forEach(error -> errorsByLine.computeIfAbsent(error.get("line").asLong(),
                    line -> new ArrayList<>()).add(error));
            int duplicatesBefore = duplicates;
            for (int i = 0; i < lines.size(); i++) {
                Envelope line = lines.get(i);
                sent++;
                byMutation.merge(line.mutation(), 1, Integer::sum);
                List<JsonNode> errors = errorsByLine.get((long) i + 1);
                if (errors != null) {
                    refused++;
                    refusal(line, JSON.valueToTree(errors), 200);
                } else if (acceptedIds.contains(line.id())) {
                    duplicates++;
                } else {
                    accept(line);
                }
            }
            assertThat(report.get("errorsNotListed").asLong()).isZero();
            assertThat(report.get("rejected").asLong()).as("rejected lines").isEqualTo(errorsByLine.size());
            assertThat(report.get("duplicates").asLong()).as("duplicate lines").isEqualTo(duplicates - duplicatesBefore);
            assertThat(report.get("accepted").asLong() + report.get("duplicates").asLong()
                    + report.get("rejected").asLong()).as("lines counted").isEqualTo(lines.size());
        }

        private void accept(Envelope envelope) {
            accepted.add(envelope);
            acceptedIds.add(envelope.id());
        }

        private void refusal(Envelope envelope, JsonNode errors, int status) {
            if (status != 400 && status != 200) {
                unnamed.add(envelope.mutation() + ": status " + status);
            }
            if (!errors.isArray() || errors.isEmpty()) {
                unnamed.add(envelope.mutation() + ": no errors in the answer for " + shorten(envelope.text()));
                return;
            }
            for (JsonNode error : errors) {
                JsonNode field = error.get("field");
                String message = error.path("message").asText();
                boolean wholeBody = message.startsWith("is not valid JSON")
                        || message.startsWith("an action must be a JSON object");
                if (field == null || !field.isTextual() || (field.asText().isEmpty() && !wholeBody)
                        || message.isBlank()) {
                    unnamed.add(envelope.mutation() + ": " + error + " for " + shorten(envelope.text()));
                } else {
                    String name = field.asText().isEmpty() ? "(the body or line)" : field.asText()
                            .replaceAll("\\[\\d+]", "[]");
                    refusedByField.merge(name.length() > 60 ? name.substring(0, 60) + "…" : name, 1, Integer::sum);
                }
            }
        }

        /** The accepted envelopes by customer, in the order sent. */
        Map<String, List<Envelope>> byCustomer() {
            Map<String, List<Envelope>> customers = new LinkedHashMap<>();
            for (Envelope envelope : accepted) {
                customers.computeIfAbsent(envelope.subject(), c -> new ArrayList<>()).add(envelope);
            }
            return customers;
        }

        void print() {
            System.out.printf("FUZZ seed %d: %,d envelopes (%,d one by one, %,d in one import): %,d accepted, "
                            + "%,d duplicates, %,d refused, %,d 5xx, %,d refusals naming no field%n",
                    SEED, sent, SINGLE, IMPORTED, accepted.size(), duplicates, refused, serverErrors.size(),
                    unnamed.size());
            System.out.println("FUZZ errors by field: " + refusedByField);
            System.out.println("FUZZ envelopes by mutation: " + byMutation);
            serverErrors.stream().limit(20).forEach(e -> System.out.println("FUZZ 5xx: " + e));
            unnamed.stream().limit(20).forEach(e -> System.out.println("FUZZ unnamed: " + e));
        }

        private static String shorten(String text) {
            return text.length() <= 300 ? text : text.substring(0, 300) + "… (" + text.length() + " chars)";
        }
    }

    // ---- the read models ----

    private static void awaitReadModelsCaughtUp(int accepted) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, Double> metrics = lagAndDeadLetters();
            boolean idle = !metrics.isEmpty() && metrics.values().stream().allMatch(v -> v == 0.0);
            if (idle && count("SELECT count(*) FROM timeline_event") == accepted) {
                return;
            }
            Thread.sleep(250);
        }
    }

    /** The lag and dead-letter gauges of every read model (query side) and of the Kafka relay (command side). */
    private static Map<String, Double> lagAndDeadLetters() throws Exception {
        Map<String, Double> metrics = new TreeMap<>();
        for (String line : TestHttp.get(query("/actuator/prometheus")).body().split("\n")) {
            if (line.startsWith("salesledger_projection_lag_events{")
                    || line.startsWith("salesledger_projection_dead_letters_events{")) {
                metrics.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(line.substring(
                        line.lastIndexOf(' ') + 1)));
            }
        }
        for (String line : TestHttp.get(command("/actuator/prometheus")).body().split("\n")) {
            if (line.startsWith("salesledger_kafka_relay_lag_events") || line.startsWith(
                    "salesledger_kafka_relay_parked_events")) {
                metrics.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(line.substring(
                        line.lastIndexOf(' ') + 1)));
            }
        }
        return metrics;
    }

    /** The funnel against a count made here from the accepted actions, by the stage rules of contract §2. */
    private static void assertFunnelEqualsIndependentCount(Outcome outcome) throws Exception {
        List<String> order = List.of("FIRST_CONTACT", "NEEDS_CONFIRMED", "PROPOSAL_SENT", "PRICE_OBJECTION",
                "TRIAL_REQUESTED", "CONTRACT_SIGNED");
        Map<String, Integer> current = new TreeMap<>();
        for (List<Envelope> actions : outcome.byCustomer().values()) {
            String stage = null;
            for (Envelope action : actions) {
                String type = action.type();
                if (type.equals("CustomerRegistered")) {
                    stage = stage == null ? "FIRST_CONTACT" : stage;
                    continue;
                }
                if (stage == null || stage.equals("CONTRACT_SIGNED") || stage.equals("LOST")) {
                    continue;
                }
                String signalled = switch (type) {
                    case "NeedsConfirmed" -> "NEEDS_CONFIRMED";
                    case "ProposalSent" -> "PROPOSAL_SENT";
                    case "ObjectionRaised" -> "PRICE".equals(action.json().at("/data/objectionType").asText())
                            && order.indexOf(stage) >= order.indexOf("PROPOSAL_SENT") ? "PRICE_OBJECTION" : null;
                    case "TrialRequested" -> "TRIAL_REQUESTED";
                    case "ContractSigned" -> "CONTRACT_SIGNED";
                    case "DealLost" -> "LOST";
                    default -> null;
                };
                if ("LOST".equals(signalled)) {
                    stage = "LOST";
                } else if (signalled != null && order.indexOf(signalled) > order.indexOf(stage)) {
                    stage = signalled;
                }
            }
            if (stage != null) {
                current.merge(stage, 1, Integer::sum);
            }
        }
        JsonNode funnel = TestHttp.get(query("/api/v1/funnel")).json();
        Map<String, Integer> shown = new TreeMap<>();
        funnel.get("stages").forEach(s -> {
            if (s.get("current").asInt() > 0) {
                shown.put(s.get("stage").asText(), s.get("current").asInt());
            }
        });
        Map<String, Integer> expected = new TreeMap<>(current);
        expected.remove("LOST");
        expected.remove("CONTRACT_SIGNED");
        shown.remove("LOST");
        shown.remove("CONTRACT_SIGNED");
        System.out.println("FUZZ funnel: " + funnel);
        assertThat(shown).as("customers per open stage").isEqualTo(expected);
        assertThat(funnel.get("won").asInt()).as("won").isEqualTo(current.getOrDefault("CONTRACT_SIGNED", 0));
        assertThat(funnel.get("lost").asInt()).as("lost").isEqualTo(current.getOrDefault("LOST", 0));
    }

    private static List<String> timelineRows(String customer) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             var statement = connection.prepareStatement(
                     "SELECT action_id, type, time_text FROM timeline_event WHERE customer_id = ? ORDER BY seq")) {
            statement.setString(1, customer);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1) + " " + result.getString(2) + " " + result.getString(3));
                }
            }
        }
        return rows;
    }

    private static long count(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    /**
     * The consistency check ({@code POST/GET /api/v1/admin/consistency}) compares every read model with the event
     * store customer by customer: after the fuzzed intake it finds no difference and no parked customer.
     */
    private static void assertEveryReadModelConsistentWithTheStore() throws Exception {
        Response started = TestHttp.post(query("/api/v1/admin/consistency?limit=20"), "");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String id = started.json().get("id").asText();
        JsonNode report = TestHttp.eventually(query("/api/v1/admin/consistency"), r -> r.status() == 200
                && r.json().get("id").asText().equals(id)
                && !r.json().get("state").asText().equals("RUNNING"), Duration.ofMinutes(3)).json();
        assertThat(report.get("state").asText()).as(report.toString()).isEqualTo("DONE");
        assertThat(report.get("differencesTotal").asLong()).as(report.toString()).isZero();
        assertThat(report.get("parked")).as(report.toString()).isEmpty();
        assertThat(report.get("readModels")).as(report.toString()).hasSize(6)
                .allSatisfy(m -> assertThat(m.get("customersCompared").asLong()).as(m.toString()).isPositive());
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }
}
