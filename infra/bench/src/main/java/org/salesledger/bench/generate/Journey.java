package org.salesledger.bench.generate;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The actions of one customer, in time order: registration, touches over several channels, visits with GPS and
 * contact roles, and — with drop-off at every step — needs, a proposal, objections, a trial, then a contract (most
 * with lines whose gross margins spread around 30 %, and one to three departments) and payments, or a loss; costs
 * along the way. Reps send messages ({@code MessageSent}) after visits, with proposals and in answer to the
 * customer's signals (objections, observed actions) — often within hours, sometimes days later, sometimes not at
 * all — and customers read some of them ({@code CustomerActionObserved} {@code message_read}), as the health
 * metrics of contract §8 need. Drawn from a random source of its own (the seed and the
 * customer's index), so a customer's journey is the same whatever else is generated. Every line passes the
 * intake (contract §1) and the Customer aggregate's rules: registered first, payments after their contract, never
 * lost after won. Actions past the end of the period are cut off, which leaves every journey a valid prefix.
 */
final class Journey {

    private static final int OFFSET_SECONDS = 8 * 3600;
    private static final String OFFSET = "+08:00";
    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;

    private final SplittableRandom random;
    private final long index;
    private final String subject;
    private final long end;
    private final List<Line> lines = new ArrayList<>();
    private final StringBuilder json = new StringBuilder(768);
    private long time;
    private int seq;

    private final Vocabulary.Region region;
    private final String team;
    private final String rep;
    private final String channel;
    private final String currency;

    private Journey(GeneratorOptions options, long index) {
        this.random = new SplittableRandom(mix(options.seed(), index));
        this.index = index;
        this.subject = options.prefix() + "c-" + index;
        this.end = options.endSecond();
        long span = options.endSecond() - options.startSecond();
        // customers arrive evenly over the period, each somewhere in its own slot
        double slot = (double) span / options.customers();
        this.time = options.startSecond() + (long) ((index + random.nextDouble()) * slot);
        this.region = pickRegion();
        int teamNo = 1 + random.nextInt(Vocabulary.TEAMS_PER_REGION);
        this.team = region.code() + "-t" + teamNo;
        this.rep = "rep-" + region.code() + "-" + teamNo + "-" + (1 + random.nextInt(Vocabulary.REPS_PER_TEAM));
        this.channel = Vocabulary.CHANNELS[weighted(Vocabulary.CHANNEL_WEIGHTS)];
        this.currency = random.nextInt(100) < 80 ? "CNY" : "USD";
    }

    /** The lines of customer {@code index} (0-based) under these options, in time order. */
    static List<Line> of(GeneratorOptions options, long index) {
        Journey journey = new Journey(options, index);
        journey.play();
        return journey.lines;
    }

    private void play() {
        String registration = register();
        if (random.nextInt(100) < 50) {
            cost("acquisition", cents(20_000, 300_000), channel, registration);
        }
        touches(random.nextInt(4));
        visit(false);
        if (chance(40)) {
            pauseHours(2, 60);
            message("tpl-thanks-for-visit", null);
        }
        if (!chance(65)) {
            endOpenOrLost(35, "no_response");
            return;
        }
        pause(1, 10);
        emit("NeedsConfirmed", "/crm/" + rep, rep, "{\"needs\":" + pickList(Vocabulary.NEEDS, 1 + random.nextInt(3)) + "}");
        touches(random.nextInt(3));
        for (int i = random.nextInt(3); i > 0; i--) {
            visit(true);
        }
        if (!chance(70)) {
            endOpenOrLost(40, null);
            return;
        }
        pause(2, 14);
        long quoteCents = quote();
        String proposal = emit("ProposalSent", "/crm/" + rep, rep, proposalData(quoteCents));
        if (chance(50)) {
            pauseHours(4, 72);
            message("tpl-proposal-followup", proposal);
        }
        if (chance(60)) {
            pause(0, 3);
            followUp(emit("CustomerActionObserved", "/tracking/docs", "system",
                    "{\"kind\":\"opened_proposal\",\"refActionId\":\"" + proposal + "\"}"));
        }
        boolean priceObjection = chance(45);
        if (priceObjection) {
            pause(1, 10);
            followUp(emit("ObjectionRaised", "/mobile/" + rep, rep,
                    "{\"objectionType\":\"PRICE\",\"detail\":\"asks for " + (5 + random.nextInt(20)) + "% off\"}"));
        }
        if (chance(20)) {
            pause(1, 10);
            String[] other = {"COMPETITOR", "AFTER_SALES", "REGISTRATION_CERTIFICATE", "OTHER"};
            followUp(emit("ObjectionRaised", "/mobile/" + rep, rep,
                    "{\"objectionType\":\"" + pick(other) + "\"}"));
        }
        boolean trial = chance(50);
        if (trial) {
            pause(3, 20);
            String product = pick(Vocabulary.PRODUCTS).code();
            String trialId = emit("TrialRequested", "/crm/" + rep, rep, "{\"product\":\"" + product + "\"}");
            cost("sample", cents(50_000, 800_000), null, trialId);
            visit(true);
        }
        int winChance = (trial ? 60 : 40) - (priceObjection ? 10 : 0);
        if (!chance(winChance)) {
            endOpenOrLost(60, priceObjection ? "price_too_high" : null);
            return;
        }
        pause(5, 40);
        long signed = contract(1, quoteCents);
        payments(1, signed);
        if (chance(15)) {
            pause(60, 240);
            touches(1);
            long again = contract(2, quote());
            payments(2, again);
        }
    }

    private String register() {
        String city = region.city();
        String name = city + " " + pick(Vocabulary.KINDS) + " " + (1 + index % 997);
        json.setLength(0);
        json.append("{\"name\":\"").append(name)
                .append("\",\"region\":\"").append(region.code())
                .append("\",\"ownerRepId\":\"").append(rep)
                .append("\",\"channel\":\"").append(channel)
                .append("\",\"team\":\"").append(team)
                .append("\",\"territory\":\"").append(city.toLowerCase(java.util.Locale.ROOT))
                .append("\",\"category\":\"").append(pick(Vocabulary.CATEGORIES))
                .append("\",\"company\":\"").append(city).append(" Health Group ").append(1 + index % 89)
                .append("\",\"phone\":\"+86-").append(10 + random.nextInt(90)).append('-')
                .append(10_000_000 + random.nextInt(90_000_000)).append("\"}");
        return emit("CustomerRegistered", "/crm/import", rep, json.toString());
    }

    private void touches(int count) {
        for (int i = 0; i < count; i++) {
            pause(1, 12);
            String touchChannel = pick(Vocabulary.TOUCH_CHANNELS);
            LocalDate day = LocalDateTime.ofEpochSecond(time, 0, ZoneOffset.UTC).toLocalDate();
            String campaign = touchChannel + "-" + day.getYear() + "-q" + (1 + (day.getMonthValue() - 1) / 3);
            String touch = emit("TouchpointRecorded", "/marketing/" + touchChannel, "mkt-ops",
                    "{\"channel\":\"" + touchChannel + "\",\"touchType\":\"" + pick(Vocabulary.TOUCH_TYPES)
                            + "\",\"campaign\":\"" + campaign + "\"}");
            if (chance(30)) {
                cost("marketing", cents(5_000, 120_000), touchChannel, null);
            }
            if (chance(20)) {
                pause(0, 2);
                followUp(emit("CustomerActionObserved", "/tracking/web", "system",
                        "{\"kind\":\"" + pick(Vocabulary.OBSERVED_KINDS) + "\",\"refActionId\":\"" + touch + "\"}"));
            }
        }
    }

    private void visit(boolean followUp) {
        pause(followUp ? 3 : 1, followUp ? 21 : 7);
        json.setLength(0);
        json.append("{\"contactRole\":\"").append(pick(Vocabulary.CONTACT_ROLES)).append("\",\"location\":{\"lat\":");
        fixed(json, Math.round((region.lat() + random.nextGaussian() * 0.15) * 100_000), 5);
        json.append(",\"lon\":");
        fixed(json, Math.round((region.lon() + random.nextGaussian() * 0.15) * 100_000), 5);
        json.append('}');
        if (chance(35)) {
            json.append(",\"objections\":").append(pickList(Vocabulary.VISIT_OBJECTIONS, 1 + random.nextInt(2)));
        }
        if (chance(25)) {
            json.append(",\"photos\":[{\"uri\":\"https://photos.example.com/").append(subject).append('/')
                    .append(seq + 1).append(".jpg\",\"sha256\":\"");
            for (int i = 0; i < 4; i++) {
                String hex = Long.toHexString(random.nextLong());
                json.append("0".repeat(16 - hex.length())).append(hex);
            }
            json.append("\"}]");
        }
        json.append(",\"deviceId\":\"pad-").append(rep).append("\",\"notes\":\"").append(pick(Vocabulary.NOTES))
                .append("\"}");
        String visit = emit("VisitLogged", "/mobile/" + rep, rep, json.toString());
        if (chance(60)) {
            cost("travel", cents(8_000, 90_000), null, visit);
        }
    }

    /** A quote for one to three products, in CNY cents. */
    private long quote() {
        return pick(Vocabulary.PRODUCTS).priceCents() * (1 + random.nextInt(3));
    }

    private String proposalData(long quoteCents) {
        LocalDate decision = LocalDateTime.ofEpochSecond(time + OFFSET_SECONDS, 0, ZoneOffset.UTC).toLocalDate()
                .plusDays(14 + random.nextInt(32));
        json.setLength(0);
        json.append("{\"document\":{\"uri\":\"https://docs.example.com/proposals/").append(subject).append('-')
                .append(seq + 1).append(".pdf\",\"mediaType\":\"application/pdf\"},\"expectedDecisionDate\":\"")
                .append(decision).append("\",\"keyParameters\":").append(pickList(Vocabulary.KEY_PARAMETERS, 3))
                .append(",\"amount\":");
        money(json, inCurrency(quoteCents));
        return json.append('}').toString();
    }

    /**
     * Signs contract number {@code n}; answers its amount in the customer's currency, in cents. Most contracts (85 %)
     * have one to three lines adding up to the amount, their gross margins spread around 30 % (a few lines without
     * one); the others only an amount near the quote. Most (85 %) name one to three departments.
     */
    private long contract(int n, long quoteCents) {
        json.setLength(0);
        json.append("{\"contractId\":\"").append(subject).append("-ct").append(n).append('"');
        long total = chance(85) ? lines(json) : inCurrency(quoteCents * (85 + random.nextInt(16)) / 100);
        if (chance(85)) {
            json.append(",\"departments\":").append(pickList(Vocabulary.DEPARTMENTS, 1 + random.nextInt(3)));
        }
        json.append(",\"amount\":");
        money(json, total);
        json.append('}');
        emit("ContractSigned", "/crm/" + rep, rep, json.toString());
        return total;
    }

    /** Appends {@code ,"lines":[…]} of one to three lines; answers their total in the customer's currency, in cents. */
    private long lines(StringBuilder out) {
        int lineCount = 1 + random.nextInt(3);
        long total = 0;
        out.append(",\"lines\":[");
        for (int i = 0; i < lineCount; i++) {
            Vocabulary.Product product = i == 0 ? pick(Vocabulary.PRODUCTS) : Vocabulary.PRODUCTS[3 + random.nextInt(3)];
            int quantity = i == 0 ? 1 + random.nextInt(2) : 1 + random.nextInt(20);
            long unit = inCurrency(product.priceCents() * (85 + random.nextInt(16)) / 100);
            total += unit * quantity;
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"product\":\"").append(product.code()).append("\",\"quantity\":").append(quantity)
                    .append(",\"unitPrice\":\"");
            fixed(out, unit, 2);
            out.append('"');
            if (!chance(5)) {
                // per mille, around 30 % (sd 9 %), within 3 % and 65 %
                long margin = Math.round(300 + random.nextGaussian() * 90);
                out.append(",\"grossMarginPct\":");
                fixed(out, Math.max(30, Math.min(650, margin)), 1);
            }
            out.append('}');
        }
        out.append(']');
        return total;
    }

    /**
     * The rep's answer to a customer's signal (an objection, an observed action): a message within hours in most
     * cases (55 %, from 1 to 60 hours: some later than the 48 hours of contract §8), else nothing until the next step.
     */
    private void followUp(String signal) {
        if (chance(55)) {
            pauseHours(1, 60);
            message(null, signal);
        }
    }

    /** A message from the rep (template and reference optional); the customer reads it in 55 % of cases. */
    private void message(String template, String refActionId) {
        String messageChannel = Vocabulary.MESSAGE_CHANNELS[weighted(Vocabulary.MESSAGE_CHANNEL_WEIGHTS)];
        json.setLength(0);
        json.append("{\"channel\":\"").append(messageChannel).append('"');
        if (template != null || chance(30)) {
            json.append(",\"templateId\":\"").append(template != null ? template : pick(Vocabulary.MESSAGE_TEMPLATES))
                    .append('"');
        }
        if (refActionId != null) {
            json.append(",\"refActionId\":\"").append(refActionId).append('"');
        }
        json.append(",\"summary\":\"").append(pick(Vocabulary.MESSAGE_SUMMARIES)).append("\"}");
        String message = emit("MessageSent", "/messaging/" + messageChannel, rep, json.toString());
        if (chance(55)) {
            pauseHours(0, 30);
            emit("CustomerActionObserved", "/messaging/" + messageChannel, "system",
                    "{\"kind\":\"message_read\",\"refActionId\":\"" + message + "\"}");
        }
    }

    /** One to three instalments that add up to the contract's amount. */
    private void payments(int contract, long amountCents) {
        int instalments = 1 + random.nextInt(3);
        long left = amountCents;
        for (int i = instalments; i > 0 && left > 0; i--) {
            pause(i == instalments ? 7 : 30, i == instalments ? 45 : 90);
            long part = i == 1 ? left : left / i;
            left -= part;
            json.setLength(0);
            json.append("{\"contractId\":\"").append(subject).append("-ct").append(contract).append("\",\"amount\":");
            money(json, part);
            emit("PaymentReceived", "/finance/erp", "finance", json.append('}').toString());
        }
    }

    /** A journey that stops here: lost with {@code lostPercent}% chance (for the given or a drawn reason), else open. */
    private void endOpenOrLost(int lostPercent, String reason) {
        if (chance(lostPercent)) {
            pause(5, 30);
            emit("DealLost", "/crm/" + rep, rep,
                    "{\"reason\":\"" + (reason != null ? reason : pick(Vocabulary.LOSS_REASONS)) + "\"}");
        } else if (chance(50)) {
            touches(1);
        }
    }

    private void cost(String category, long cnyCents, String costChannel, String refActionId) {
        json.setLength(0);
        json.append("{\"category\":\"").append(category).append("\",\"amount\":");
        money(json, cnyCents, "CNY");
        if (costChannel != null) {
            json.append(",\"channel\":\"").append(costChannel).append('"');
        }
        if (refActionId != null) {
            json.append(",\"refActionId\":\"").append(refActionId).append('"');
        }
        pause(0, 1);
        emit("CostIncurred", "/finance/expenses", rep, json.append('}').toString());
    }

    /** Appends a line unless the period is over; answers the action's id. */
    private String emit(String type, String source, String actor, String data) {
        seq++;
        String id = subject + "-" + seq;
        if (time >= end) {
            return id;
        }
        StringBuilder line = new StringBuilder(160 + data.length());
        line.append("{\"specversion\":\"1.0\",\"id\":\"").append(id)
                .append("\",\"source\":\"").append(source)
                .append("\",\"type\":\"").append(type)
                .append("\",\"subject\":\"").append(subject)
                .append("\",\"time\":\"");
        rfc3339(line, time);
        line.append("\",\"actor\":\"").append(actor)
                .append("\",\"data\":").append(data).append('}');
        lines.add(new Line(time, index, seq, line.toString()));
        time += 60 + random.nextInt(600);
        return id;
    }

    /** Moves the clock on by {@code minHours} to {@code maxHours} hours (and up to one more). */
    private void pauseHours(int minHours, int maxHours) {
        time += (minHours + random.nextInt(maxHours - minHours + 1)) * HOUR + random.nextInt(3600);
    }

    /** Moves the clock on by {@code minDays} to {@code maxDays} days, to a working hour. */
    private void pause(int minDays, int maxDays) {
        long days = minDays + random.nextInt(maxDays - minDays + 1);
        time += days * DAY + random.nextInt(8) * HOUR + random.nextInt(3600);
    }

    private static void rfc3339(StringBuilder out, long utcSecond) {
        LocalDateTime local = LocalDateTime.ofEpochSecond(utcSecond + OFFSET_SECONDS, 0, ZoneOffset.UTC);
        out.append(local.getYear()).append('-');
        two(out, local.getMonthValue()).append('-');
        two(out, local.getDayOfMonth()).append('T');
        two(out, local.getHour()).append(':');
        two(out, local.getMinute()).append(':');
        two(out, local.getSecond()).append(OFFSET);
    }

    private static StringBuilder two(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** Writes {@code scaled / 10^decimals} as a plain decimal. */
    private static void fixed(StringBuilder out, long scaled, int decimals) {
        if (scaled < 0) {
            out.append('-');
            scaled = -scaled;
        }
        long pow = 1;
        for (int i = 0; i < decimals; i++) {
            pow *= 10;
        }
        out.append(scaled / pow).append('.');
        String fraction = Long.toString(scaled % pow);
        out.append("0".repeat(decimals - fraction.length())).append(fraction);
    }

    private void money(StringBuilder out, long cents) {
        money(out, cents, currency);
    }

    private static void money(StringBuilder out, long cents, String currency) {
        out.append("{\"value\":\"");
        fixed(out, cents, 2);
        out.append("\",\"currency\":\"").append(currency).append("\"}");
    }

    private long inCurrency(long cnyCents) {
        return "USD".equals(currency) ? Vocabulary.usdCents(cnyCents) : cnyCents;
    }

    private long cents(long min, long max) {
        return min + random.nextLong(max - min);
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    /** {@code count} distinct values as a JSON list of strings. */
    private String pickList(String[] values, int count) {
        int first = random.nextInt(values.length);
        StringBuilder list = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                list.append(',');
            }
            list.append('"').append(values[(first + i) % values.length]).append('"');
        }
        return list.append(']').toString();
    }

    private int weighted(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int roll = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private Vocabulary.Region pickRegion() {
        int[] weights = new int[Vocabulary.REGIONS.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Vocabulary.REGIONS[i].weight();
        }
        return Vocabulary.REGIONS[weighted(weights)];
    }

    /** A well-spread 64-bit seed for customer {@code index} (SplitMix64's finaliser). */
    private static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
