package org.salesledger.kernel.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.salesledger.kernel.envelope.ActionTypes;

/**
 * The incentive plan of contract §8: the definitions the health metrics use, each metric's target and points, and
 * the base rate. A plan is the body of a rule of kind {@code INCENTIVE} (contract §6); every field of the body is
 * optional and takes the contract's default when absent, so {@code {"kind":"INCENTIVE"}} is {@link #DEFAULT}.
 *
 * <pre>{@code
 * {"kind": "INCENTIVE", "description": "2027 plan",
 *  "baseRate": 0.05, "newCustomer": "FIRST_ORDER", "newCustomerWindow": "P90D", "highMarginPct": 30,
 *  "followUpWithin": "PT48H", "keyActionTypes": ["ProposalSent", "MessageSent"], "taskClosureWithin": "P7D",
 *  "targets": {"newCustomerShare": {"target": 0.35, "points": 2.5}, "crossDepartmentDeals": {"target": 3}}}
 * }</pre>
 *
 * Pure: no clock, no I/O. {@link #parse} reports every refused field at once, each by its path in the body.
 */
public record IncentivePlan(BigDecimal baseRate, NewCustomerDefinition newCustomer, Duration newCustomerWindow,
                            BigDecimal highMarginPct, Duration followUpWithin, Set<String> keyActionTypes,
                            Duration taskClosureWithin, Map<HealthMetric, Target> targets) {

    /** A metric's target and the bonus points it earns when met. */
    public record Target(BigDecimal target, BigDecimal points) {
    }

    /** One refused field of a plan: its path in the rule body ({@code targets.newCustomerShare.points}) and why. */
    public record FieldError(String field, String message) {
    }

    /** What {@link #parse} found: the plan when {@code errors} is empty, {@code null} otherwise. */
    public record Parsed(IncentivePlan plan, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** The body fields of an {@code INCENTIVE} rule besides {@code kind} and {@code description}. */
    public static final Set<String> FIELDS = Set.of("baseRate", "newCustomer", "newCustomerWindow", "highMarginPct",
            "followUpWithin", "keyActionTypes", "taskClosureWithin", "targets");

    /** The plan of contract §8 when no {@code INCENTIVE} rule is active. */
    public static final IncentivePlan DEFAULT = defaults();

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The longest window a plan may give: the windows are added to action times in SQL, where a duration of
     * millions of years leaves PostgreSQL's range and would fail every health answer instead of this one field.
     */
    static final Duration LONGEST = Duration.ofDays(3650);

    public IncentivePlan {
        keyActionTypes = Collections.unmodifiableSet(new LinkedHashSet<>(keyActionTypes));
        EnumMap<HealthMetric, Target> all = new EnumMap<>(HealthMetric.class);
        all.putAll(targets);
        targets = Collections.unmodifiableMap(all);
    }

    private static IncentivePlan defaults() {
        EnumMap<HealthMetric, Target> targets = new EnumMap<>(HealthMetric.class);
        for (HealthMetric m : HealthMetric.values()) {
            targets.put(m, new Target(m.defaultTarget(), m.defaultPoints()));
        }
        return new IncentivePlan(new BigDecimal("0.05"), NewCustomerDefinition.FIRST_ORDER, Duration.ofDays(90),
                new BigDecimal("30"), Duration.ofHours(48), new LinkedHashSet<>(List.of("ProposalSent", "MessageSent")),
                Duration.ofDays(7), targets);
    }

    public Target target(HealthMetric metric) {
        return targets.get(metric);
    }

    /** Reads a rule body (a map as {@code RulePublished.rule()} holds it); {@code kind} and {@code description} are ignored. */
    public static Parsed fromRule(Map<String, Object> body) {
        return parse((JsonNode) JSON.valueToTree(body));
    }

    /** Reads a rule body; every field not given keeps {@link #DEFAULT}'s value. */
    public static Parsed parse(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            errors.add(new FieldError("", "an INCENTIVE rule must be a JSON object {kind: \"INCENTIVE\", …}"));
            return new Parsed(null, errors);
        }
        IncentivePlan d = DEFAULT;
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("kind") && !name.equals("description") && !FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a field of an INCENTIVE rule; its fields are kind, description, "
                        + String.join(", ", new java.util.TreeSet<>(FIELDS))));
            }
        }
        BigDecimal baseRate = decimal(body, "baseRate", d.baseRate, BigDecimal.ZERO, BigDecimal.ONE, errors);
        NewCustomerDefinition newCustomer = d.newCustomer;
        JsonNode nc = body.get("newCustomer");
        if (nc != null) {
            try {
                if (!nc.isTextual()) {
                    throw new IllegalArgumentException();
                }
                newCustomer = NewCustomerDefinition.valueOf(nc.asText());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("newCustomer", "must be FIRST_ORDER or FIRST_EFFECTIVE_CONTACT; got " + nc));
            }
        }
        Duration newCustomerWindow = duration(body, "newCustomerWindow", d.newCustomerWindow, errors);
        BigDecimal highMarginPct = decimal(body, "highMarginPct", d.highMarginPct, BigDecimal.ZERO,
                new BigDecimal(100), errors);
        Duration followUpWithin = duration(body, "followUpWithin", d.followUpWithin, errors);
        Duration taskClosureWithin = duration(body, "taskClosureWithin", d.taskClosureWithin, errors);
        Set<String> keyTypes = d.keyActionTypes;
        JsonNode kt = body.get("keyActionTypes");
        if (kt != null) {
            if (!kt.isArray() || kt.isEmpty()) {
                errors.add(new FieldError("keyActionTypes", "must be a non-empty list of action types, e.g. "
                        + "[\"ProposalSent\", \"MessageSent\"]"));
            } else {
                keyTypes = new LinkedHashSet<>();
                for (int i = 0; i < kt.size(); i++) {
                    JsonNode t = kt.get(i);
                    if (!t.isTextual() || !ActionTypes.isClientType(t.asText())
                            || t.asText().equals("CustomerActionObserved")) {
                        errors.add(new FieldError("keyActionTypes[" + i + "]", "must be the type of a sales action "
                                + "a client sends (not CustomerActionObserved); got " + t));
                    } else {
                        keyTypes.add(t.asText());
                    }
                }
            }
        }
        EnumMap<HealthMetric, Target> targets = new EnumMap<>(d.targets);
        JsonNode ts = body.get("targets");
        if (ts != null) {
            if (!ts.isObject()) {
                errors.add(new FieldError("targets", "must be an object {metric: {target, points}}"));
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = ts.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String at = "targets." + e.getKey();
                    HealthMetric metric = HealthMetric.byCode(e.getKey()).orElse(null);
                    if (metric == null) {
                        errors.add(new FieldError(at, "is not a health metric; the metrics are "
                                + String.join(", ", java.util.Arrays.stream(HealthMetric.values())
                                .map(HealthMetric::code).toList())));
                        continue;
                    }
                    JsonNode t = e.getValue();
                    if (!t.isObject()) {
                        errors.add(new FieldError(at, "must be an object {target, points}"));
                        continue;
                    }
                    for (Iterator<String> names = t.fieldNames(); names.hasNext(); ) {
                        String name = names.next();
                        if (!name.equals("target") && !name.equals("points")) {
                            errors.add(new FieldError(at + "." + name, "is not a field of a target; its fields are "
                                    + "target, points"));
                        }
                    }
                    Target old = d.targets.get(metric);
                    BigDecimal max = metric.ratio() ? BigDecimal.ONE : null;
                    BigDecimal target = decimalAt(t.get("target"), at + ".target", old.target(), BigDecimal.ZERO, max,
                            errors);
                    BigDecimal points = decimalAt(t.get("points"), at + ".points", old.points(), BigDecimal.ZERO,
                            new BigDecimal(100), errors);
                    targets.put(metric, new Target(target, points));
                }
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, List.copyOf(errors));
        }
        return new Parsed(new IncentivePlan(baseRate, newCustomer, newCustomerWindow, highMarginPct, followUpWithin,
                keyTypes, taskClosureWithin, targets), List.of());
    }

    private static BigDecimal decimal(JsonNode body, String field, BigDecimal fallback, BigDecimal min,
                                      BigDecimal max, List<FieldError> errors) {
        return decimalAt(body.get(field), field, fallback, min, max, errors);
    }

    private static BigDecimal decimalAt(JsonNode value, String field, BigDecimal fallback, BigDecimal min,
                                        BigDecimal max, List<FieldError> errors) {
        if (value == null) {
            return fallback;
        }
        BigDecimal d;
        try {
            if (value.isNumber()) {
                d = value.decimalValue();
            } else if (value.isTextual()) {
                d = new BigDecimal(value.asText());
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be a decimal number; got " + value));
            return fallback;
        }
        if (d.compareTo(min) < 0 || (max != null && d.compareTo(max) > 0)) {
            errors.add(new FieldError(field, "must be between " + min.toPlainString() + " and "
                    + (max == null ? "any larger number" : max.toPlainString()) + "; got " + d.toPlainString()));
            return fallback;
        }
        if (d.precision() - d.scale() > 12 || d.scale() > 12) {
            errors.add(new FieldError(field, "has too many digits (at most 12 after the point); got "
                    + d.toPlainString()));
            return fallback;
        }
        return d.stripTrailingZeros();
    }

    private static Duration duration(JsonNode body, String field, Duration fallback, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null) {
            return fallback;
        }
        try {
            if (!value.isTextual()) {
                throw new DateTimeParseException("not text", value.toString(), 0);
            }
            Duration d = Duration.parse(value.asText());
            if (d.isNegative() || d.isZero()) {
                errors.add(new FieldError(field, "must be a positive duration; got " + value));
                return fallback;
            }
            if (d.compareTo(LONGEST) > 0) {
                errors.add(new FieldError(field, "must be at most " + LONGEST + " (ten years); got " + value));
                return fallback;
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO 8601 duration such as PT48H or P90D; got " + value));
            return fallback;
        }
    }
}
