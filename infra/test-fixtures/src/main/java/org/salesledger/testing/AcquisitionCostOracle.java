package org.salesledger.testing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.salesledger.testing.AttributionOracle.Action;
import org.salesledger.testing.AttributionOracle.Credit;
import org.salesledger.testing.AttributionOracle.Question;

/**
 * The acquisition-cost report (README, {@code GET /api/v1/acquisition-cost}) computed the plainest way, apart from the
 * production code on purpose: every cost looked at one by one, its channel resolved by the rules as written, every
 * customer's first contract found by scanning its actions, and each period's attributed revenue asked of the
 * {@link AttributionOracle} for that period. Periods are UTC calendar months, quarters or years.
 */
public final class AcquisitionCostOracle {

    private AcquisitionCostOracle() {
    }

    /** One currency of a channel's period: {@code cac} and {@code roi} are {@code null} where undefined. */
    public record Figures(BigDecimal cost, Map<String, BigDecimal> costByCategory, Double cac, double revenue,
                          Double roi) {
    }

    /** A channel's period: the customers it won and its figures per currency. */
    public record Line(long won, Map<String, Figures> currencies) {
    }

    /**
     * Each {@code channel|periodStart} line of the report of a rule-based {@code model} over costs, first contracts
     * and conversions whose time is in {@code [from, to)} ({@code null}: unbounded).
     *
     * @param unit "month", "quarter" or "year"
     */
    public static Map<String, Line> report(List<Action> stored, Map<String, String> touchTypes, String model,
                                           int lookbackDays, double halfLifeDays, String unit, Instant from,
                                           Instant to) {
        Map<String, Action> byId = new HashMap<>();
        Map<String, Action> registration = new HashMap<>();
        Map<String, Instant> firstContract = new HashMap<>();
        for (Action a : stored) {
            byId.put(a.id(), a);
            if (a.type().equals("CustomerRegistered")) {
                registration.put(a.customer(), a);
            }
            if (a.type().equals("ContractSigned")) {
                Instant t = instant(a.time());
                firstContract.merge(a.customer(), t, (x, y) -> x.isBefore(y) ? x : y);
            }
        }
        Map<String, Map<String, Map<String, BigDecimal>>> costs = new TreeMap<>(); // line → currency → category
        for (Action a : stored) {
            if (!a.type().equals("CostIncurred") || !within(instant(a.time()), from, to)) {
                continue;
            }
            String channel = a.channel();
            if (channel == null && a.refActionId() != null) {
                Action ref = byId.get(a.refActionId());
                channel = ref == null ? "(unresolved)" : touchTypes.containsKey(ref.type())
                        ? (touchTypes.get(ref.type()) != null ? touchTypes.get(ref.type()) : ref.channel())
                        : registration.get(ref.customer()).channel();
            }
            if (channel == null) {
                channel = registration.get(a.customer()).channel();
            }
            costs.computeIfAbsent(channel + "|" + start(instant(a.time()), unit), k -> new TreeMap<>())
                    .computeIfAbsent(a.currency(), k -> new TreeMap<>())
                    .merge(a.category(), a.amount(), BigDecimal::add);
        }
        Map<String, Long> won = new TreeMap<>();
        firstContract.forEach((customer, t) -> {
            if (within(t, from, to)) {
                won.merge(registration.get(customer).channel() + "|" + start(t, unit), 1L, Long::sum);
            }
        });
        Map<String, Map<String, Double>> revenue = new TreeMap<>();
        TreeSet<LocalDate> periods = new TreeSet<>();
        for (Action a : stored) {
            if (a.type().equals("ContractSigned") && within(instant(a.time()), from, to)) {
                periods.add(start(instant(a.time()), unit));
            }
        }
        for (LocalDate start : periods) {
            Instant periodFrom = start.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant periodTo = next(start, unit).atStartOfDay(ZoneOffset.UTC).toInstant();
            Question q = new Question(model, lookbackDays, halfLifeDays,
                    from != null && from.isAfter(periodFrom) ? from : periodFrom,
                    to != null && to.isBefore(periodTo) ? to : periodTo, null, null, null);
            for (Map.Entry<String, Credit> credit : AttributionOracle.attribution(stored, touchTypes, q).entrySet()) {
                String[] channelCurrency = credit.getKey().split("\\|");
                revenue.computeIfAbsent(channelCurrency[0] + "|" + start, k -> new TreeMap<>())
                        .merge(channelCurrency[1], credit.getValue().revenue(), Double::sum);
            }
        }
        TreeSet<String> lines = new TreeSet<>(costs.keySet());
        lines.addAll(won.keySet());
        lines.addAll(revenue.keySet());
        Map<String, Line> report = new TreeMap<>();
        for (String line : lines) {
            long customers = won.getOrDefault(line, 0L);
            TreeSet<String> currencies = new TreeSet<>(costs.getOrDefault(line, Map.of()).keySet());
            currencies.addAll(revenue.getOrDefault(line, Map.of()).keySet());
            Map<String, Figures> figures = new TreeMap<>();
            for (String currency : currencies) {
                Map<String, BigDecimal> byCategory = costs.getOrDefault(line, Map.of()).getOrDefault(currency, Map.of());
                BigDecimal cost = byCategory.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                double credited = revenue.getOrDefault(line, Map.of()).getOrDefault(currency, 0.0);
                Double cac = customers == 0 ? null : cost.doubleValue() / customers;
                Double roi = cost.signum() == 0 ? null : (credited - cost.doubleValue()) / cost.doubleValue();
                figures.put(currency, new Figures(cost, byCategory, cac, credited, roi));
            }
            report.put(line, new Line(customers, figures));
        }
        return report;
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    private static LocalDate start(Instant t, String unit) {
        LocalDate day = t.atOffset(ZoneOffset.UTC).toLocalDate();
        return switch (unit) {
            case "month" -> day.withDayOfMonth(1);
            case "quarter" -> LocalDate.of(day.getYear(), ((day.getMonthValue() - 1) / 3) * 3 + 1, 1);
            case "year" -> LocalDate.of(day.getYear(), 1, 1);
            default -> throw new IllegalArgumentException(unit);
        };
    }

    private static LocalDate next(LocalDate start, String unit) {
        return switch (unit) {
            case "month" -> start.plusMonths(1);
            case "quarter" -> start.plusMonths(3);
            case "year" -> start.plusYears(1);
            default -> throw new IllegalArgumentException(unit);
        };
    }

    private static Instant instant(String time) {
        return OffsetDateTime.parse(time).toInstant();
    }
}
