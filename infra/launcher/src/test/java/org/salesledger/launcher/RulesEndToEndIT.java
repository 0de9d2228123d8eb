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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/**
 * Issue 6's event-driven rules as a manager and the reps meet them, over HTTP only: the brief's rules published,
 * actions sent, and the rule-made actions in the customers' timelines on the query side — once each, also after a
 * restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void aManagerPublishesTheBriefsRulesAndTheirActionsAppearInTheTimelinesOnceEach() throws Exception {
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
        assertThat(get(command("/api/v1/rules")).json().get("rules")).hasSize(3);
        assertThat(get(command("/api/v1/talk-tracks")).json().get("scripts")).hasSize(3);

        action("r-0", "CustomerRegistered", "2025-05-01T09:00:00+08:00",
                "{\"name\":\"Rule Hospital\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\"}");
        action("r-1", "ObjectionRaised", "2025-05-02T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
        action("r-2", "ObjectionRaised", "2025-05-03T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
        action("r-3", "ObjectionRaised", "2025-05-04T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
        for (int i = 1; i <= 3; i++) {
            action("r-i" + i, "CustomerActionObserved", "2025-05-0" + (4 + i) + "T09:00:00+08:00",
                    "{\"kind\":\"INQUIRY\",\"refActionId\":\"r-1\"}");
        }
        action("r-n", "NeedsConfirmed", "2025-05-08T09:00:00+08:00", "{\"needs\":[\"CT\"],\"budget\":\"2M CNY\"}");
        action("r-v1", "VisitLogged", "2025-05-09T09:00:00+08:00", visit());
        action("r-v2", "VisitLogged", "2025-05-10T09:00:00+08:00", visit());
        action("r-v3", "VisitLogged", "2025-05-11T09:00:00+08:00", visit());

        JsonNode timeline = eventually(query("/api/v1/customers/rule-c/timeline"),
                r -> r.status() == 200 && systemTypes(r.json()).contains("TalkTrackIgnored")).json();

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
        JsonNode funnel = eventually(query("/api/v1/funnel?region=east"), r -> r.status() == 200
                && r.json().get("stages").get(1).get("current").asLong() == 1).json();
        assertThat(funnel.get("stages")).extracting(st -> st.get("current").asLong())
                .containsExactly(0L, 1L, 0L, 0L, 0L, 0L);
    }

    @Test
    @Order(2)
    void aClientCannotSendARuleMadeActionAndFeedbackAnswersASuggestion() throws Exception {
        Response forged = post(command("/api/v1/actions"), TestHttp.envelope("forged", "CustomerTagged", "rule-c",
                "2025-05-12T09:00:00+08:00", "rep-07", "{\"tag\":\"vip\"}"));
        JsonNode timeline = get(query("/api/v1/customers/rule-c/timeline")).json();
        String suggestion = systemEntries(timeline).get(5).get("id").asText();
        Response feedback = post(command("/api/v1/actions"), TestHttp.envelope("r-f", "TalkTrackFeedbackGiven",
                "rule-c", "2025-05-11T10:00:00+08:00", "rep-07",
                "{\"suggestionId\":\"" + suggestion + "\",\"scriptId\":\"cert-1\",\"feedback\":\"USED\"}"));

        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.json().get("errors").get(0).get("message").asText())
                .isEqualTo("type CustomerTagged is recorded by the rules, not sent by clients");
        assertThat(feedback.status()).isEqualTo(202);
        eventually(query("/api/v1/customers/rule-c/timeline"),
                r -> r.json().get("events").toString().contains("TalkTrackFeedbackGiven"));
    }

    @Test
    @Order(3)
    void afterARestartTheRulesStillActAndNothingIsRecordedTwice() throws Exception {
        JsonNode before = get(query("/api/v1/customers/rule-c/timeline")).json();
        system.close();
        system = EmbeddedSystem.start(settings);
        TestSystems.signIn(system);

        action("r-4", "ObjectionRaised", "2025-05-12T09:00:00+08:00", "{\"objectionType\":\"PRICE\"}");
        action("r-v4", "VisitLogged", "2025-05-13T09:00:00+08:00", visit());
        JsonNode after = eventually(query("/api/v1/customers/rule-c/timeline"),
                r -> systemTypes(r.json()).size() == systemTypes(before).size() + 1).json();

        assertThat(systemTypes(after)).containsExactlyElementsOf(plus(systemTypes(before), "TalkTracksSuggested"));
        assertThat(get(command("/api/v1/rules/high-bargaining")).json().get("version").asInt()).isEqualTo(1);
    }

    // ---- helpers ----

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

    private static void action(String id, String type, String time, String data) throws Exception {
        Response response = post(command("/api/v1/actions"), TestHttp.envelope(id, type, "rule-c", time, "rep-07", data));
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
