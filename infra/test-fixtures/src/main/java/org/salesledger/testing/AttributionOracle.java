package org.salesledger.testing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Contract §2's attribution computed the plainest way, apart from the production code on purpose: every conversion
 * of the actions in stored order, its touches looked up one by one, its split worked out position by position in
 * doubles. Tests hold the read model and the HTTP API to it, to 1e-9 relative.
 */
public final class AttributionOracle {

    private AttributionOracle() {
    }

    /**
     * One stored action, in the shape tests generate them: the fields a type does not have are {@code null}.
     * {@code time} is RFC 3339 with its offset, as sent.
     */
    public record Action(String id, String customer, String type, String time, String channel, BigDecimal amount,
                         String currency, String region, String team, String rep, String category,
                         String refActionId) {
    }

    /** What is asked; {@code null} filters and bounds mean any. */
    public record Question(String model, int lookbackDays, double halfLifeDays, Instant from, Instant to,
                           String region, String team, String rep) {
    }

    /** A channel's credit in one currency. */
    public record Credit(double conversions, double revenue) {
    }

    /**
     * Each {@code channel|currency}'s credit.
     *
     * @param touchTypes the action types that count as touches, each with a fixed channel or {@code null} for the
     *                   action's own channel
     */
    public static Map<String, Credit> attribution(List<Action> stored, Map<String, String> touchTypes, Question q) {
        Map<String, double[]> sums = new TreeMap<>();
        Map<String, Action> registrations = new LinkedHashMap<>();
        Map<String, Instant> needsConfirmed = needsConfirmed(stored, registrations);
        Instant[] times = new Instant[stored.size()];
        Map<String, List<Integer>> byCustomer = new LinkedHashMap<>();
        for (int i = 0; i < stored.size(); i++) {
            times[i] = instant(stored.get(i).time());
            byCustomer.computeIfAbsent(stored.get(i).customer(), c -> new ArrayList<>()).add(i);
        }
        for (Action conversion : stored) {
            if (!conversion.type().equals("ContractSigned")) {
                continue;
            }
            Instant at = instant(conversion.time());
            Action registration = registrations.get(conversion.customer());
            if ((q.from() != null && at.isBefore(q.from())) || (q.to() != null && !at.isBefore(q.to()))
                    || (q.region() != null && !q.region().equals(registration.region()))
                    || (q.team() != null && !q.team().equals(registration.team()))
                    || (q.rep() != null && !q.rep().equals(registration.rep()))) {
                continue;
            }
            Instant earliest = at.minus(Duration.ofDays(q.lookbackDays()));
            List<Integer> touches = new ArrayList<>();
            for (int i : byCustomer.get(conversion.customer())) {
                Action a = stored.get(i);
                Instant t = times[i];
                if (touchTypes.containsKey(a.type())
                        && !t.isBefore(earliest) && !t.isAfter(at)) {
                    touches.add(i);
                }
            }
            touches.sort(Comparator.comparing((Integer i) -> times[i]).thenComparing(i -> i));
            int n = touches.size();
            double[] shares = new double[n];
            if (n > 0) {
                switch (q.model()) {
                    case "first_touch" -> shares[0] = 1;
                    case "last_touch" -> shares[n - 1] = 1;
                    case "linear" -> java.util.Arrays.fill(shares, 1.0 / n);
                    case "time_decay" -> {
                        double total = 0;
                        for (int k = 0; k < n; k++) {
                            double days = Duration.between(times[touches.get(k)], at)
                                    .toNanos() / 86_400e9;
                            shares[k] = Math.pow(2, -days / q.halfLifeDays());
                            total += shares[k];
                        }
                        for (int k = 0; k < n; k++) {
                            shares[k] /= total;
                        }
                    }
                    case "u_shaped" -> {
                        if (n == 1) {
                            shares[0] = 1;
                        } else if (n == 2) {
                            shares[0] = 0.5;
                            shares[1] = 0.5;
                        } else {
                            shares[0] = 0.4;
                            shares[n - 1] = 0.4;
                            for (int k = 1; k < n - 1; k++) {
                                shares[k] = 0.2 / (n - 2);
                            }
                        }
                    }
                    case "w_shaped" -> {
                        Instant reached = needsConfirmed.get(conversion.customer());
                        int middle = 0;
                        for (int k = 0; k < n; k++) {
                            if (reached != null && !times[touches.get(k)].isAfter(reached)) {
                                middle = k;
                            }
                        }
                        int[] positions = {0, middle, n - 1};
                        List<Integer> others = new ArrayList<>();
                        for (int k = 0; k < n; k++) {
                            if (k != 0 && k != middle && k != n - 1) {
                                others.add(k);
                            }
                        }
                        for (int p : positions) {
                            shares[p] += 0.3 + (others.isEmpty() ? 0.1 / 3 : 0);
                        }
                        for (int k : others) {
                            shares[k] += 0.1 / others.size();
                        }
                    }
                    default -> throw new IllegalArgumentException(q.model());
                }
            }
            double amount = conversion.amount().doubleValue();
            if (n == 0) {
                add(sums, "(none)|" + conversion.currency(), 1, amount);
            }
            for (int k = 0; k < n; k++) {
                if (shares[k] == 0) {
                    continue;
                }
                Action touch = stored.get(touches.get(k));
                String fixed = touchTypes.get(touch.type());
                String channel = fixed != null ? fixed : touch.channel();
                add(sums, channel + "|" + conversion.currency(), shares[k], shares[k] * amount);
            }
        }
        Map<String, Credit> credits = new TreeMap<>();
        sums.forEach((k, v) -> credits.put(k, new Credit(v[0], v[1])));
        return credits;
    }

    private static void add(Map<String, double[]> sums, String key, double conversions, double revenue) {
        double[] sum = sums.computeIfAbsent(key, k -> new double[2]);
        sum[0] += conversions;
        sum[1] += revenue;
    }

    /**
     * When each customer reached NEEDS_CONFIRMED: the time of the first action, in stored order, that moved it to
     * that stage or a later one while it was neither won nor lost.
     */
    private static Map<String, Instant> needsConfirmed(List<Action> stored, Map<String, Action> registrations) {
        Map<String, Instant> reached = new LinkedHashMap<>();
        Map<String, String> closed = new LinkedHashMap<>();
        for (Action a : stored) {
            if (a.type().equals("CustomerRegistered")) {
                registrations.putIfAbsent(a.customer(), a);
                continue;
            }
            if (closed.containsKey(a.customer())) {
                continue;
            }
            switch (a.type()) {
                case "DealLost" -> closed.put(a.customer(), "lost");
                case "NeedsConfirmed", "ProposalSent", "TrialRequested", "ContractSigned" -> {
                    reached.putIfAbsent(a.customer(), instant(a.time()));
                    if (a.type().equals("ContractSigned")) {
                        closed.put(a.customer(), "won");
                    }
                }
                default -> { }
            }
        }
        return reached;
    }

    private static Instant instant(String time) {
        return OffsetDateTime.parse(time).toInstant();
    }

    /** Whether an answer equals the oracle's to {@code 1e-9} relative, channel by channel; the differences if not. */
    public static List<String> differences(Map<String, Credit> expected, Map<String, BigDecimal[]> actual) {
        List<String> differences = new ArrayList<>();
        if (!expected.keySet().equals(actual.keySet())) {
            differences.add("channels " + actual.keySet() + " instead of " + expected.keySet());
            return differences;
        }
        expected.forEach((key, credit) -> {
            BigDecimal[] got = actual.get(key);
            if (!close(credit.conversions(), got[0].doubleValue()) || !close(credit.revenue(), got[1].doubleValue())) {
                differences.add(key + ": " + got[0].toPlainString() + " / " + got[1].toPlainString() + " instead of "
                        + credit.conversions() + " / " + credit.revenue());
            }
        });
        return differences;
    }

    private static boolean close(double expected, double actual) {
        return Math.abs(expected - actual) <= 1e-9 * Math.max(Math.abs(expected), Math.abs(actual));
    }
}
