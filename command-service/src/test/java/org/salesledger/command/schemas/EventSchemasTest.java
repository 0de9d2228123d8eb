package org.salesledger.command.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.salesledger.command.intake.EnvelopeReader;
import org.salesledger.command.intake.FieldError;
import org.salesledger.command.intake.IncomingAction;
import org.salesledger.infra.kafka.ActionEnvelope;
import org.salesledger.kernel.CustomerAction;
import org.salesledger.kernel.envelope.ActionData;
import org.salesledger.kernel.envelope.ActionMetadata;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.envelope.FieldLimits;

/**
 * The published schemas ({@code docs/events/}) against the code they describe, for every type in the
 * {@link ActionTypes} registry — so a type added later fails here until its schema is written:
 * <ul>
 *   <li>each type has a schema named after it, and there is no schema of a type that does not exist;</li>
 *   <li>a schema names exactly the fields of the event record;</li>
 *   <li>for the types clients send: it requires exactly what the intake requires, lets optional fields be null or
 *       absent, a field of the wrong shape and the intake's particular rules are refused by both, its example is
 *       accepted by both and what the relay publishes for it is valid;</li>
 *   <li>for the types only the system records (no intake to compare with): its example is the record's own JSON
 *       form, and what the relay publishes for it is valid.</li>
 * </ul>
 */
class EventSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Set<String> NOT_DATA = Set.of("customerId", "additional");

    static Stream<String> types() {
        return ActionTypes.names().stream();
    }

    /** The types clients send: the intake's rules apply to them. */
    static Stream<String> clientTypes() {
        return ActionTypes.clientNames().stream();
    }

    /** The types only the system records (rule-made events, reassignments): no intake, published all the same. */
    static Stream<String> systemTypes() {
        return ActionTypes.names().stream().filter(type -> !ActionTypes.isClientType(type));
    }

    // ---- one schema per type ----

    @ParameterizedTest
    @MethodSource("types")
    void everyActionTypeHasAPublishedSchemaNamedAfterIt(String type) {
        JsonNode schema = schemaJson(type);

        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.get("title").asText()).isEqualTo(type);
        assertThat(schema.at("/properties/type/const").asText()).isEqualTo(type);
        assertThat(schema.get("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("specversion", "id", "source", "type", "subject", "time", "actor", "data");
    }

    @Test
    void theSchemaFolderHoldsNoSchemaOfATypeThatDoesNotExist() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "docs", "events"))) {
            Set<String> published = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(EventSchemas.SUFFIX))
                    .map(n -> n.substring(0, n.length() - EventSchemas.SUFFIX.length()))
                    .collect(Collectors.toSet());

            assertThat(ActionTypes.names()).containsAll(published);
            assertThat(published).containsAll(ActionTypes.names());
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void aSchemaNamesExactlyTheFieldsOfTheEventRecord(String type) {
        Set<String> recordFields = Arrays.stream(ActionTypes.byName(type).orElseThrow().getRecordComponents())
                .map(EventSchemasTest::jsonName)
                .filter(name -> !NOT_DATA.contains(name))
                .collect(Collectors.toCollection(LinkedHashSet::new));

        assertThat(dataProperties(type)).containsExactlyInAnyOrderElementsOf(recordFields);
    }

    // ---- the same rules as the intake ----

    @ParameterizedTest
    @MethodSource("clientTypes")
    void aSchemaRequiresExactlyTheFieldsTheIntakeRequires(String type) {
        ObjectNode empty = example(type);
        empty.set("data", JSON.createObjectNode());

        Set<String> intakeRequires = intakeErrors(empty).stream()
                .filter(e -> e.message().equals("is required"))
                .map(FieldError::field).collect(Collectors.toSet());
        Set<String> schemaRequires = new LinkedHashSet<>();
        schemaJson(type).at("/properties/data/required").forEach(r -> schemaRequires.add("data." + r.asText()));

        assertThat(schemaRequires).isEqualTo(intakeRequires);
        assertThat(schemaErrors(type, empty).isEmpty()).isEqualTo(intakeRequires.isEmpty());
    }

    @ParameterizedTest
    @MethodSource("clientTypes")
    void optionalFieldsMayBeNullOrLeftOutForBoth(String type) {
        Set<String> required = new LinkedHashSet<>();
        schemaJson(type).at("/properties/data/required").forEach(r -> required.add(r.asText()));
        for (String field : dataProperties(type)) {
            if (required.contains(field)) {
                continue;
            }
            ObjectNode nulled = example(type);
            ((ObjectNode) nulled.get("data")).putNull(field);
            ObjectNode without = example(type);
            ((ObjectNode) without.get("data")).remove(field);

            assertThat(intakeErrors(nulled)).as("intake, %s.%s = null", type, field).isEmpty();
            assertThat(schemaErrors(type, nulled)).as("schema, %s.%s = null", type, field).isEmpty();
            assertThat(intakeErrors(without)).as("intake, %s without %s", type, field).isEmpty();
            assertThat(schemaErrors(type, without)).as("schema, %s without %s", type, field).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("clientTypes")
    void aFieldOfTheWrongShapeIsRefusedByBoth(String type) {
        JsonNode properties = schemaJson(type).at("/properties/data/properties");
        for (String field : dataProperties(type)) {
            // a string where the schema allows no string, an object where it allows a string
            boolean takesStrings = properties.get(field).toString().contains("\"string\"");
            JsonNode wrong = takesStrings ? JSON.createObjectNode().put("unexpected", true)
                    : JsonNodeFactory.instance.textNode("unexpected");
            ObjectNode envelope = example(type);
            ((ObjectNode) envelope.get("data")).set(field, wrong);

            assertThat(intakeErrors(envelope)).as("intake, %s.%s = %s", type, field, wrong)
                    .extracting(FieldError::field).anyMatch(f -> f.startsWith("data." + field));
            assertThat(schemaErrors(type, envelope)).as("schema, %s.%s = %s", type, field, wrong).isNotEmpty();
        }
    }

    /** The intake's particular rules, wherever a type has the field; each must be refused by both. */
    static Stream<Arguments> particularRules() {
        List<String[]> rules = List.of(
                new String[] {"data.amount.currency", "\"cny\""},
                new String[] {"data.amount.currency", "\"EURO\""},
                new String[] {"data.amount.value", "\"twelve\""},
                new String[] {"data.amount.value", "true"},
                new String[] {"data.location.lat", "91"},
                new String[] {"data.location.lon", "-181"},
                new String[] {"data.location.lon", "\"121.5\""},
                new String[] {"data.keyParameters", "[\"price\", \"delivery\"]"},
                new String[] {"data.keyParameters", "[\"price\", \"delivery\", \" \"]"},
                new String[] {"data.document.mediaType", "\"application/msword\""},
                new String[] {"data.document.uri", "\" \""},
                new String[] {"data.expectedDecisionDate", "\"01/04/2025\""},
                new String[] {"data.objectionType", "\"ANGRY\""},
                new String[] {"data.until", "\"after the fair\""},
                new String[] {"data.reason", "\" \""},
                new String[] {"data.photos", "[{\"sha256\": \"9f86\"}]"},
                new String[] {"data.lines", "[{\"quantity\": \"many\"}]"},
                new String[] {"data.name", "\"  \""},
                new String[] {"data.ownerRepId", "\"" + "r".repeat(256) + "\""},
                new String[] {"time", "\"2025-03-01T09:30:00\""},
                new String[] {"specversion", "\"0.3\""},
                new String[] {"id", "\"\""},
                new String[] {"subject", "\"" + "c".repeat(256) + "\""});
        List<Arguments> cases = new ArrayList<>();
        for (String type : ActionTypes.clientNames()) {
            for (String[] rule : rules) {
                String[] path = rule[0].split("\\.");
                JsonNode parent = example(type);
                for (int i = 0; i < path.length - 1 && parent != null; i++) {
                    parent = parent.get(path[i]);
                }
                if (parent != null && parent.has(path[path.length - 1])) {
                    cases.add(Arguments.of(type, rule[0], rule[1]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} = {2}")
    @MethodSource("particularRules")
    void theIntakesParticularRulesAreRefusedByBoth(String type, String path, String value) throws IOException {
        ObjectNode envelope = example(type);
        String[] parts = path.split("\\.");
        ObjectNode parent = envelope;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = (ObjectNode) parent.get(parts[i]);
        }
        parent.set(parts[parts.length - 1], JSON.readTree(value));

        assertThat(intakeErrors(envelope)).as("intake").isNotEmpty();
        assertThat(schemaErrors(type, envelope)).as("schema").isNotEmpty();
    }

    // ---- the field limits: one table in code, the same in every schema ----

    @ParameterizedTest
    @MethodSource("clientTypes")
    void everyTextOfASchemaHasTheMaxLengthOfTheCodesFieldLimits(String type) {
        java.util.Map<String, Integer> published = new java.util.LinkedHashMap<>();
        JsonNode schema = schemaJson(type);
        for (String field : List.of("id", "source", "subject", "actor")) {
            published.put(field, schema.at("/properties/" + field + "/maxLength").asInt(-1));
        }
        stringLimits(schema, schema.at("/properties/data"), "data", published);

        java.util.Map<String, Integer> code = new java.util.LinkedHashMap<>(FieldLimits.envelope());
        FieldLimits.data(type).forEach((path, limit) -> code.put("data." + path, limit));
        assertThat(published).containsExactlyInAnyOrderEntriesOf(code);
    }

    @ParameterizedTest
    @MethodSource("clientTypes")
    void aTextOneCharacterOverItsLimitIsRefusedByBothAndAtItsLimitAcceptedByBoth(String type) throws IOException {
        java.util.Map<String, Integer> limits = new java.util.LinkedHashMap<>(FieldLimits.envelope());
        FieldLimits.data(type).forEach((path, limit) -> limits.put("data." + path, limit));
        for (var entry : limits.entrySet()) {
            String path = entry.getKey();
            int limit = entry.getValue();
            ObjectNode over = withText(example(type), path, "x".repeat(limit + 1));

            assertThat(intakeErrors(over)).as("intake, %s %s over %d", type, path, limit)
                    .extracting(f -> f.field().replaceAll("\\[\\d+]", "[]"))
                    .anyMatch(f -> f.equals(path) || path.startsWith(f + "."));
            assertThat(schemaErrors(type, over)).as("schema, %s %s over %d", type, path, limit).isNotEmpty();
            if (limit > 10 && !schemaNodeAt(type, path).has("enum")) {
                ObjectNode at = withText(example(type), path, "x".repeat(limit));
                assertThat(intakeErrors(at)).as("intake, %s %s at %d", type, path, limit).isEmpty();
                assertThat(schemaErrors(type, at)).as("schema, %s %s at %d", type, path, limit).isEmpty();
            }
        }
    }

    /** Sets the text at a path such as {@code data.photos[].uri} (lists get one item) in an example envelope. */
    private static ObjectNode withText(ObjectNode envelope, String path, String text) {
        String[] parts = path.split("\\.");
        ObjectNode parent = envelope;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.endsWith("[]")) {
                String name = part.substring(0, part.length() - 2);
                JsonNode before = parent.path(name);
                ArrayNode list = parent.putArray(name);
                if (last) {
                    // the text as the first item; the example's other items kept (keyParameters holds exactly 3)
                    list.add(text);
                    for (int item = 1; item < before.size(); item++) {
                        list.add(before.get(item));
                    }
                } else {
                    parent = list.addObject();
                    if (path.contains("photos[]")) {
                        parent.put("uri", "https://files.example/p.jpg");
                    }
                }
            } else if (last) {
                parent.put(part, text);
            } else {
                JsonNode child = parent.get(part);
                parent = child instanceof ObjectNode object ? object : parent.putObject(part);
            }
        }
        return envelope;
    }

    /** The schema of the text at a path such as {@code data.photos[].uri}. */
    private static JsonNode schemaNodeAt(String type, String path) {
        JsonNode root = schemaJson(type);
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            boolean list = part.endsWith("[]");
            node = resolved(root, resolved(root, node).path("properties").path(list ? part.substring(0, part.length() - 2)
                    : part));
            if (list) {
                node = resolved(root, node.path("items"));
            }
        }
        return resolved(root, node);
    }

    /** The maxLength of every string a schema describes below {@code node}, by path ({@code data.photos[].uri}). */
    private static void stringLimits(JsonNode root, JsonNode node, String path, java.util.Map<String, Integer> out) {
        node = resolved(root, node);
        if (node.has("const")) {
            return;
        }
        if (node.has("properties")) {
            node.get("properties").fields().forEachRemaining(
                    p -> stringLimits(root, p.getValue(), path + "." + p.getKey(), out));
        } else if (node.has("items")) {
            stringLimits(root, node.get("items"), path + "[]", out);
        } else if (node.toString().contains("\"string\"") && !node.has("anyOf")) {
            out.put(path, node.path("maxLength").asInt(-1));
        }
    }

    private static JsonNode resolved(JsonNode root, JsonNode node) {
        while (true) {
            if (node.has("anyOf")) {
                JsonNode chosen = null;
                for (JsonNode alternative : node.get("anyOf")) {
                    if (!"null".equals(alternative.path("type").asText())) {
                        chosen = chosen == null ? alternative : chosen;
                    }
                }
                if (chosen == null || node.get("anyOf").size() > 2) {
                    return node;
                }
                node = chosen;
            } else if (node.has("$ref")) {
                node = root.at(node.get("$ref").asText().substring(1));
            } else {
                return node;
            }
        }
    }

    // ---- examples and what is published ----

    @ParameterizedTest
    @MethodSource("clientTypes")
    void theExampleIsAcceptedByTheSchemaAndTheIntake(String type) {
        ObjectNode example = example(type);

        assertThat(schemaErrors(type, example)).isEmpty();
        assertThat(intakeErrors(example)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("clientTypes")
    void whatTheRelayPublishesIsValidForTheSchema(String type) throws IOException {
        ObjectNode example = example(type);
        ((ObjectNode) example.get("data")).put("crmRef", "kept");
        IncomingAction action = EnvelopeReader.read(example, IncomingAction.Sender.NONE).action();

        JsonNode published = JSON.readTree(new String(ActionEnvelope.bytes(ActionEnvelope.of(action.payload(),
                action.metadata(), "event-1", 3, Instant.parse("2025-03-01T01:30:00Z"))), StandardCharsets.UTF_8));

        assertThat(schemaErrors(type, published)).isEmpty();
        assertThat(published.at("/data/crmRef").asText()).isEqualTo("kept");
    }

    @ParameterizedTest
    @MethodSource("systemTypes")
    void whatTheRelayPublishesForASystemMadeEventIsValidForTheSchemaAndGivesBackItsExample(String type)
            throws IOException {
        ObjectNode example = example(type);
        ObjectNode fields = example.get("data").deepCopy();
        fields.put("customerId", example.get("subject").asText());
        CustomerAction event = ActionData.mapper().convertValue(fields, ActionTypes.byName(type).orElseThrow());
        java.util.Map<String, String> metadata = java.util.Map.of(ActionMetadata.ACTION_ID, example.get("id").asText(),
                ActionMetadata.SOURCE, example.get("source").asText(), ActionMetadata.ACTOR, "system",
                ActionMetadata.OCCURRED_AT, example.get("time").asText());

        JsonNode published = JSON.readTree(new String(ActionEnvelope.bytes(ActionEnvelope.of(event, metadata,
                "event-1", 3, Instant.parse("2025-03-01T01:30:00Z"))), StandardCharsets.UTF_8));

        assertThat(schemaErrors(type, published)).isEmpty();
        assertThat(published.get("data")).as("the example is the record's own JSON form").isEqualTo(example.get("data"));
    }

    // ---- helpers ----

    /** A record component's name in JSON: its {@code @JsonProperty} name if it has one. */
    private static String jsonName(java.lang.reflect.RecordComponent component) {
        JsonProperty renamed = component.getAccessor().getAnnotation(JsonProperty.class);
        return renamed != null && !renamed.value().isEmpty() ? renamed.value() : component.getName();
    }

    private static JsonNode schemaJson(String type) {
        byte[] bytes = EventSchemas.read(type).orElseThrow(() -> new AssertionError("no schema for " + type
                + ": write docs/events/" + type + EventSchemas.SUFFIX));
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("the schema of " + type + " is not JSON", e);
        }
    }

    private static Set<String> dataProperties(String type) {
        Set<String> names = new LinkedHashSet<>();
        schemaJson(type).at("/properties/data/properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ObjectNode example(String type) {
        ArrayNode examples = (ArrayNode) schemaJson(type).get("examples");
        assertThat(examples).as("the schema of %s has an example", type).isNotEmpty();
        return (ObjectNode) examples.get(0).deepCopy();
    }

    private static List<FieldError> intakeErrors(JsonNode envelope) {
        return EnvelopeReader.read(envelope, IncomingAction.Sender.NONE).errors();
    }

    private static List<Error> schemaErrors(String type, JsonNode envelope) {
        Schema schema = REGISTRY.getSchema(schemaJson(type));
        return schema.validate(envelope);
    }
}
