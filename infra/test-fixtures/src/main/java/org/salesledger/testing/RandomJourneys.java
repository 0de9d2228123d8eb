package org.salesledger.testing;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.salesledger.testing.AttributionOracle.Action;

/**
 * Random customer journeys, the same for the same seed, that the command side would accept: registration first,
 * touchpoints, visits, stage signals, contracts in CNY and USD, costs; times that sometimes go back, sometimes
 * repeat exactly (ties broken by stored order) and come with different offsets.
 */
public final class RandomJourneys {

    public static final List<String> REGIONS = List.of("east", "west", "north");
    public static final List<String> TEAMS = List.of("t1", "t2");
    public static final List<String> CHANNELS = List.of("web", "wechat", "exhibition", "referral", "ads");
    public static final List<String> CATEGORIES = List.of("field_labour", "samples", "events_exhibitions", "ads",
            "gifts", "travel");

    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private RandomJourneys() {
    }

    /** The actions of {@code customers} customers, interleaved as a live system would store them. */
    public static List<Action> generate(long seed, int customers, String idPrefix) {
        Random random = new Random(seed);
        List<List<Action>> journeys = new ArrayList<>();
        int ids = 0;
        for (int c = 0; c < customers; c++) {
            String customer = idPrefix + "c-" + c;
            List<Action> journey = new ArrayList<>();
            OffsetDateTime t = OffsetDateTime.of(2025, 1, 1, 8, 0, 0, 0, ZoneOffset.UTC)
                    .plusMinutes(random.nextInt(60 * 24 * 200));
            String team = random.nextInt(4) == 0 ? null : TEAMS.get(random.nextInt(TEAMS.size()));
            journey.add(new Action(idPrefix + "a-" + (++ids), customer, "CustomerRegistered", text(t, random),
                    pick(CHANNELS, random), null, null, pick(REGIONS, random), team, "rep-" + random.nextInt(4),
                    null, null));
            boolean won = false;
            int steps = random.nextInt(13);
            for (int s = 0; s < steps; s++) {
                int move = random.nextInt(10);
                if (move == 0) {
                    t = t.minusMinutes(random.nextInt(60 * 24 * 3));
                } else if (move > 1) {
                    t = t.plusMinutes(random.nextInt(60 * 24 * 20));
                }
                String id = idPrefix + "a-" + (++ids);
                int kind = random.nextInt(100);
                Action action;
                if (kind < 40) {
                    action = new Action(id, customer, "TouchpointRecorded", text(t, random), pick(CHANNELS, random),
                            null, null, null, null, null, null, null);
                } else if (kind < 50) {
                    action = simple(id, customer, "VisitLogged", text(t, random));
                } else if (kind < 58) {
                    action = simple(id, customer, "NeedsConfirmed", text(t, random));
                } else if (kind < 65) {
                    action = simple(id, customer, "ProposalSent", text(t, random));
                } else if (kind < 68) {
                    action = simple(id, customer, "TrialRequested", text(t, random));
                } else if (kind < 85) {
                    BigDecimal amount = BigDecimal.valueOf(100 + random.nextInt(1_000_000), 2);
                    action = new Action(id, customer, "ContractSigned", text(t, random), null, amount,
                            random.nextInt(5) == 0 ? "USD" : "CNY", null, null, null, null, null);
                    won = true;
                } else if (kind < 88 && !won) {
                    action = simple(id, customer, "DealLost", text(t, random));
                } else {
                    List<Action> earlier = journey;
                    String ref = random.nextBoolean() ? earlier.get(random.nextInt(earlier.size())).id() : null;
                    action = new Action(id, customer, "CostIncurred", text(t, random),
                            ref == null ? pick(CHANNELS, random) : null, BigDecimal.valueOf(1 + random.nextInt(50_000), 2),
                            random.nextInt(5) == 0 ? "USD" : "CNY", null, null, null, pick(CATEGORIES, random), ref);
                }
                journey.add(action);
            }
            journeys.add(journey);
        }
        List<Action> stored = new ArrayList<>();
        int[] next = new int[journeys.size()];
        int left = journeys.stream().mapToInt(List::size).sum();
        while (left > 0) {
            int c = random.nextInt(journeys.size());
            if (next[c] < journeys.get(c).size()) {
                stored.add(journeys.get(c).get(next[c]++));
                left--;
            }
        }
        return stored;
    }

    private static Action simple(String id, String customer, String type, String time) {
        return new Action(id, customer, type, time, null, null, null, null, null, null, null, null);
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    private static String text(OffsetDateTime t, Random random) {
        OffsetDateTime local = random.nextInt(3) == 0 ? t.withOffsetSameInstant(ZoneOffset.ofHours(8)) : t;
        return RFC_3339.format(local);
    }
}
