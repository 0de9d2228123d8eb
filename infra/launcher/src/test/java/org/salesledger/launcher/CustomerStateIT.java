package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.RuleDeadlines;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;

/**
 * The bitemporal customer state and its changes (contract §9) against the whole system.
 *
 * <p>A hand-worked journey, {@code s1}: registered for rep-a through the channel {@code pool} an hour ago, needs
 * confirmed, a proposal, a price objection (the TAG rule {@code price} tags it {@code price-sensitive}; the CLASSIFY
 * rule makes it class {@code B} for its channel), released to the public pool by the POOL rule (its owner silent for
 * 30 minutes), claimed by rep-b, given back to rep-a by the admin, snoozed, a contract signed (class {@code A}) and,
 * stored last but dated before everything the rules did, its payment: the state as of an hour ago differs with what
 * was known when.
 *
 * <p>Then random journeys, whose states and changes at many instants are checked against a replay written here, from
 * the contract's rules, over the actions the timeline shows.
 */
class CustomerStateIT {

    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    @TempDir
    static Path dataDir;

    static TestPostgres.TestDatabase db;
    static EmbeddedSystem system;
    static final Map<String, String> TOKENS = new LinkedHashMap<>();
    /** An hour ago, to the second: the hand-worked journey's client actions are timed from it. */
    static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.newDatabase();
        system = EmbeddedSystem.start(TestSystems.settings(db, dataDir));
        TOKENS.put("admin", TestSystems.signIn(system));
        user("sup-1", "{\"name\":\"Sup 1\",\"roles\":[\"supervisor\"],\"region\":\"east\"}");
        user("rep-a", "{\"name\":\"Rep A\",\"roles\":[\"rep\"],\"region\":\"east\",\"supervisorId\":\"sup-1\"}");
        user("rep-b", "{\"name\":\"Rep B\",\"roles\":[\"rep\"],\"region\":\"east\",\"supervisorId\":\"sup-1\"}");
        user("aud", "{\"name\":\"Auditor\",\"roles\":[\"auditor\"]}");
        user("ana", "{\"name\":\"Analyst\",\"roles\":[\"analyst\"]}");
        TestHttp.useToken(TOKENS.get("admin"));

        publish("price", """
                {"kind": "TAG", "tag": "price-sensitive",
                 "when": "events.exists(e, e.type == 'ObjectionRaised' && e.data.objectionType == 'PRICE')"}""");
        publish("classes", """
                {"kind": "CLASSIFY", "classes": [
                  {"class": "A", "when": "events.exists(e, e.type == 'ContractSigned')"},
                  {"class": "B", "when": "customer.channel == 'pool'"}]}""");
        publish("pool", """
                {"kind": "POOL", "after": "PT30M", "when": "customer.channel == 'pool'"}""");
        RuleDeadlines.awaitSwept(db);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    // ---- the hand-worked journey ----

    @Test
    void aCustomersStateAtEachInstantAsKnownAtEachTime() throws Exception {
        String c = "s1";
        send(c, "1", "CustomerRegistered", 0, "{\"name\":\"S One\",\"region\":\"east\",\"ownerRepId\":\"rep-a\","
                + "\"channel\":\"pool\",\"team\":\"t1\"}");
        send(c, "2", "NeedsConfirmed", 60, "{\"needs\":[\"CT\"]}");
        send(c, "3", "ProposalSent", 120, PROPOSAL);
        send(c, "4", "ObjectionRaised", 180, "{\"objectionType\":\"PRICE\"}");
        eventually(query("/api/v1/customers/s1/timeline"), r -> r.status() == 200
                && entry(r.json(), "CustomerReleasedToPool") != null && entry(r.json(), "CustomerTagged") != null);

        Response claimed = TestHttp.sendAs(TOKENS.get("rep-b"), "POST", command("/api/v1/pool/s1/claim"), null);
        assertThat(claimed.status()).as(claimed.toString()).isEqualTo(200);
        Response back = TestHttp.send("POST", command("/api/v1/customers/s1/reassign"),
                "{\"toRepId\":\"rep-a\",\"reason\":\"rep-b is on leave\"}");
        assertThat(back.status()).as(back.toString()).isEqualTo(200);
        send(c, "5", "CustomerSnoozed", 200, "{\"until\":\"2031-01-01\",\"reason\":\"budget next year\"}");
        send(c, "6", "ContractSigned", 240, "{\"contractId\":\"K-1\",\"amount\":{\"value\":\"1000.50\","
                + "\"currency\":\"CNY\"}}");
        JsonNode beforePayment = eventually(query("/api/v1/customers/s1/timeline"), r -> r.status() == 200
                && classified(r.json(), "A") != null).json();
        String contractRecordedAt = byId(beforePayment, "s1-6").get("recordedAt").asText();
        send(c, "7", "PaymentReceived", 300, "{\"contractId\":\"K-1\",\"amount\":{\"value\":\"1000.50\","
                + "\"currency\":\"CNY\"}}");
        JsonNode timeline = eventually(query("/api/v1/customers/s1/timeline"), r -> r.status() == 200
                && byId(r.json(), "s1-7") != null).json();
        String classB = classified(timeline, "B").get("id").asText();
        String classA = classified(timeline, "A").get("id").asText();
        String tagged = entry(timeline, "CustomerTagged").get("id").asText();
        String released = entry(timeline, "CustomerReleasedToPool").get("id").asText();
        List<JsonNode> reassigned = entries(timeline, "CustomerReassigned");
        assertThat(reassigned).hasSize(2);
        String claim = reassigned.get(0).get("id").asText();
        String giveBack = reassigned.get(1).get("id").asText();

        // 150 s in: registered (and classified B on it, at its time), needs, proposal
        JsonNode early = state(c, time(150), null, "aud");
        assertThat(early.get("customerId").asText()).isEqualTo("s1");
        assertThat(early.get("asOf").asText()).isEqualTo(OffsetDateTime.parse(time(150)).format(
                DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        assertThat(early.get("stage").asText()).isEqualTo("PROPOSAL_SENT");
        assertThat(early.get("ownerRepId").asText()).isEqualTo("rep-a");
        assertThat(early.get("region").asText()).isEqualTo("east");
        assertThat(early.get("team").asText()).isEqualTo("t1");
        assertThat(early.get("channel").asText()).isEqualTo("pool");
        assertThat(early.get("class").asText()).isEqualTo("B");
        assertThat(early.get("tags")).isEmpty();
        assertThat(early.get("inPool").asBoolean()).isFalse();
        assertThat(early.get("snoozedUntil").isNull()).isTrue();
        assertThat(early.get("lastActionAt").asText()).isEqualTo(time(120));
        assertThat(early.get("lastActionType").asText()).isEqualTo("ProposalSent");
        assertThat(early.get("contracts")).isEmpty();
        assertThat(early.get("actionsApplied").asInt()).isEqualTo(4);
        assertThat(early.get("lastActionId").asText()).isEqualTo("s1-3");

        // 310 s in, as known when the contract was stored: signed, unpaid, the classification it caused not yet
        // stored; the pool's release (30 minutes after the owner's last action at the earliest) not yet happened
        JsonNode unpaid = state(c, time(310), contractRecordedAt, "admin");
        assertThat(unpaid.get("knownAt").asText()).isEqualTo(OffsetDateTime.parse(contractRecordedAt).format(
                DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        assertThat(unpaid.get("stage").asText()).isEqualTo("CONTRACT_SIGNED");
        assertThat(unpaid.get("ownerRepId").asText()).isEqualTo("rep-a");
        assertThat(unpaid.get("inPool").asBoolean()).isFalse();
        assertThat(unpaid.get("class").asText()).isEqualTo("B");
        assertThat(texts(unpaid.get("tags"))).containsExactly("price-sensitive");
        assertThat(unpaid.get("snoozedUntil").asText()).isEqualTo("2031-01-01");
        assertThat(unpaid.get("lastActionAt").asText()).isEqualTo(time(240));
        assertThat(unpaid.get("lastActionType").asText()).isEqualTo("ContractSigned");
        assertThat(contracts(unpaid)).containsExactly("K-1 1000.5 CNY unpaid");
        assertThat(unpaid.get("actionsApplied").asInt()).isEqualTo(8);
        assertThat(unpaid.get("lastActionId").asText()).isEqualTo("s1-6");

        // the same instant as known now: class A, and the back-dated payment counts
        JsonNode paid = state(c, time(310), null, "aud");
        assertThat(paid.get("class").asText()).isEqualTo("A");
        assertThat(contracts(paid)).containsExactly("K-1 1000.5 CNY paid");
        assertThat(paid.get("lastActionAt").asText()).isEqualTo(time(300));
        assertThat(paid.get("lastActionType").asText()).isEqualTo("PaymentReceived");
        assertThat(paid.get("actionsApplied").asInt()).isEqualTo(10);
        assertThat(paid.get("lastActionId").asText()).isEqualTo("s1-7");

        // at 25 minutes, known now: the same as at 310 s (nothing happened in between)
        assertThat(view(state(c, time(25 * 60), null, "aud"))).isEqualTo(view(paid));

        // now: released, claimed by rep-b, given back to rep-a
        JsonNode now = state(c, null, null, "aud");
        assertThat(now.get("stage").asText()).isEqualTo("CONTRACT_SIGNED");
        assertThat(now.get("ownerRepId").asText()).isEqualTo("rep-a");
        assertThat(now.get("inPool").asBoolean()).isFalse();
        assertThat(now.get("class").asText()).isEqualTo("A");
        assertThat(texts(now.get("tags"))).containsExactly("price-sensitive");
        assertThat(contracts(now)).containsExactly("K-1 1000.5 CNY paid");
        assertThat(now.get("lastActionAt").asText()).as("the pool's moves are no interactions").isEqualTo(time(300));
        assertThat(now.get("actionsApplied").asInt()).isEqualTo(13);
        assertThat(timeline.get("events")).hasSize(13);
        assertThat(now.get("lastActionId").asText()).isEqualTo(giveBack);

        // what each action changed, by time, ties by stored order
        JsonNode changes = TestHttp.get(query("/api/v1/customers/s1/changes"), TOKENS.get("aud")).json();
        List<String> order = new ArrayList<>();
        changes.forEach(a -> order.add(a.get("actionId").asText()));
        assertThat(order).containsExactly("s1-1", classB, "s1-2", "s1-3", "s1-4", tagged, "s1-5", "s1-6", classA,
                "s1-7", released, claim, giveBack);
        assertThat(changed(changes, "s1-1")).containsExactly("stage null->FIRST_CONTACT",
                "ownerRepId null->rep-a", "region null->east", "team null->t1", "channel null->pool",
                "lastActionAt null->" + time(0), "lastActionType null->CustomerRegistered");
        assertThat(changed(changes, classB)).containsExactly("class null->B");
        assertThat(changed(changes, "s1-4")).containsExactly("stage PROPOSAL_SENT->PRICE_OBJECTION",
                "lastActionAt " + time(120) + "->" + time(180), "lastActionType ProposalSent->ObjectionRaised");
        assertThat(changed(changes, tagged)).containsExactly("tags []->[price-sensitive]");
        assertThat(changed(changes, "s1-5")).containsExactly("snoozedUntil null->2031-01-01");
        assertThat(changed(changes, "s1-6")).containsExactly("stage PRICE_OBJECTION->CONTRACT_SIGNED",
                "lastActionAt " + time(180) + "->" + time(240), "lastActionType ObjectionRaised->ContractSigned",
                "contracts[K-1] null->K-1 1000.5 CNY unpaid");
        assertThat(changed(changes, classA)).containsExactly("class B->A");
        assertThat(changed(changes, "s1-7")).containsExactly("lastActionAt " + time(240) + "->" + time(300),
                "lastActionType ContractSigned->PaymentReceived",
                "contracts[K-1] K-1 1000.5 CNY unpaid->K-1 1000.5 CNY paid");
        assertThat(changed(changes, released)).containsExactly("ownerRepId rep-a->null", "inPool false->true");
        assertThat(changed(changes, claim)).containsExactly("ownerRepId null->rep-b", "inPool true->false");
        assertThat(changed(changes, giveBack)).containsExactly("ownerRepId rep-b->rep-a");
        JsonNode payment = changes.get(9);
        assertThat(payment.get("time").asText()).isEqualTo(time(300));
        assertThat(OffsetDateTime.parse(payment.get("recordedAt").asText()).toInstant())
                .isEqualTo(OffsetDateTime.parse(byId(timeline, "s1-7").get("recordedAt").asText()).toInstant());
    }

    @Test
    void callersOutsideTheCustomersScopeAreAnsweredAsIfItDidNotExist() throws Exception {
        send("x1", "1", "CustomerRegistered", 0, "{\"name\":\"X One\",\"region\":\"east\",\"ownerRepId\":\"rep-a\","
                + "\"channel\":\"web\"}");
        eventually(query("/api/v1/customers/x1/timeline"), r -> r.status() == 200);

        assertThat(TestHttp.get(query("/api/v1/customers/x1/state"), TOKENS.get("rep-a")).status()).isEqualTo(200);
        assertThat(TestHttp.get(query("/api/v1/customers/x1/state"), TOKENS.get("rep-b")).status()).isEqualTo(404);
        assertThat(TestHttp.get(query("/api/v1/customers/x1/changes"), TOKENS.get("rep-b")).status()).isEqualTo(404);
        assertThat(TestHttp.get(query("/api/v1/customers/x1/state"), TOKENS.get("ana")).status()).isEqualTo(403);
        assertThat(TestHttp.get(query("/api/v1/customers/x1/changes"), TOKENS.get("ana")).status()).isEqualTo(403);
        assertThat(TestHttp.get(query("/api/v1/customers/x1/state"), TOKENS.get("aud")).status()).isEqualTo(200);
        assertThat(TestHttp.get(query("/api/v1/customers/nobody/state"), TOKENS.get("aud")).status()).isEqualTo(404);

        Response badAsOf = TestHttp.get(query("/api/v1/customers/x1/state?asOf=yesterday"), TOKENS.get("aud"));
        assertThat(badAsOf.status()).isEqualTo(400);
        assertThat(badAsOf.body()).contains("asOf").contains("yesterday");
        Response badKnownAt = TestHttp.get(query("/api/v1/customers/x1/state?asOf=" + enc(time(0))
                + "&knownAt=2025-13-01"), TOKENS.get("aud"));
        assertThat(badKnownAt.status()).isEqualTo(400);
        assertThat(badKnownAt.body()).contains("knownAt").contains("2025-13-01");
    }

    // ---- random journeys against a replay written here ----

    private static final List<String> REPS = List.of("rep-a", "rep-b");

    @Test
    void randomJourneysFoldAsAnIndependentReplayOfTheirActions() throws Exception {
        Random random = new Random(19);
        int customers = 5;
        for (int n = 0; n < customers; n++) {
            String c = "r" + n;
            Instant t = T0.minus(Duration.ofDays(random.nextInt(30)));
            post(envelope(c + "-0", "CustomerRegistered", c, t, "{\"name\":\"" + c + "\",\"region\":\"east\","
                    + "\"ownerRepId\":\"" + REPS.get(random.nextInt(2)) + "\",\"channel\":\""
                    + (random.nextBoolean() ? "web" : "wechat") + "\""
                    + (random.nextBoolean() ? ",\"team\":\"t1\"" : "")
                    + "}"));
            List<String> signed = new ArrayList<>();
            int steps = 8 + random.nextInt(12);
            for (int s = 1; s <= steps; s++) {
                int move = random.nextInt(10);
                if (move == 0) {
                    t = t.minus(Duration.ofHours(random.nextInt(72))); // back-dated
                } else if (move > 1) {
                    t = t.plus(Duration.ofHours(random.nextInt(48)));
                } // else: the same time as the previous action, a tie broken by stored order
                String id = c + "-" + s;
                int kind = random.nextInt(100);
                if (kind < 10) {
                    post(envelope(id, "VisitLogged", c, t, "{\"contactRole\":\"buyer\",\"location\":{\"lat\":31.2,"
                            + "\"lon\":121.5}}"));
                } else if (kind < 20) {
                    post(envelope(id, "NeedsConfirmed", c, t, "{}"));
                } else if (kind < 28) {
                    post(envelope(id, "ProposalSent", c, t, PROPOSAL));
                } else if (kind < 40) {
                    post(envelope(id, "ObjectionRaised", c, t, "{\"objectionType\":\""
                            + (random.nextBoolean() ? "PRICE" : "COMPETITOR") + "\"}"));
                } else if (kind < 45) {
                    post(envelope(id, "TrialRequested", c, t, "{}"));
                } else if (kind < 55) {
                    String contract = "K-" + c + "-" + s;
                    signed.add(contract);
                    post(envelope(id, "ContractSigned", c, t, "{\"contractId\":\"" + contract + "\",\"amount\":"
                            + "{\"value\":\"" + (100 + random.nextInt(10_000)) + "\",\"currency\":\""
                            + (random.nextBoolean() ? "CNY" : "USD") + "\"}}"));
                } else if (kind < 65 && !signed.isEmpty()) {
                    post(envelope(id, "PaymentReceived", c, t, "{\"contractId\":\""
                            + signed.get(random.nextInt(signed.size())) + "\",\"amount\":{\"value\":\"10\","
                            + "\"currency\":\"CNY\"}}"));
                } else if (kind < 68) {
                    post(envelope(id, "DealLost", c, t, "{\"reason\":\"budget\"}")); // refused once won: fine
                } else if (kind < 76) {
                    post(envelope(id, "CustomerSnoozed", c, t, "{\"until\":\"" + LocalDate.of(2027, 1, 1)
                            .plusDays(random.nextInt(100)) + "\",\"reason\":\"later\"}"));
                } else if (kind < 86) {
                    TestHttp.send("POST", command("/api/v1/customers/" + c + "/reassign"),
                            "{\"toRepId\":\"" + REPS.get(random.nextInt(2)) + "\"}"); // same owner refused: fine
                } else {
                    post(envelope(id, "TouchpointRecorded", c, t, "{\"channel\":\"web\"}"));
                }
            }
            // the rules have had their say on the last action
            post(envelope(c + "-end", "VisitLogged", c, t, "{\"contactRole\":\"buyer\",\"location\":{\"lat\":1,"
                    + "\"lon\":2}}"));
        }
        for (int n = 0; n < customers; n++) {
            String c = "r" + n;
            eventually(query("/api/v1/customers/" + c + "/timeline"),
                    r -> r.status() == 200 && byId(r.json(), c + "-end") != null);
        }
        for (int n = 0; n < customers; n++) {
            settled("r" + n);
        }
        int compared = 0;
        int knownAtMattered = 0;
        int paidSeen = 0;
        int outOfStoredOrder = 0;
        int ownersChanged = 0;
        for (int n = 0; n < customers; n++) {
            String c = "r" + n;
            List<Stored> actions = stored(TestHttp.get(query("/api/v1/customers/" + c + "/timeline")).json());
            String knownNow = actions.stream().map(Stored::recordedAt).max(Comparator.naturalOrder()).orElseThrow()
                    .toString();
            // asOf: every action's time as sent (the boundary is inclusive), and far ahead; knownAt: every storing
            List<String> asOfs = new ArrayList<>();
            actions.forEach(a -> asOfs.add(a.time()));
            asOfs.add("2100-01-01T00:00:00Z");
            List<String> knownAts = new ArrayList<>();
            actions.forEach(a -> knownAts.add(a.recordedAtText()));
            for (int q = 0; q < 12; q++) {
                // the first as known now; the second at the end of time as known half way through the storing
                String asOf = q == 1 ? "2100-01-01T00:00:00Z" : asOfs.get(random.nextInt(asOfs.size()));
                String knownAt = q == 0 ? knownNow
                        : q == 1 ? knownAts.get(knownAts.size() / 2) : knownAts.get(random.nextInt(knownAts.size()));
                Replay replay = Replay.of(actions, OffsetDateTime.parse(asOf).toInstant(),
                        OffsetDateTime.parse(knownAt).toInstant());
                JsonNode state = state(c, asOf, knownAt, "aud");
                assertThat(view(state)).as("%s asOf %s knownAt %s", c, asOf, knownAt).isEqualTo(replay.view());
                compared++;
                if (replay.applied != Replay.of(actions, OffsetDateTime.parse(asOf).toInstant(), Instant.MAX).applied) {
                    knownAtMattered++;
                }
            }
            Replay last = Replay.of(actions, Instant.MAX, Instant.MAX);
            paidSeen += last.paid.stream().filter(last.contracts::containsKey).count() > 0 ? 1 : 0;
            List<Stored> byTime = Replay.applicable(actions, Instant.MAX, Instant.MAX);
            outOfStoredOrder += byTime.equals(actions) ? 0 : 1;
            ownersChanged += (int) actions.stream().filter(a -> a.type().equals("CustomerReassigned")).count();
            JsonNode changes = TestHttp.get(query("/api/v1/customers/" + c + "/changes"), TOKENS.get("aud")).json();
            assertThat(changeLines(changes)).as("changes of %s", c)
                    .isEqualTo(Replay.changes(actions, Instant.MAX, Instant.MAX));
        }
        assertThat(compared).isEqualTo(12 * customers);
        // the journeys exercised what they are for
        assertThat(knownAtMattered).as("states where knownAt left out an action with time <= asOf").isPositive();
        assertThat(paidSeen).as("customers with a paid contract").isPositive();
        assertThat(outOfStoredOrder).as("customers whose time order is not their stored order").isPositive();
        assertThat(ownersChanged).as("reassignments").isPositive();
    }

    /** An action as the timeline shows it, with its position in stored order. */
    record Stored(int order, String id, String type, String time, Instant occurredAt, Instant recordedAt,
                  String recordedAtText, JsonNode data) {
    }

    private static List<Stored> stored(JsonNode timeline) {
        List<Stored> list = new ArrayList<>();
        int i = 0;
        for (JsonNode e : timeline.get("events")) {
            list.add(new Stored(i++, e.get("id").asText(), e.get("type").asText(), e.get("time").asText(),
                    OffsetDateTime.parse(e.get("time").asText()).toInstant(),
                    OffsetDateTime.parse(e.get("recordedAt").asText()).toInstant(), e.get("recordedAt").asText(),
                    e.get("data")));
        }
        return list;
    }

    /**
     * The replay this test holds the system to, written from contract §2 and the rules of docs/customer-state.md:
     * the actions with time ≤ asOf stored by knownAt, by time then stored order.
     */
    static final class Replay {
        private static final List<String> ORDER = List.of("FIRST_CONTACT", "NEEDS_CONFIRMED", "PROPOSAL_SENT",
                "PRICE_OBJECTION", "TRIAL_REQUESTED", "CONTRACT_SIGNED");

        String stage;
        String owner;
        String region;
        String team;
        String channel;
        String customerClass;
        final Map<String, String> tags = new LinkedHashMap<>();
        boolean inPool;
        String snoozedUntil;
        String lastActionAt;
        String lastActionType;
        final Map<String, String> contracts = new LinkedHashMap<>();
        final Set<String> paid = new HashSet<>();
        int applied;
        String lastActionId;

        static List<Stored> applicable(List<Stored> actions, Instant asOf, Instant knownAt) {
            return actions.stream().filter(a -> !a.occurredAt().isAfter(asOf) && !a.recordedAt().isAfter(knownAt))
                    .sorted(Comparator.comparing(Stored::occurredAt).thenComparing(Stored::order)).toList();
        }

        static Replay of(List<Stored> actions, Instant asOf, Instant knownAt) {
            Replay r = new Replay();
            applicable(actions, asOf, knownAt).forEach(r::apply);
            return r;
        }

        static List<String> changes(List<Stored> actions, Instant asOf, Instant knownAt) {
            Replay r = new Replay();
            List<String> lines = new ArrayList<>();
            for (Stored a : applicable(actions, asOf, knownAt)) {
                Map<String, String> before = r.fields();
                r.apply(a);
                Map<String, String> after = r.fields();
                List<String> changed = new ArrayList<>();
                after.forEach((k, v) -> {
                    if (!Objects.equals(before.get(k), v)) {
                        changed.add(k + " " + before.get(k) + "->" + v);
                    }
                });
                lines.add(a.id() + ": " + String.join("; ", changed));
            }
            return lines;
        }

        void apply(Stored a) {
            JsonNode d = a.data();
            switch (a.type()) {
                case "CustomerRegistered" -> {
                    if (stage == null) {
                        stage = "FIRST_CONTACT";
                    }
                    region = text(d, "region");
                    team = text(d, "team");
                    channel = text(d, "channel");
                    owner = text(d, "ownerRepId");
                }
                case "NeedsConfirmed" -> advance("NEEDS_CONFIRMED");
                case "ProposalSent" -> advance("PROPOSAL_SENT");
                case "ObjectionRaised" -> {
                    if ("PRICE".equals(text(d, "objectionType")) && stage != null
                            && ORDER.indexOf(stage) >= ORDER.indexOf("PROPOSAL_SENT")) {
                        advance("PRICE_OBJECTION");
                    }
                }
                case "TrialRequested" -> advance("TRIAL_REQUESTED");
                case "ContractSigned" -> {
                    advance("CONTRACT_SIGNED");
                    contracts.putIfAbsent(text(d, "contractId"), new BigDecimal(d.get("amount").get("value").asText())
                            .stripTrailingZeros().toPlainString() + " " + text(d.get("amount"), "currency"));
                }
                case "PaymentReceived" -> paid.add(text(d, "contractId"));
                case "DealLost" -> {
                    if (stage != null && !stage.equals("CONTRACT_SIGNED") && !stage.equals("LOST")) {
                        stage = "LOST";
                    }
                }
                case "CustomerSnoozed" -> snoozedUntil = text(d, "until");
                case "CustomerReassigned" -> {
                    if (text(d, "toRepId") != null) {
                        owner = text(d, "toRepId");
                    }
                    inPool = false;
                }
                case "CustomerReleasedToPool" -> inPool = true;
                case "CustomerClassified" -> customerClass = text(d, "class");
                case "CustomerTagged" -> tags.put(text(d, "ruleId"), text(d, "tag"));
                case "CustomerUntagged" -> tags.remove(text(d, "ruleId"), text(d, "tag"));
                default -> {
                }
            }
            boolean ruleMade = Set.of("CustomerTagged", "CustomerUntagged", "CustomerClassified", "EscalationRaised",
                    "FollowUpDue", "CustomerReleasedToPool", "CollectionDue", "TalkTracksSuggested",
                    "TalkTrackIgnored", "PoolReleaseReminded").contains(a.type());
            if (!ruleMade && !a.type().equals("CustomerSnoozed") && !a.type().equals("CustomerReassigned")) {
                lastActionAt = a.time();
                lastActionType = a.type();
            }
            applied++;
            lastActionId = a.id();
        }

        private void advance(String to) {
            if (stage == null || stage.equals("CONTRACT_SIGNED") || stage.equals("LOST")) {
                return;
            }
            if (ORDER.indexOf(to) > ORDER.indexOf(stage)) {
                stage = to;
            }
        }

        Map<String, String> fields() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("stage", stage);
            f.put("ownerRepId", inPool ? null : owner);
            f.put("region", region);
            f.put("team", team);
            f.put("channel", channel);
            f.put("class", customerClass);
            f.put("tags", new TreeSet<>(tags.values()).toString());
            f.put("inPool", Boolean.toString(inPool));
            f.put("snoozedUntil", snoozedUntil);
            f.put("lastActionAt", lastActionAt);
            f.put("lastActionType", lastActionType);
            contracts.forEach((id, amount) -> f.put("contracts[" + id + "]",
                    id + " " + amount + " " + (paid.contains(id) ? "paid" : "unpaid")));
            return f;
        }

        Map<String, String> view() {
            Map<String, String> v = fields();
            v.put("actionsApplied", Integer.toString(applied));
            v.put("lastActionId", lastActionId);
            return v;
        }
    }

    /** The system's state in the replay's terms. */
    private static Map<String, String> view(JsonNode s) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String f : List.of("stage", "ownerRepId", "region", "team", "channel", "class")) {
            v.put(f, s.get(f).isNull() ? null : s.get(f).asText());
        }
        v.put("tags", texts(s.get("tags")).toString());
        v.put("inPool", Boolean.toString(s.get("inPool").asBoolean()));
        for (String f : List.of("snoozedUntil", "lastActionAt", "lastActionType")) {
            v.put(f, s.get(f).isNull() ? null : s.get(f).asText());
        }
        for (JsonNode c : s.get("contracts")) {
            v.put("contracts[" + c.get("contractId").asText() + "]", contract(c));
        }
        v.put("actionsApplied", Integer.toString(s.get("actionsApplied").asInt()));
        v.put("lastActionId", s.get("lastActionId").isNull() ? null : s.get("lastActionId").asText());
        return v;
    }

    private static List<String> changeLines(JsonNode changes) {
        List<String> lines = new ArrayList<>();
        for (JsonNode action : changes) {
            lines.add(action.get("actionId").asText() + ": " + String.join("; ", changed(action)));
        }
        return lines;
    }

    private static List<String> changed(JsonNode changes, String actionId) {
        for (JsonNode action : changes) {
            if (action.get("actionId").asText().equals(actionId)) {
                return changed(action);
            }
        }
        throw new AssertionError("no changes of " + actionId + " in " + changes);
    }

    private static List<String> changed(JsonNode action) {
        List<String> lines = new ArrayList<>();
        for (JsonNode change : action.get("changes")) {
            lines.add(change.get("field").asText() + " " + value(change.get("before")) + "->"
                    + value(change.get("after")));
        }
        return lines;
    }

    private static String value(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isArray()) {
            return texts(v).toString();
        }
        if (v.isObject()) {
            return contract(v);
        }
        return v.asText();
    }

    private static String contract(JsonNode c) {
        return c.get("contractId").asText() + " " + new BigDecimal(c.get("amount").get("value").asText())
                .stripTrailingZeros().toPlainString() + " " + c.get("amount").get("currency").asText() + " "
                + (c.get("paid").asBoolean() ? "paid" : "unpaid");
    }

    private static List<String> contracts(JsonNode state) {
        List<String> list = new ArrayList<>();
        state.get("contracts").forEach(c -> list.add(contract(c)));
        return list;
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(e -> list.add(e.asText()));
        return list;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    // ---- helpers ----

    private static final String PROPOSAL = "{\"document\":{\"uri\":\"s3://p/1.pdf\",\"mediaType\":"
            + "\"application/pdf\"},\"expectedDecisionDate\":\"2030-06-01\",\"keyParameters\":[\"price\",\"delivery\","
            + "\"warranty\"]}";

    private static JsonNode state(String c, String asOf, String knownAt, String caller) throws Exception {
        StringBuilder q = new StringBuilder("/api/v1/customers/" + c + "/state");
        String sep = "?";
        if (asOf != null) {
            q.append(sep).append("asOf=").append(enc(asOf));
            sep = "&";
        }
        if (knownAt != null) {
            q.append(sep).append("knownAt=").append(enc(knownAt));
        }
        Response r = TestHttp.get(query(q.toString()), TOKENS.get(caller));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void user(String id, String definition) {
        TOKENS.put(id, TestHttp.userToken(system.commandPort(), id, definition));
    }

    private static void publish(String ruleId, String body) throws Exception {
        Response response = TestHttp.send("PUT", command("/api/v1/rules/" + ruleId), body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** A client action of the hand-worked journey, {@code second}s after {@link #T0}, sent by the admin for rep-a. */
    private static void send(String c, String suffix, String type, int second, String data) throws Exception {
        Response response = TestHttp.post(command("/api/v1/actions"), TestHttp.envelope(c + "-" + suffix, type, c,
                time(second), "rep-a", data), "Content-Type", "application/json");
        assertThat(response.status()).as("%s-%s: %s", c, suffix, response).isEqualTo(202);
    }

    private static String envelope(String id, String type, String c, Instant t, String data) {
        ZoneOffset offset = id.hashCode() % 2 == 0 ? ZoneOffset.UTC : ZoneOffset.ofHours(8);
        return TestHttp.envelope(id, type, c, RFC_3339.format(t.atOffset(offset)), "rep-a", data);
    }

    private static void post(String envelope) throws Exception {
        TestHttp.post(command("/api/v1/actions"), envelope, "Content-Type", "application/json");
    }

    private static String time(int second) {
        return RFC_3339.format(T0.plusSeconds(second).atOffset(ZoneOffset.ofHours(8)));
    }

    private static JsonNode entry(JsonNode timeline, String type) {
        List<JsonNode> all = entries(timeline, type);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<JsonNode> entries(JsonNode timeline, String type) {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode e : timeline.path("events")) {
            if (e.get("type").asText().equals(type)) {
                list.add(e);
            }
        }
        return list;
    }

    private static JsonNode classified(JsonNode timeline, String customerClass) {
        for (JsonNode e : entries(timeline, "CustomerClassified")) {
            if (customerClass.equals(text(e.get("data"), "class"))) {
                return e;
            }
        }
        return null;
    }

    private static JsonNode byId(JsonNode timeline, String id) {
        for (JsonNode e : timeline.path("events")) {
            if (e.get("id").asText().equals(id)) {
                return e;
            }
        }
        return null;
    }

    /** Waits until the customer's timeline has not grown for two seconds: the rules' actions are all in. */
    private static void settled(String c) throws Exception {
        int size = -1;
        while (true) {
            int now = TestHttp.get(query("/api/v1/customers/" + c + "/timeline")).json().get("events").size();
            if (now == size) {
                return;
            }
            size = now;
            Thread.sleep(2000);
        }
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static Response eventually(URI uri, java.util.function.Predicate<Response> done) throws Exception {
        return TestHttp.eventually(uri, done, Duration.ofSeconds(120));
    }
}
