package org.salesledger.projections.funnel;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.List;
import org.salesledger.kernel.access.Scope;
import org.salesledger.kernel.lifecycle.Stage;

/**
 * The funnel of contract §2 as the query side reads it, counted over the customers the caller's scope covers (§7):
 * a customer outside the scope counts nowhere, as if it did not exist.
 */
public interface FunnelReadModel {

    /** The funnel over the customers of the scope that the filter selects. */
    Funnel funnel(Scope scope, Filter filter);

    /** One funnel per value of {@code by} among the customers of the scope that the filter selects, in key order. */
    List<Group> funnelBy(Scope scope, Filter filter, Dimension by);

    /**
     * Customers selected by their registration data; {@code null} means any. {@code from}/{@code to} are dates
     * of the registration time in UTC, {@code to} exclusive.
     */
    record Filter(String region, String team, String rep, String channel, LocalDate from, LocalDate to) {
        public static final Filter ALL = new Filter(null, null, null, null, null, null);
    }

    /** What a breakdown groups by; {@code MONTH} is the registration month in UTC, as {@code 2025-03}. */
    enum Dimension { REGION, TEAM, REP, CHANNEL, MONTH }

    /**
     * The six ordered stages, then won, lost and the win rate ({@code null} while nobody is won or lost).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Funnel(List<StageFigures> stages, long won, long lost, Double winRate) {
    }

    /**
     * One stage: customers there now, customers that reached it (or a later stage), the share of those that went
     * on to reach the next stage ({@code null} for the last stage or when nobody reached this one), and the
     * average days spent in it by the customers that have left it ({@code null} when none has).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record StageFigures(Stage stage, long current, long reached, Double conversionToNext, Double avgDaysInStage) {
    }

    /** The funnel of one breakdown value; customers without a value (no team) are grouped under {@code (none)}. */
    record Group(String key, Funnel funnel) {
    }
}
