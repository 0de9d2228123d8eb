package org.salesledger.kernel.health;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;

/**
 * The rep health metrics of contract §8, with the default target and points of each. A metric is met when its value
 * is not {@code null} (its denominator is not 0) and beats its target: strictly for {@link #NEW_CUSTOMER_SHARE}
 * ("&gt; 0.35"), at least for the others ("≥").
 */
public enum HealthMetric {
    /** Contracts whose customer is new ÷ contracts. */
    NEW_CUSTOMER_SHARE("newCustomerShare", true, "0.35", "2.5", false),
    /** Σ high-margin line amounts ÷ Σ line amounts, per currency. */
    HIGH_MARGIN_SHARE("highMarginShare", false, "0.40", "1.5", true),
    /** Contracts with at least 2 distinct departments: a count (the denominator is the contracts). */
    CROSS_DEPARTMENT_DEALS("crossDepartmentDeals", false, "2", "1.2", false),
    /** Customer signals followed by a sales action within {@code followUpWithin} ÷ signals. */
    FOLLOW_UP_TIMELINESS("followUpTimeliness", false, "0.80", "1.2", false),
    /** Key sales actions a {@code CustomerActionObserved} refers to ÷ key sales actions. */
    CUSTOMER_ACTION_COMPLETION_RATE("customerActionCompletionRate", false, "0.50", "2.0", false),
    /** Visits followed within {@code taskClosureWithin} by a sales action of another type ÷ visits. */
    TASK_CLOSURE_RATE("taskClosureRate", false, "0.60", "1.2", false);

    private final String code;
    private final boolean strict;
    private final BigDecimal defaultTarget;
    private final BigDecimal defaultPoints;
    private final boolean perCurrency;

    HealthMetric(String code, boolean strict, String defaultTarget, String defaultPoints, boolean perCurrency) {
        this.code = code;
        this.strict = strict;
        this.defaultTarget = new BigDecimal(defaultTarget);
        this.defaultPoints = new BigDecimal(defaultPoints);
        this.perCurrency = perCurrency;
    }

    /** The name in the API and in an {@code INCENTIVE} rule, e.g. {@code newCustomerShare}. */
    public String code() {
        return code;
    }

    /** {@code true} when the value must exceed the target, {@code false} when reaching it is enough. */
    public boolean strict() {
        return strict;
    }

    public BigDecimal defaultTarget() {
        return defaultTarget;
    }

    public BigDecimal defaultPoints() {
        return defaultPoints;
    }

    /** {@code true} for the metric answered per currency ({@code highMarginShare}). */
    public boolean perCurrency() {
        return perCurrency;
    }

    /** {@code true} for a ratio in [0, 1]; {@code false} for {@link #CROSS_DEPARTMENT_DEALS}, a count. */
    public boolean ratio() {
        return this != CROSS_DEPARTMENT_DEALS;
    }

    /** Whether {@code value} meets {@code target}; a {@code null} value (denominator 0) never does. */
    public boolean met(BigDecimal value, BigDecimal target) {
        if (value == null) {
            return false;
        }
        int c = value.compareTo(target);
        return strict ? c > 0 : c >= 0;
    }

    public static Optional<HealthMetric> byCode(String code) {
        return Arrays.stream(values()).filter(m -> m.code.equals(code)).findFirst();
    }
}
