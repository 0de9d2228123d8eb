package org.salesledger.projections.health;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.salesledger.kernel.health.HealthMetric;
import org.salesledger.kernel.health.IncentivePlan;

/**
 * A tally scored against an incentive plan (contract §8): each metric's value, whether it meets its target and the
 * points it earns, and the incentive per currency. Exact: ratios are kept to 34 significant digits, amounts exactly;
 * rounding is the response's. Pure: no clock, no I/O.
 *
 * @param metrics every metric but {@code highMarginShare}
 * @param highMargin {@code highMarginShare}, one per currency that has contracts with lines
 * @param incentive one per currency of the contracts
 * @param score Σ points of the metrics met, {@code highMarginShare} counted once if met in any currency (rankings)
 */
public record HealthScore(Map<HealthMetric, Metric> metrics, List<CurrencyMetric> highMargin,
                          List<Incentive> incentive, BigDecimal score) {

    /** Ratios' precision until the response (IEEE 754 decimal128: 34 significant digits). */
    public static final MathContext RATIO = MathContext.DECIMAL128;
    private static final BigDecimal HUNDRED = new BigDecimal(100);

    /** One metric: {@code value} is {@code null} when {@code denominator} is 0 (then not met, 0 points). */
    public record Metric(HealthMetric metric, BigDecimal value, BigDecimal numerator, BigDecimal denominator,
                         BigDecimal target, boolean met, BigDecimal points, long evidenceCount) {
    }

    /** {@code highMarginShare} in one currency. */
    public record CurrencyMetric(String currency, BigDecimal value, BigDecimal numerator, BigDecimal denominator,
                                 BigDecimal target, boolean met, BigDecimal points, long evidenceCount) {
    }

    /** The incentive in one currency: {@code amount} = {@code revenue} × {@code rate}, exact. */
    public record Incentive(String currency, BigDecimal revenue, BigDecimal baseRate, BigDecimal bonusPoints,
                            BigDecimal rate, BigDecimal amount) {
    }

    public static HealthScore of(HealthTally tally, IncentivePlan plan) {
        Map<HealthMetric, Metric> metrics = new EnumMap<>(HealthMetric.class);
        metrics.put(HealthMetric.NEW_CUSTOMER_SHARE, ratio(HealthMetric.NEW_CUSTOMER_SHARE, tally.newContracts(),
                tally.contracts(), plan));
        metrics.put(HealthMetric.CROSS_DEPARTMENT_DEALS, count(tally.crossDepartmentContracts(), tally.contracts(),
                plan));
        metrics.put(HealthMetric.FOLLOW_UP_TIMELINESS, ratio(HealthMetric.FOLLOW_UP_TIMELINESS,
                tally.signalsFollowed(), tally.signals(), plan));
        metrics.put(HealthMetric.CUSTOMER_ACTION_COMPLETION_RATE, ratio(HealthMetric.CUSTOMER_ACTION_COMPLETION_RATE,
                tally.keyActionsObserved(), tally.keyActions(), plan));
        metrics.put(HealthMetric.TASK_CLOSURE_RATE, ratio(HealthMetric.TASK_CLOSURE_RATE, tally.visitsClosed(),
                tally.visits(), plan));
        BigDecimal points = BigDecimal.ZERO;
        for (Metric m : metrics.values()) {
            points = points.add(m.points());
        }
        IncentivePlan.Target hm = plan.target(HealthMetric.HIGH_MARGIN_SHARE);
        List<CurrencyMetric> highMargin = new ArrayList<>();
        List<Incentive> incentive = new ArrayList<>();
        boolean highMarginMet = false;
        for (Map.Entry<String, HealthTally.CurrencyTally> e : tally.currencies().entrySet()) {
            HealthTally.CurrencyTally c = e.getValue();
            BigDecimal bonus = points;
            if (c.contractsWithLines() > 0) {
                BigDecimal value = c.lineAmount().signum() == 0 ? null
                        : c.highMarginAmount().divide(c.lineAmount(), RATIO);
                boolean met = HealthMetric.HIGH_MARGIN_SHARE.met(value, hm.target());
                highMargin.add(new CurrencyMetric(e.getKey(), value, c.highMarginAmount(), c.lineAmount(),
                        hm.target(), met, met ? hm.points() : BigDecimal.ZERO, c.highMarginContracts()));
                if (met) {
                    bonus = bonus.add(hm.points());
                    highMarginMet = true;
                }
            }
            if (c.contracts() > 0) {
                BigDecimal rate = plan.baseRate().add(bonus.divide(HUNDRED));
                incentive.add(new Incentive(e.getKey(), c.revenue(), plan.baseRate(), bonus, rate,
                        c.revenue().multiply(rate)));
            }
        }
        BigDecimal score = highMarginMet ? points.add(hm.points()) : points;
        return new HealthScore(metrics, List.copyOf(highMargin), List.copyOf(incentive), score);
    }

    private static Metric ratio(HealthMetric metric, long numerator, long denominator, IncentivePlan plan) {
        BigDecimal value = denominator == 0 ? null
                : BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), RATIO);
        return metric(metric, value, numerator, denominator, plan);
    }

    private static Metric count(long numerator, long denominator, IncentivePlan plan) {
        BigDecimal value = denominator == 0 ? null : BigDecimal.valueOf(numerator);
        return metric(HealthMetric.CROSS_DEPARTMENT_DEALS, value, numerator, denominator, plan);
    }

    private static Metric metric(HealthMetric metric, BigDecimal value, long numerator, long denominator,
                                 IncentivePlan plan) {
        IncentivePlan.Target target = plan.target(metric);
        boolean met = metric.met(value, target.target());
        return new Metric(metric, value, BigDecimal.valueOf(numerator), BigDecimal.valueOf(denominator),
                target.target(), met, met ? target.points() : BigDecimal.ZERO, numerator);
    }
}
