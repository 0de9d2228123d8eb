package org.salesledger.query.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.kernel.health.IncentivePlan;
import org.salesledger.projections.health.HealthReadModel;
import org.salesledger.projections.health.HealthScore;

/** The JSON shapes of the health answers (contract §8), rounded only here ({@link HealthDecimals}). */
final class HealthAnswers {

    private HealthAnswers() {
    }

    /** The plan an answer used: {@code {ruleId: null, version: 0}} for the default plan. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Plan(String ruleId, int version) {
        static Plan of(HealthReadModel.PlanVersion plan) {
            return new Plan(plan.ruleId(), plan.version());
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Evidence(long count, List<String> actionIds) {
    }

    /** One metric; {@code evidence} absent in rankings and histories. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record Metric(@JsonInclude(JsonInclude.Include.ALWAYS) @JsonSerialize(using = HealthDecimals.Plain.class)
                  BigDecimal value,
                  @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal numerator,
                  @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal denominator,
                  @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal target, boolean met,
                  @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal points,
                  @JsonInclude(JsonInclude.Include.NON_NULL) Evidence evidence) {
    }

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record CurrencyMetric(String currency,
                          @JsonInclude(JsonInclude.Include.ALWAYS) @JsonSerialize(using = HealthDecimals.Plain.class)
                          BigDecimal value,
                          @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal numerator,
                          @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal denominator, boolean met,
                          @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal points,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Evidence evidence) {
    }

    record PerCurrency(@JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal target,
                       List<CurrencyMetric> byCurrency) {
    }

    record Incentive(String currency, @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal revenue,
                     @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal baseRate,
                     @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal bonusPoints,
                     @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal rate,
                     @JsonSerialize(using = HealthDecimals.Plain.class) BigDecimal amount) {
        static Incentive of(HealthScore.Incentive i) {
            return new Incentive(i.currency(), HealthDecimals.round(i.revenue()), HealthDecimals.round(i.baseRate()),
                    HealthDecimals.round(i.bonusPoints()), HealthDecimals.round(i.rate()),
                    HealthDecimals.money(i.amount()));
        }
    }

    /**
     * The metrics of a score by their codes, in the contract's order; {@code evidence} gives each metric's evidence
     * ({@code currency} for {@code highMarginShare}), or {@code null} to leave it out.
     */
    static Map<String, Object> metrics(HealthScore score, IncentivePlan plan,
                                       BiFunction<HealthMetric, String, Evidence> evidence) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (HealthMetric metric : HealthMetric.values()) {
            if (metric.perCurrency()) {
                List<CurrencyMetric> byCurrency = score.highMargin().stream().map(c -> new CurrencyMetric(c.currency(),
                        HealthDecimals.round(c.value()), HealthDecimals.round(c.numerator()),
                        HealthDecimals.round(c.denominator()), c.met(), HealthDecimals.round(c.points()),
                        evidence == null ? null : evidence.apply(metric, c.currency()))).toList();
                BigDecimal target = plan.target(metric).target();
                metrics.put(metric.code(), new PerCurrency(HealthDecimals.round(target), byCurrency));
            } else {
                HealthScore.Metric m = score.metrics().get(metric);
                metrics.put(metric.code(), new Metric(HealthDecimals.round(m.value()),
                        HealthDecimals.round(m.numerator()), HealthDecimals.round(m.denominator()),
                        HealthDecimals.round(m.target()), m.met(), HealthDecimals.round(m.points()),
                        evidence == null ? null : evidence.apply(metric, null)));
            }
        }
        return metrics;
    }

    static List<Incentive> incentive(HealthScore score) {
        return score.incentive().stream().map(Incentive::of).toList();
    }
}
