package org.salesledger.command.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.salesledger.command.rules.RuleConditions.Condition;
import org.salesledger.kernel.envelope.ActionTypes;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.kernel.lifecycle.Stage;

/**
 * Reads a rule body ({@code {kind, when?, …}}, contract §6) field by field: every error at once, each with its
 * field, CEL expressions type-checked (with the line and column of a problem). Unknown fields are refused, so a
 * misspelt setting never silently does nothing. Pure: no storage.
 */
public final class RuleParser {

    /** A rule id: letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters. */
    public static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern CODE = Pattern.compile("[^\\s]{1,100}");
    static final String DEFAULT_TALK_TRACK_TO = "supervisor";
    /** Decimals kept exact in the stored body (an INCENTIVE plan's rates and targets), never turned into doubles. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private static final Map<RuleKind, Set<String>> FIELDS = Map.of(
            RuleKind.TAG, Set.of("tag"),
            RuleKind.CLASSIFY, Set.of("classes"),
            RuleKind.ESCALATE, Set.of("stage", "after", "to", "unless"),
            RuleKind.IDLE, Set.of("after", "to"),
            RuleKind.POOL, Set.of("after", "maxAfter", "afterByClass", "remindBefore", "reclaimLockout",
                    "dailyClaimLimit", "maxCustomersPerRep"),
            RuleKind.COLLECTION, Set.of("after"),
            RuleKind.TALK_TRACK, Set.of("scripts", "alertAfterUnused", "to"),
            RuleKind.INCENTIVE, IncentivePlan.FIELDS);

    private RuleParser() {
    }

    /** A rule read from a body: its definition, its compiled conditions and the body to store; or the errors. */
    public record Parsed(RuleDefinition definition, Condition when, List<Condition> classes, Map<String, Object> body,
                         List<RuleError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Reads a body, checking that every TALK_TRACK script id is known ({@code knownScript}). */
    public static Parsed parse(JsonNode body, RuleConditions cel, Predicate<String> knownScript) {
        List<RuleError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            errors.add(RuleError.of("", "a rule must be a JSON object {kind, when?, …}"));
            return new Parsed(null, null, List.of(), Map.of(), errors);
        }
        Reader r = new Reader(body, errors, cel);
        String kindName = r.text("kind", true);
        RuleKind kind = null;
        if (kindName != null) {
            try {
                kind = RuleKind.valueOf(kindName);
            } catch (IllegalArgumentException e) {
                errors.add(RuleError.of("kind", "must be one of " + Arrays.toString(RuleKind.values()) + "; got '"
                        + kindName + "'"));
            }
        }
        if (kind == null) {
            return new Parsed(null, null, List.of(), Map.of(), errors);
        }
        if (kind == RuleKind.INCENTIVE) {
            return incentive(body, r, errors);
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("kind") && !name.equals("when") && !name.equals("description")
                    && !FIELDS.get(kind).contains(name)) {
                errors.add(RuleError.of(name, "is not a field of a " + kind + " rule; its fields are kind, when, "
                        + "description, " + String.join(", ", new java.util.TreeSet<>(FIELDS.get(kind)))));
            }
        }
        boolean whenRequired = kind == RuleKind.TAG || kind == RuleKind.TALK_TRACK;
        Condition when = r.condition("when", whenRequired, kind == RuleKind.TALK_TRACK);
        String description = r.text("description", false);
        List<Condition> classConditions = new ArrayList<>();
        RuleDefinition definition = switch (kind) {
            case TAG -> new RuleDefinition.Tag(r.expression("when"), r.code("tag", true), description);
            case CLASSIFY -> new RuleDefinition.Classify(r.expression("when"), r.classes(classConditions), description);
            case ESCALATE -> new RuleDefinition.Escalate(r.expression("when"), r.stage("stage"), r.duration("after", true),
                    r.code("to", true), r.actionTypes("unless"), description);
            case IDLE -> new RuleDefinition.Idle(r.expression("when"), r.duration("after", true), r.code("to", false),
                    description);
            case POOL -> new RuleDefinition.Pool(r.expression("when"), r.duration("after", true),
                    r.duration("maxAfter", false), r.durationsByClass("afterByClass"), r.duration("remindBefore", false),
                    r.duration("reclaimLockout", false), r.positive("dailyClaimLimit"),
                    r.positive("maxCustomersPerRep"), description);
            case COLLECTION -> new RuleDefinition.Collection(r.expression("when"), r.duration("after", true), description);
            case TALK_TRACK -> {
                List<String> scripts = r.codes("scripts");
                if (scripts != null) {
                    for (int i = 0; i < scripts.size(); i++) {
                        if (!knownScript.test(scripts.get(i))) {
                            errors.add(RuleError.of("scripts[" + i + "]", "no talk-track script '" + scripts.get(i)
                                    + "' exists; create it with POST /api/v1/talk-tracks first"));
                        }
                    }
                }
                String to = r.code("to", false);
                yield new RuleDefinition.TalkTrack(r.expression("when"), scripts, r.positive("alertAfterUnused"),
                        to == null ? DEFAULT_TALK_TRACK_TO : to, description);
            }
            case INCENTIVE -> throw new IllegalStateException("an INCENTIVE body is read by incentive(…)");
        };
        if (definition instanceof RuleDefinition.Pool pool && pool.maxAfter() != null && pool.after() != null
                && pool.maxAfter().compareTo(pool.after()) < 0) {
            errors.add(RuleError.of("maxAfter", "must be at least 'after' (" + pool.after() + ")"));
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, null, List.of(), Map.of(), List.copyOf(errors));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = JSON.convertValue(body, LinkedHashMap.class);
        return new Parsed(definition, when, List.copyOf(classConditions), stored, List.of());
    }

    /**
     * An INCENTIVE body (contract §8): the plan read by {@link IncentivePlan#parse}, its errors by field path
     * ({@code targets.newCustomerShare.points}); {@code when} is refused, since a plan applies to every rep.
     */
    private static Parsed incentive(JsonNode body, Reader r, List<RuleError> errors) {
        if (body.has("when")) {
            errors.add(RuleError.of("when", "an INCENTIVE rule has no condition: the plan applies to every rep; "
                    + "remove 'when'"));
        }
        String description = r.text("description", false);
        com.fasterxml.jackson.databind.node.ObjectNode plan = body.deepCopy();
        plan.remove("when");
        IncentivePlan.Parsed parsed = IncentivePlan.parse(plan);
        for (IncentivePlan.FieldError error : parsed.errors()) {
            errors.add(RuleError.of(error.field(), error.message()));
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, null, List.of(), Map.of(), List.copyOf(errors));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = JSON.convertValue(body, LinkedHashMap.class);
        return new Parsed(new RuleDefinition.Incentive(parsed.plan(), description), null, List.of(), stored,
                List.of());
    }

    /** Reads the fields of the body, collecting errors. */
    private static final class Reader {
        private final JsonNode node;
        private final List<RuleError> errors;
        private final RuleConditions cel;

        Reader(JsonNode node, List<RuleError> errors, RuleConditions cel) {
            this.node = node;
            this.errors = errors;
            this.cel = cel;
        }

        private JsonNode get(String name, boolean required) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                if (required) {
                    errors.add(RuleError.of(name, "is required"));
                }
                return null;
            }
            return value;
        }

        String text(String name, boolean required) {
            JsonNode value = get(name, required);
            if (value == null) {
                return null;
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                errors.add(RuleError.of(name, "must be a non-blank string"));
                return null;
            }
            return value.asText();
        }

        String expression(String name) {
            JsonNode value = node.get(name);
            return value != null && value.isTextual() ? value.asText() : null;
        }

        String code(String name, boolean required) {
            String text = text(name, required);
            if (text != null && !CODE.matcher(text).matches()) {
                errors.add(RuleError.of(name, "must be a code of 1 to 100 characters without spaces; got '" + text + "'"));
                return null;
            }
            return text;
        }

        Condition condition(String name, boolean required, boolean overVisit) {
            String text = text(name, required);
            return text == null ? null : compile(name, text, overVisit);
        }

        private Condition compile(String field, String expression, boolean overVisit) {
            RuleConditions.Compiled compiled = cel.compile(expression, overVisit);
            for (RuleConditions.Problem problem : compiled.problems()) {
                errors.add(new RuleError(field, problem.message(), problem.line(), problem.column()));
            }
            return compiled.condition();
        }

        List<RuleDefinition.ClassCase> classes(List<Condition> conditions) {
            JsonNode value = get("classes", true);
            if (value == null) {
                return null;
            }
            if (!value.isArray() || value.isEmpty()) {
                errors.add(RuleError.of("classes", "must be a non-empty list of {class, when}; the first match wins"));
                return null;
            }
            List<RuleDefinition.ClassCase> cases = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < value.size(); i++) {
                String at = "classes[" + i + "]";
                JsonNode item = value.get(i);
                if (!item.isObject()) {
                    errors.add(RuleError.of(at, "must be an object {class, when}"));
                    continue;
                }
                for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!name.equals("class") && !name.equals("when")) {
                        errors.add(RuleError.of(at + "." + name, "is not a field of a class; its fields are class, when"));
                    }
                }
                JsonNode cls = item.get("class");
                JsonNode when = item.get("when");
                String customerClass = null;
                if (cls == null || !cls.isTextual() || !CODE.matcher(cls.asText()).matches()) {
                    errors.add(RuleError.of(at + ".class", "is required: a class code of 1 to 100 characters without spaces"));
                } else if (!seen.add(cls.asText())) {
                    errors.add(RuleError.of(at + ".class", "class '" + cls.asText() + "' is listed twice"));
                } else {
                    customerClass = cls.asText();
                }
                if (when == null || !when.isTextual() || when.asText().isBlank()) {
                    errors.add(RuleError.of(at + ".when", "is required: a CEL condition (use \"true\" for a default class)"));
                    continue;
                }
                Condition condition = compile(at + ".when", when.asText(), false);
                if (condition != null && customerClass != null) {
                    conditions.add(condition);
                    cases.add(new RuleDefinition.ClassCase(customerClass, when.asText()));
                }
            }
            return cases;
        }

        Duration duration(String name, boolean required) {
            String text = text(name, required);
            return text == null ? null : duration(name, text);
        }

        private Duration duration(String field, String text) {
            try {
                Duration duration = Duration.parse(text);
                if (duration.isNegative() || duration.isZero()) {
                    errors.add(RuleError.of(field, "must be a positive duration; got '" + text + "'"));
                    return null;
                }
                return duration;
            } catch (DateTimeParseException e) {
                errors.add(RuleError.of(field, "must be an ISO 8601 duration such as PT5S, PT72H or P30D; got '"
                        + text + "'"));
                return null;
            }
        }

        Map<String, Duration> durationsByClass(String name) {
            JsonNode value = get(name, false);
            if (value == null) {
                return Map.of();
            }
            if (!value.isObject()) {
                errors.add(RuleError.of(name, "must be an object {class: ISO 8601 duration}, e.g. {\"A\": \"P60D\"}"));
                return Map.of();
            }
            Map<String, Duration> byClass = new LinkedHashMap<>();
            value.fields().forEachRemaining(entry -> {
                String at = name + "." + entry.getKey();
                if (!entry.getValue().isTextual()) {
                    errors.add(RuleError.of(at, "must be an ISO 8601 duration such as P60D"));
                } else {
                    Duration d = duration(at, entry.getValue().asText());
                    if (d != null) {
                        byClass.put(entry.getKey(), d);
                    }
                }
            });
            return byClass;
        }

        Integer positive(String name) {
            JsonNode value = get(name, false);
            if (value == null) {
                return null;
            }
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
                errors.add(RuleError.of(name, "must be a whole number of at least 1"));
                return null;
            }
            return value.asInt();
        }

        Stage stage(String name) {
            String text = text(name, true);
            if (text == null) {
                return null;
            }
            try {
                Stage stage = Stage.valueOf(text);
                if (stage.isFinal()) {
                    errors.add(RuleError.of(name, "must be an open stage; a customer never leaves " + stage));
                    return null;
                }
                return stage;
            } catch (IllegalArgumentException e) {
                errors.add(RuleError.of(name, "must be one of the open stages FIRST_CONTACT, NEEDS_CONFIRMED, "
                        + "PROPOSAL_SENT, PRICE_OBJECTION, TRIAL_REQUESTED; got '" + text + "'"));
                return null;
            }
        }

        List<String> actionTypes(String name) {
            JsonNode value = get(name, false);
            if (value == null) {
                return List.of();
            }
            if (!value.isArray()) {
                errors.add(RuleError.of(name, "must be a list of action types, e.g. [\"CustomerActionObserved\"]"));
                return List.of();
            }
            List<String> types = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isTextual() || !ActionTypes.isClientType(item.asText())) {
                    errors.add(RuleError.of(name + "[" + i + "]", "must be an action type clients send: "
                            + ActionTypes.clientNames()));
                } else {
                    types.add(item.asText());
                }
            }
            return List.copyOf(types);
        }

        List<String> codes(String name) {
            JsonNode value = get(name, true);
            if (value == null) {
                return null;
            }
            if (!value.isArray() || value.isEmpty()) {
                errors.add(RuleError.of(name, "must be a non-empty list of script ids"));
                return null;
            }
            List<String> codes = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isTextual() || !CODE.matcher(item.asText()).matches()) {
                    errors.add(RuleError.of(name + "[" + i + "]", "must be a script id"));
                } else {
                    codes.add(item.asText());
                }
            }
            return codes.size() == value.size() ? List.copyOf(codes) : null;
        }
    }
}
