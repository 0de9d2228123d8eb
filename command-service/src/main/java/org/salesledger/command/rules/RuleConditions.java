package org.salesledger.command.rules;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL environment of rule conditions (contract §6), compiled and evaluated with the CEL Java library.
 *
 * <p>Declared context: {@code customer} (a struct with {@code id, name, region, team, ownerRepId, channel,
 * category, stage, class} as strings — {@code ""} when absent — and {@code tags} as a list of strings),
 * {@code events} (a list of {@code {type, time, actor, data}}: strings, a timestamp and a map), {@code now}
 * (a timestamp) and, for TALK_TRACK rules only, {@code visit} (the visit being logged, shaped as an event).
 * Conditions are type-checked against these declarations and must be boolean.
 *
 * <p>Safe and bounded: only CEL's standard functions and macros exist (no I/O, no clock, no side effects); an
 * expression is at most {@link Limits#maxExpressionLength} characters; one evaluation may run at most
 * {@link Limits#maxIterations} comprehension iterations in all (CEL's own budget) and evaluate at most
 * {@link Limits#maxSteps} expression nodes (counted by an evaluation listener); regular expressions are limited
 * in program size. An evaluation over the budget fails, and a failed evaluation counts as "does not match".
 */
public final class RuleConditions {

    /** The bounds of compilation and evaluation (settings {@code salesledger.rules.*}). */
    public record Limits(int maxExpressionLength, int maxIterations, long maxSteps, int maxEvents,
                         int maxRegexProgramSize) {
        public static final Limits DEFAULTS = new Limits(4096, 100_000, 1_000_000, 1_000, 1_000);
    }

    static final String CUSTOMER_TYPE = "salesledger.Customer";
    static final String EVENT_TYPE = "salesledger.Event";
    static final List<String> CUSTOMER_FIELDS = List.of("id", "name", "region", "team", "ownerRepId", "channel",
            "category", "stage", "tags", "class");

    private static final StructType CUSTOMER = StructType.create(CUSTOMER_TYPE, ImmutableSet.copyOf(CUSTOMER_FIELDS),
            field -> CUSTOMER_FIELDS.contains(field)
                    ? Optional.of(field.equals("tags") ? ListType.create(SimpleType.STRING) : SimpleType.STRING)
                    : Optional.empty());
    private static final StructType EVENT = StructType.create(EVENT_TYPE,
            ImmutableSet.of("type", "time", "actor", "data"),
            field -> switch (field) {
                case "type", "actor" -> Optional.of(SimpleType.STRING);
                case "time" -> Optional.of(SimpleType.TIMESTAMP);
                case "data" -> Optional.of(MapType.create(SimpleType.STRING, SimpleType.DYN));
                default -> Optional.empty();
            });
    private static final CelTypeProvider TYPES = new CelTypeProvider() {
        @Override
        public ImmutableCollection<CelType> types() {
            return ImmutableList.of(CUSTOMER, EVENT);
        }

        @Override
        public Optional<CelType> findType(String typeName) {
            return types().stream().filter(t -> t.name().equals(typeName)).findFirst();
        }
    };

    private final Limits limits;
    private final CelCompiler compiler;
    private final CelCompiler visitCompiler;
    private final CelRuntime runtime;

    public RuleConditions(Limits limits) {
        this.limits = limits;
        CelOptions options = CelOptions.current()
                .maxExpressionCodePointSize(limits.maxExpressionLength())
                .maxParseRecursionDepth(64)
                .comprehensionMaxIterations(limits.maxIterations())
                .maxRegexProgramSize(limits.maxRegexProgramSize())
                .enableHeterogeneousNumericComparisons(true)
                .build();
        this.compiler = compiler(options, false);
        this.visitCompiler = compiler(options, true);
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(options).build();
    }

    private static CelCompiler compiler(CelOptions options, boolean withVisit) {
        var builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(TYPES)
                .addVar("customer", CUSTOMER)
                .addVar("events", ListType.create(EVENT))
                .addVar("now", SimpleType.TIMESTAMP)
                .setResultType(SimpleType.BOOL);
        if (withVisit) {
            builder.addVar("visit", EVENT);
        }
        return builder.build();
    }

    public Limits limits() {
        return limits;
    }

    /** A type-checked, boolean condition, ready to evaluate. Immutable and thread-safe. */
    public record Condition(String expression, boolean overVisit, CelRuntime.Program program) {
    }

    /** What is wrong with an expression: CEL's message and where (line and column from 1, when known). */
    public record Problem(String message, Integer line, Integer column) {
    }

    /** The condition, or what is wrong with it. */
    public record Compiled(Condition condition, List<Problem> problems) {
        public boolean ok() {
            return condition != null;
        }
    }

    /** Parses and type-checks {@code expression}; {@code overVisit} declares {@code visit} (TALK_TRACK). */
    public Compiled compile(String expression, boolean overVisit) {
        try {
            CelAbstractSyntaxTree ast = (overVisit ? visitCompiler : compiler).compile(expression).getAst();
            return new Compiled(new Condition(expression, overVisit, runtime.createProgram(ast)), List.of());
        } catch (CelValidationException e) {
            List<Problem> problems = new ArrayList<>();
            for (CelIssue issue : e.getErrors()) {
                var at = issue.getSourceLocation();
                boolean known = at != null && at.getLine() > 0;
                problems.add(new Problem(issue.getMessage(), known ? at.getLine() : null,
                        known ? at.getColumn() + 1 : null));
            }
            return new Compiled(null, problems);
        } catch (CelEvaluationException e) {
            return new Compiled(null, List.of(new Problem(e.getMessage(), null, null)));
        }
    }

    /** An evaluation that failed: over a budget, or an error in the expression for these values. */
    public static final class EvaluationFailed extends Exception {
        EvaluationFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final class StepBudgetExceeded extends RuntimeException {
        StepBudgetExceeded(long budget) {
            super("evaluation budget exceeded: more than " + budget + " steps", null, false, false);
        }
    }

    /**
     * Evaluates the condition over {@code variables} ({@code customer}, {@code events}, {@code now} and, for a
     * visit condition, {@code visit}, as {@link RuleContext} builds them).
     */
    public boolean test(Condition condition, Map<String, Object> variables) throws EvaluationFailed {
        long budget = limits.maxSteps();
        long[] steps = {0};
        try {
            Object result = condition.program().trace(variables, (expr, value) -> {
                if (++steps[0] > budget) {
                    throw new StepBudgetExceeded(budget);
                }
            });
            return Boolean.TRUE.equals(result);
        } catch (CelEvaluationException e) {
            throw new EvaluationFailed(steps[0] > budget ? "evaluation budget exceeded: more than " + budget
                    + " steps" : e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new EvaluationFailed(e.getMessage(), e);
        }
    }
}
