package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/**
 * Issue 6's event-driven rules as a manager and the reps meet them, over HTTP only: the brief's rules published,
 * actions sent, and the rule-made actions in the customers' timelines on the query side — once each, also after a
 * restart. The rules are published once for the class; each test plays the brief's journey for a customer of its
 * own (in a region of its own, so that the funnel counts only it).
 */
class RulesEndToEndIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;

    static Settings settings;
    static EmbeddedSystem system;

    @BeforeAll
    static void start() throws Exception {
        settings = TestSystems.settings(dataDir);
        system = EmbeddedSystem.start(settings);
        TestSystems.signIn(system);
        publishTheBriefsRules();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aManagerPublishesTheBriefsRulesAndTheirActionsAppearInTheTimelinesOnceEach() throws Exception {
        assertThat(get(command("/api/v1/rules")).json().get("rules")).hasSize(3);
        assertThat(get(command("/api/v1/talk-tracks")).json().get("scripts")).hasSize(3);

        JsonNode timeline = playTheBriefsJourney("rule-c");

        assertThat(systemTypes(timeline)).containsExactly("CustomerClassified", "CustomerTagged", "CustomerClassified",
                "TalkTracksSuggested", "TalkTracksSuggested", "TalkTracksSuggested", "TalkTrackIgnored");
        JsonNode tagged = systemEntries(timeline).get(1);
        assertThat(tagged.get("actor").asText()).isEqualTo("system");
        assertThat(tagged.get("time").asText()).isEqualTo("2025-05-03T09:00:00+08:00");
        assertThat(tagged.get("data").get("tag").asText()).isEqualTo("high-bargaining");
        assertThat(tagged.get("data").get("ruleId").asText()).isEqualTo("high-bargaining");
        assertThat(tagged.get("data").get("ruleVersion").asInt()).isEqualTo(1);
        assertThat(tagged.get("source").asText()).isEqualTo("/rules/high-bargaining");
        assertThat(systemEntries(timeline).get(2).get("data").get("class").asText()).isEqualTo("A");
        assertThat(systemEntries(timeline).get(3).get("data").get("scripts")).hasSize(3);
        // rule-made actions never move the stage: NeedsConfirmed was the last stage signal
        JsonNode funnel = eventually(query("/api/v1/funnel?region=rule-c"), r -> r.status() == 200
                && r.json().get("stages").get(1).get("current").asLong() == 1).json();
        assertThat(funnel.get("stages")).extracting(st -> st.get("current").asLong())
                .containsExactly(0L, 1L, 0L, 0L, 0L, 0L);
    }

    @Test
    void aClientCannotSendARuleMadeActionAndFeedbackAnswersASuggestion() throws Exception {
        JsonNode timeline = playTheBriefsJourney("rule-f");

        Response forged = post(command("/api/v1/actions"), TestHttp.envelope("forged", "CustomerTagged", "rule-f",
                "2025-05-12T09:00:00+08:00", "rep-07", "{\"tag\":\"vip\"}"));
        String suggestion = systemEntries(timeline).get(5).get("id").asText();
        Response feedback = post(command("/api/v1/actions"), TestHttp.envelope("rule-f-f", "TalkTrackFeedbackGiven",
                "rule-f", "2025-05-11T10:00:00+08:00", "rep-07",
                "{\"suggestionId\":\"" + suggestion + "\",\"scriptId\":\"cert-1\",\"feedback\":\"USED\"}"));

        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.json().get("errors").get(0).get("message").asText())
                .isEqualTo("type CustomerTagged is recorded by the rules, not sent by clients");
        assertThat(feedback.status()).isEqualTo(202);
        eventually(query("/api/v1/customers/rule-f/timeline"),
                r -> r.json().get("events").toString().contains("TalkTrackFeedbackGiven"));
    }

    @Test
    void afterARestartTheRulesStillActAndNothingIsRecordedTwice() throws Exception {
        JsonNode before = playTheBriefsJourney("rule-r");
        system.close();
        system = EmbeddedSystem.start(settings);
        TestSystems.signIn(system);

        action("rule-r", "r-4", "ObjectionRaised", "2025-05-12T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
        action("rule-r", "r-v4", "VisitLogged", "2025-05-13T09:00:00+08:00", visit());
        JsonNode after = eventually(query("/api/v1/customers/rule-r/timeline"),
                r -> systemTypes(r.json()).size() == systemTypes(before).size() + 1).json();

        assertThat(systemTypes(after)).containsExactlyElementsOf(plus(systemTypes(before), "TalkTracksSuggested"));
        assertThat(get(command("/api/v1/rules/high-bargaining")).json().get("version").asInt()).isEqualTo(1);
    }

    // ---- helpers ----

    /** The brief's three rules and their three scripts, published by a manager. */
    private static void publishTheBriefsRules() throws Exception {
        for (String script : List.of("cert-1", "cert-2", "cert-3")) {
            assertThat(send("POST", "/api/v1/talk-tracks", "{\"id\":\"" + script + "\",\"title\":\"" + script
                    + "\",\"text\":\"About the registration certificate…\",\"tags\":[\"certificate\"]}").status())
                    .isEqualTo(201);
        }
        assertThat(send("PUT", "/api/v1/rules/high-bargaining", """
                {"kind": "TAG", "tag": "high-bargaining",
                 "when": "events.filter(e, e.type == 'ObjectionRaised' && e.data.objectionType == 'PRICE' && now - e.time <= duration('720h')).size() >= 2"}""")
                .status()).isEqualTo(200);
        assertThat(send("PUT", "/api/v1/rules/classes", """
                {"kind": "CLASSIFY", "classes": [
                  {"class": "A", "when": "events.filter(e, e.type == 'CustomerActionObserved' && e.data.kind == 'INQUIRY').size() >= 3 && events.exists(e, e.type == 'NeedsConfirmed' && has(e.data.budget))"},
                  {"class": "B", "when": "customer.channel == 'exhibition'"}]}""").status()).isEqualTo(200);
        assertThat(send("PUT", "/api/v1/rules/certificate-talk", """
                {"kind": "TALK_TRACK", "scripts": ["cert-1", "cert-2", "cert-3"], "alertAfterUnused": 2,
                 "when": "visit.data.contactRole == 'equipment' && has(visit.data.objections) && 'REGISTRATION_CERTIFICATE' in visit.data.objections"}""")
                .status()).isEqualTo(200);
    }

    /**
     * The brief's journey for one customer (registered in a region named as the customer): three price objections,
     * three inquiries, confirmed needs with a budget and three visits with the certificate objection; returns the
     * timeline once the rules have acted on all of it.
     */
    private static JsonNode playTheBriefsJourney(String customer) throws Exception {
        action(customer, "r-0", "CustomerRegistered", "2025-05-01T09:00:00+08:00",
                "{\"name\":\"Rule Hospital\",\"region\":\"" + customer
                        + "\",\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\"}");
        action(customer, "r-1", "ObjectionRaised", "2025-05-02T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
        action(customer, "r-2", "ObjectionRaised", "2025-05-03T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
        action(customer, "r-3", "ObjectionRaised", "2025-05-04T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
        for (int i = 1; i <= 3; i++) {
            action(customer, "r-i" + i, "CustomerActionObserved", "2025-05-0" + (4 + i) + "T09:00:00+08:00",
                    "{\"kind\":\"INQUIRY\",\"refActionId\":\"" + customer + "-r-1\"}");
        }
        action(customer, "r-n", "NeedsConfirmed", "2025-05-08T09:00:00+08:00",
                "{\"needs\":[\"CT\"],\"budget\":\"2M CNY\"}");
        action(customer, "r-v1", "VisitLogged", "2025-05-09T09:00:00+08:00", visit());
        action(customer, "r-v2", "VisitLogged", "2025-05-10T09:00:00+08:00", visit());
        action(customer, "r-v3", "VisitLogged", "2025-05-11T09:00:00+08:00", visit());

        return eventually(query("/api/v1/customers/" + customer + "/timeline"),
                r -> r.status() == 200 && systemTypes(r.json()).contains("TalkTrackIgnored")).json();
    }

    private static List<String> plus(List<String> list, String more) {
        List<String> all = new ArrayList<>(list);
        all.add(more);
        return all;
    }

    private static String visit() {
        return "{\"contactRole\":\"equipment\",\"location\":{\"lat\":31.2,\"lon\":121.5},"
                + "\"objections\":[\"REGISTRATION_CERTIFICATE\"]}";
    }

    private static List<JsonNode> systemEntries(JsonNode timeline) {
        List<JsonNode> entries = new ArrayList<>();
        timeline.get("events").forEach(e -> {
            if (e.get("actor").asText().equals("system")) {
                entries.add(e);
            }
        });
        return entries;
    }

    private static List<String> systemTypes(JsonNode timeline) {
        return systemEntries(timeline).stream().map(e -> e.get("type").asText()).toList();
    }

    private static void action(String customer, String id, String type, String time, String data) throws Exception {
        Response response = post(command("/api/v1/actions"),
                TestHttp.envelope(customer + "-" + id, type, customer, time, "rep-07", data));
        assertThat(response.status()).as("%s: %s", id, response).isEqualTo(202);
    }

    private static Response send(String method, String path, String body) throws Exception {
        HttpRequest request = org.salesledger.testing.TestHttp.request(command(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("X-Actor", "manager-1").build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static Response post(URI uri, String body) throws Exception {
        return TestHttp.post(uri, body, "Content-Type", "application/json");
    }

    private static Response get(URI uri) throws Exception {
        return TestHttp.get(uri);
    }

    private static Response eventually(URI uri, Predicate<Response> done) throws Exception {
        Response last = TestHttp.eventually(uri, done, Duration.ofSeconds(120));
        assertThat(done.test(last)).as("caught up; last answer: %s", last.body()).isTrue();
        return last;
    }
}
