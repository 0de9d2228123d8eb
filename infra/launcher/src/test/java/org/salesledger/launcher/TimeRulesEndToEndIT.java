package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
 * Issue 6 "done when", over HTTP only through the launcher: a manager publishes the brief's rules (durations of
 * seconds), actions flow in as they happen (wall-clock times), and CustomerTagged, CustomerClassified,
 * EscalationRaised, FollowUpDue, CustomerReleasedToPool, CollectionDue and TalkTrackIgnored appear in the timelines
 * once each — also across a restart with a deadline pending — and the pool and work lists show them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimeRulesEndToEndIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String EAST = "e2e-east";
    private static final String NORTH = "e2e-north";

    @TempDir
    static Path dataDir;

    static Settings settings;
    static EmbeddedSystem system;

    @BeforeAll
    static void start() throws Exception {
        settings = TestSystems.settings(dataDir);
        system = EmbeddedSystem.start(settings);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void aManagerPublishesTheBriefsRulesAndTheirEventsAppearOnceEach() throws Exception {
        for (String script : List.of("cert-1", "cert-2", "cert-3")) {
            assertThat(send("POST", "/api/v1/talk-tracks", "{\"id\":\"" + script + "\",\"title\":\"" + script
                    + "\",\"text\":\"About the registration certificate…\"}", "trainer-1").status()).isEqualTo(201);
        }
        publish("high-bargaining", """
                {"kind": "TAG", "tag": "high-bargaining",
                 "when": "events.filter(e, e.type == 'ObjectionRaised' && e.data.objectionType == 'PRICE' && now - e.time <= duration('720h')).size() >= 2"}""");
        publish("classes", """
                {"kind": "CLASSIFY", "classes": [
                  {"class": "A", "when": "events.filter(e, e.type == 'CustomerActionObserved' && e.data.kind == 'INQUIRY').size() >= 3 && events.exists(e, e.type == 'NeedsConfirmed' && has(e.data.budget))"},
                  {"class": "B", "when": "customer.channel == 'exhibition'"}]}""");
        publish("certificate-talk", """
                {"kind": "TALK_TRACK", "scripts": ["cert-1", "cert-2", "cert-3"], "alertAfterUnused": 2,
                 "when": "visit.data.contactRole == 'equipment' && has(visit.data.objections) && 'REGISTRATION_CERTIFICATE' in visit.data.objections"}""");
        publish("proposal-no-reply", """
                {"kind": "ESCALATE", "stage": "PROPOSAL_SENT", "after": "PT3S", "to": "regional-director",
                 "unless": ["CustomerActionObserved"]}""");
        publish("freeze-warning", """
                {"kind": "IDLE", "after": "PT3S", "to": "supervisor", "when": "customer.region == 'north'"}""");
        publish("public-pool", """
                {"kind": "POOL", "after": "PT6S", "remindBefore": "PT2S", "reclaimLockout": "PT1H",
                 "dailyClaimLimit": 5, "maxCustomersPerRep": 10, "when": "customer.region == 'north'"}""");
        publish("collection", "{\"kind\": \"COLLECTION\", \"after\": \"PT3S\"}");
        assertThat(get(command("/api/v1/rules")).json().get("rules")).hasSize(7);

        action(EAST, "0", "CustomerRegistered", "{\"name\":\"East Hospital\",\"region\":\"east\","
                + "\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\"}");
        action(NORTH, "0", "CustomerRegistered", "{\"name\":\"North Clinic\",\"region\":\"north\","
                + "\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}");
        action(EAST, "o1", "ObjectionRaised", "{\"objectionType\":\"PRICE\"}");
        action(EAST, "o2", "ObjectionRaised", "{\"objectionType\":\"PRICE\"}");
        action(EAST, "p", "ProposalSent", "{\"document\":{\"uri\":\"s3://p.pdf\",\"mediaType\":\"application/pdf\"},"
                + "\"expectedDecisionDate\":\"2030-01-01\",\"keyParameters\":[\"price\",\"delivery\",\"warranty\"]}");

        awaitSystem(EAST, types -> types.contains("EscalationRaised"));
        for (int i = 1; i <= 3; i++) {
            action(EAST, "v" + i, "VisitLogged", "{\"contactRole\":\"equipment\",\"location\":{\"lat\":31.2,"
                    + "\"lon\":121.5},\"objections\":[\"REGISTRATION_CERTIFICATE\"]}");
        }
        JsonNode escalations = eventually(query("/api/v1/escalations?to=regional-director"),
                r -> r.json().get("escalations").size() == 1
                        && r.json().get("escalations").get(0).get("customer").get("lastActionType").asText()
                        .equals("VisitLogged")).json();
        List<String> north = awaitSystem(NORTH, types -> types.contains("CustomerReleasedToPool"));
        List<String> east = awaitSystem(EAST, types -> types.contains("TalkTrackIgnored"));

        assertThat(escalations.get("escalations").get(0).get("customer").get("customerId").asText()).isEqualTo(EAST);
        assertThat(north).containsExactly("FollowUpDue", "PoolReleaseReminded", "CustomerReleasedToPool");
        assertThat(east).containsExactly("CustomerClassified", "CustomerTagged", "EscalationRaised",
                "TalkTracksSuggested", "TalkTracksSuggested", "TalkTracksSuggested", "TalkTrackIgnored");
        JsonNode pool = eventually(query("/api/v1/pool?region=north"),
                r -> r.json().get("customers").size() == 1).json();
        assertThat(pool.get("customers").get(0).get("customerId").asText()).isEqualTo(NORTH);
        assertThat(pool.get("customers").get(0).get("previousOwnerRepId").asText()).isEqualTo("rep-07");
    }

    @Test
    @Order(2)
    void aDeadlinePendingAcrossARestartFiresOnce_andNothingIsRecordedTwice() throws Exception {
        action(EAST, "k1", "ContractSigned", "{\"contractId\":\"K-1\",\"amount\":{\"value\":\"100000\","
                + "\"currency\":\"CNY\"}}");
        eventually(query("/api/v1/customers/" + EAST + "/timeline"),
                r -> r.json().get("events").toString().contains("ContractSigned"));
        system.close();
        system = EmbeddedSystem.start(settings);

        List<String> east = awaitSystem(EAST, types -> types.contains("CollectionDue"));
        Thread.sleep(4000); // more deadline polls after the restart: nothing may come twice

        assertThat(systemTypes(timeline(EAST))).containsExactlyElementsOf(east).containsExactly("CustomerClassified",
                "CustomerTagged", "EscalationRaised", "TalkTracksSuggested", "TalkTracksSuggested",
                "TalkTracksSuggested", "TalkTrackIgnored", "CollectionDue");
        assertThat(systemTypes(timeline(NORTH))).containsExactly("FollowUpDue", "PoolReleaseReminded",
                "CustomerReleasedToPool");
        JsonNode todo = eventually(query("/api/v1/reps/rep-07/todo"),
                r -> r.json().get("collections").size() == 1 && r.json().get("followUps").size() == 1).json();
        assertThat(todo.get("collections").get(0).get("details").get("contractId").asText()).isEqualTo("K-1");
        assertThat(todo.get("followUps").get(0).get("customer").get("customerId").asText()).isEqualTo(NORTH);
        assertThat(todo.get("talkTracks")).hasSize(1);
        // the escalation closed when the customer left the stage (the contract)
        eventually(query("/api/v1/escalations"), r -> r.json().get("escalations").isEmpty());
    }

    @Test
    @Order(3)
    void aRepClaimsTheReleasedCustomerAndThePoolEmpties() throws Exception {
        Response lockedOut = send("POST", "/api/v1/pool/" + NORTH + "/claim", "", "rep-07");
        Response claimed = send("POST", "/api/v1/pool/" + NORTH + "/claim", "", "rep-08");
        Response late = send("POST", "/api/v1/pool/" + NORTH + "/claim", "", "rep-09");

        assertThat(lockedOut.status()).isEqualTo(422);
        assertThat(claimed.status()).isEqualTo(200);
        assertThat(late.status()).isEqualTo(409);
        eventually(query("/api/v1/pool"), r -> r.json().get("customers").isEmpty());
        JsonNode funnel = eventually(query("/api/v1/funnel?rep=rep-08"), r -> r.json().get("stages").get(0)
                .get("current").asLong() == 1).json();
        assertThat(funnel.get("stages").get(0).get("current").asLong()).isEqualTo(1);
    }

    // ---- helpers ----

    private static void publish(String ruleId, String body) throws Exception {
        Response response = send("PUT", "/api/v1/rules/" + ruleId, body, "manager-1");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    private static void action(String customer, String suffix, String type, String data) throws Exception {
        String time = OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.ofHours(8))
                .toString();
        Response response = TestHttp.post(command("/api/v1/actions"), TestHttp.envelope(customer + "-" + suffix, type,
                customer, time, "rep-07", data), "Content-Type", "application/json");
        assertThat(response.status()).as("%s: %s", suffix, response).isEqualTo(202);
    }

    private static List<String> awaitSystem(String customer, Predicate<List<String>> done) throws Exception {
        JsonNode timeline = eventually(query("/api/v1/customers/" + customer + "/timeline"),
                r -> r.status() == 200 && done.test(systemTypes(r.json()))).json();
        return systemTypes(timeline);
    }

    private static JsonNode timeline(String customer) throws Exception {
        return get(query("/api/v1/customers/" + customer + "/timeline")).json();
    }

    private static List<String> systemTypes(JsonNode timeline) {
        List<String> types = new ArrayList<>();
        timeline.get("events").forEach(e -> {
            if (e.get("actor").asText().equals("system")) {
                types.add(e.get("type").asText());
            }
        });
        return types;
    }

    private static Response send(String method, String path, String body, String actor) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(command(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("X-Actor", actor).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
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
