package org.salesledger.command.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.salesledger.command.kafka.TopicReader.Received;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestKafka;

/**
 * Republishing history for a new integrator into a topic of its own: what was stored from a given moment, in each
 * customer's order, with progress; the live topic is refused unless forced, and the live relay goes on meanwhile.
 */
class KafkaReplayIT extends CommandSideWithKafka {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void republishesWhatWasStoredFromAMomentIntoANamedTopicInEachCustomersOrder() throws Exception {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        for (String customer : List.of("rp-1", "rp-2")) {
            register(customer);
            before.add(customer + "-r");
            before.add(touch(customer, "early"));
        }
        TopicReader.readUntilAll(TestKafka.bootstrapServers(), LIVE, before, WAIT);
        Thread.sleep(20); // the stored times of the two halves must differ
        Instant from = Instant.now();
        Thread.sleep(20);
        for (int i = 0; i < 25; i++) {
            for (String customer : List.of("rp-1", "rp-2")) {
                after.add(touch(customer, "late-" + i));
            }
        }
        String topic = "new-integrator-" + UUID.randomUUID();

        Response started = start("{\"topic\":\"" + topic + "\",\"from\":\"" + from + "\"}");
        JsonNode done = follow(started);
        List<Received> replayed = TopicReader.readUntilAll(TestKafka.bootstrapServers(), topic, after, WAIT);

        assertThat(started.status()).isEqualTo(202);
        assertThat(started.json().get("topic").asText()).isEqualTo(topic);
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(done.get("eventsTotal").asLong()).isEqualTo(after.size());
        assertThat(done.get("eventsDone").asLong()).isEqualTo(after.size());
        assertThat(done.get("published").asLong()).isEqualTo(after.size());
        assertThat(done.get("etaSeconds").asLong()).isZero();
        assertThat(TopicReader.ids(replayed)).containsExactlyInAnyOrderElementsOf(after);
        Map<String, List<String>> order = TopicReader.firstArrivalsByCustomer(replayed);
        assertThat(order.get("rp-1")).containsExactlyElementsOf(after.stream().filter(id -> id.startsWith("rp-1"))
                .toList());
        assertThat(order.get("rp-2")).containsExactlyElementsOf(after.stream().filter(id -> id.startsWith("rp-2"))
                .toList());
        assertThat(replayed).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().get("subject").asText());
            assertThat(r.contentType()).isEqualTo("application/cloudevents+json");
        });
    }

    @Test
    void withoutAMomentTheWholeHistoryIsRepublishedAndTheLiveRelayGoesOn() throws Exception {
        register("rp-all");
        String early = touch("rp-all", "a");
        String topic = "everything-" + UUID.randomUUID();

        JsonNode done = follow(start("{\"topic\":\"" + topic + "\"}"));
        String later = touch("rp-all", "b");

        List<Received> replayed = TopicReader.readUntilAll(TestKafka.bootstrapServers(), topic,
                List.of("rp-all-r", early), WAIT);
        List<Received> live = TopicReader.readUntilAll(TestKafka.bootstrapServers(), LIVE,
                List.of("rp-all-r", early, later), WAIT);
        assertThat(done.get("state").asText()).isEqualTo("DONE");
        assertThat(TopicReader.ids(replayed)).contains("rp-all-r", early).doesNotContain(later);
        assertThat(TopicReader.ids(live)).contains("rp-all-r", early, later);
        Map<String, Long> liveCopies = live.stream().collect(Collectors.groupingBy(Received::id,
                Collectors.counting()));
        assertThat(liveCopies.get(early)).as("the replay did not touch the live topic").isEqualTo(1);
    }

    @Test
    void theLiveTopicIsRefusedUnlessForcedAndBadRequestsAreExplained() throws Exception {
        Response live = start("{\"topic\":\"" + LIVE + "\"}");
        Response badName = start("{\"topic\":\"no spaces/allowed\"}");
        Response badFrom = start("{\"topic\":\"ok-topic\",\"from\":\"last tuesday\"}");
        Response noBody = start("");
        Response unknown = TestHttp.get(url("/api/v1/admin/kafka-replays/nope"));

        assertThat(live.status()).isEqualTo(409);
        assertThat(live.json().get("message").asText()).contains("live topic", "force");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().get("field").asText()).isEqualTo("topic");
        assertThat(badFrom.status()).isEqualTo(400);
        assertThat(badFrom.json().get("field").asText()).isEqualTo("from");
        assertThat(badFrom.json().get("message").asText()).contains("RFC 3339");
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).contains("nope");

        JsonNode forced = follow(start("{\"topic\":\"" + LIVE + "\",\"force\":true}"));
        assertThat(forced.get("state").asText()).isEqualTo("DONE");
        assertThat(TestHttp.get(url("/api/v1/admin/kafka-replays")).json()).isNotEmpty();
    }

    // ---- helpers ----

    private JsonNode follow(Response started) throws Exception {
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        URI status = url("/api/v1/admin/kafka-replays/" + started.json().get("id").asText());
        Response last = TestHttp.eventually(status, r -> r.json().path("state").asText().matches("DONE|FAILED"),
                WAIT);
        assertThat(last.json().get("state").asText()).as(last.body()).isEqualTo("DONE");
        return last.json();
    }

    private Response start(String body) throws Exception {
        return TestHttp.post(url("/api/v1/admin/kafka-replays"), body, "Content-Type", "application/json");
    }

    private void register(String customer) throws Exception {
        post(TestHttp.envelope(customer + "-r", "CustomerRegistered", customer, "2025-03-01T09:00:00+08:00",
                "rep-1", "{\"name\":\"N\",\"region\":\"east\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}"));
    }

    private String touch(String customer, String suffix) throws Exception {
        String id = customer + "-" + suffix;
        post(TestHttp.envelope(id, "TouchpointRecorded", customer, "2025-03-02T09:00:00+08:00", "rep-1",
                "{\"channel\":\"wechat\"}"));
        return id;
    }

    private void post(String body) throws Exception {
        assertThat(TestHttp.post(url("/api/v1/actions"), body, "Content-Type", "application/json").status())
                .as(body).isEqualTo(202);
    }

}
