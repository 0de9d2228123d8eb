package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.salesledger.testing.TestHttp.get;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.launcher.cli.ImportCommand;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;

/**
 * The whole system as a user meets it: started by the launcher (both sides, each on its own port), driven only
 * over HTTP, stopped and started again on the same database. The system is started once for the class; each test
 * sends customers of its own, in regions of its own where it counts customers.
 */
class EndToEndIT {

    private static final String REBUILD_CHUNK_SIZE = "salesledger.rebuild.chunk-size";
    private static final String SQL_AND_HTML = "Robert'); DROP TABLE timeline_event;-- <script>alert(1)</script> & \"co\"";

    @TempDir
    static Path dataDir;

    static Settings settings;
    static EmbeddedSystem system;
    static java.time.Instant started;

    @BeforeAll
    static void start() throws Exception {
        started = java.time.Instant.now();
        // rebuilds replay in chunks of a few events, so that the rebuild below spans many chunks and both appliers
        System.setProperty(REBUILD_CHUNK_SIZE, "3");
        settings = TestSystems.settings(dataDir);
        system = EmbeddedSystem.start(settings);
        TestSystems.signIn(system);
    }

    @AfterAll
    static void stop() {
        System.clearProperty(REBUILD_CHUNK_SIZE);
        if (system != null) {
            system.close();
        }
    }

    @Test
    void bothSidesAnswerHealthUp() throws Exception {
        assertThat(get(command("/actuator/health")).json().get("status").asText()).isEqualTo("UP");
        assertThat(get(query("/actuator/health")).json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void validActionsAppearInTheTimelineExactlyAsSentAndInvalidOnesLeaveNoTrace() throws Exception {
        registerAndPropose("e2e", "cust-e2e", "east");
        Response invalid = post(command("/api/v1/actions"), envelope("e2e-bad", "ProposalSent", "cust-e2e",
                "2025-03-06T10:00:00+08:00", "{\"document\":{\"uri\":\"s3://p/1.doc\",\"mediaType\":\"application/msword\"},"
                        + "\"expectedDecisionDate\":\"2025-04-01\",\"keyParameters\":[\"price\"]}"));

        assertThat(invalid.status()).isEqualTo(400);
        JsonNode timeline = eventually(query("/api/v1/customers/cust-e2e/timeline"),
                t -> t.status() == 200 && t.json().get("events").size() == 2).json();
        assertThat(timeline.get("customerId").asText()).isEqualTo("cust-e2e");
        JsonNode registered = timeline.get("events").get(0);
        assertThat(registered.get("id").asText()).isEqualTo("e2e-1");
        assertThat(registered.get("type").asText()).isEqualTo("CustomerRegistered");
        assertThat(registered.get("time").asText()).isEqualTo("2025-03-01T09:00:00+08:00");
        assertThat(registered.get("actor").asText()).isEqualTo("rep-07");
        assertThat(registered.get("source").asText()).isEqualTo("/test");
        assertThat(registered.get("deviceId").asText()).isEqualTo("tablet-e2e");
        assertThat(registered.get("data").get("name").asText()).isEqualTo(SQL_AND_HTML);
        assertThat(registered.get("data").get("wechat").get("tags").get(0).asText()).isEqualTo("vip");
        JsonNode proposal = timeline.get("events").get(1);
        assertThat(proposal.get("data").get("amount").get("value").decimalValue()).isEqualByComparingTo("1200.50");
        assertThat(proposal.get("data").get("amount").get("value").toString()).isEqualTo("1200.50");
        assertThat(proposal.get("data").get("keyParameters")).hasSize(3);
        assertThat(proposal.get("data").get("expectedDecisionDate").asText()).isEqualTo("2025-04-01");
    }

    @Test
    void theTimelineAsOfAMomentShowsOnlyWhatHadHappenedByThen() throws Exception {
        registerAndPropose("asof", "cust-asof", "east");
        eventually(query("/api/v1/customers/cust-asof/timeline"), t -> t.json().path("events").size() == 2);

        JsonNode early = get(query("/api/v1/customers/cust-asof/timeline?asOf=2025-03-02T00:00:00%2B08:00")).json();
        Response unknown = get(query("/api/v1/customers/nobody/timeline"));
        Response badAsOf = get(query("/api/v1/customers/cust-asof/timeline?asOf=last-week"));

        assertThat(early.get("events")).extracting(e -> e.get("id").asText()).containsExactly("asof-1");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).contains("nobody");
        assertThat(badAsOf.status()).isEqualTo(400);
        assertThat(badAsOf.json().get("message").asText()).contains("asOf", "RFC 3339");
    }

    @Test
    void theTimelineComesInPagesWhenALimitIsGivenAndRefusesBadCursors() throws Exception {
        registerAndPropose("page", "cust-page", "east");
        eventually(query("/api/v1/customers/cust-page/timeline"), t -> t.json().path("events").size() == 2);

        JsonNode first = get(query("/api/v1/customers/cust-page/timeline?limit=1")).json();
        JsonNode second = get(query("/api/v1/customers/cust-page/timeline?limit=1&after="
                + first.get("next").asText())).json();
        Response badLimit = get(query("/api/v1/customers/cust-page/timeline?limit=0"));
        Response badCursor = get(query("/api/v1/customers/cust-page/timeline?after=yesterday"));

        assertThat(first.get("events")).extracting(e -> e.get("id").asText()).containsExactly("page-1");
        assertThat(second.get("events")).extracting(e -> e.get("id").asText()).containsExactly("page-2");
        assertThat(second.has("next")).isFalse();
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("message").asText()).contains("limit");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.json().get("message").asText()).contains("after", "next");
    }

    @Test
    void theImportCommandPostsAFileAndARepeatedImportStoresNothingNew() throws Exception {
        Path file = importFile("imp", "north");
        URI url = URI.create("http://localhost:" + system.commandPort());

        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        int firstExit = ImportCommand.run(url, file, new PrintStream(first, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int secondExit = ImportCommand.run(url, file, new PrintStream(second, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(firstExit).isZero();
        assertThat(first.toString(StandardCharsets.UTF_8)).containsPattern("(?i)accepted\\D+40")
                .containsPattern("(?i)rejected\\D+2");
        assertThat(secondExit).isZero();
        assertThat(second.toString(StandardCharsets.UTF_8)).containsPattern("(?i)accepted\\D+0")
                .containsPattern("(?i)duplicates\\D+40");
        JsonNode timeline = eventually(query("/api/v1/customers/cust-imp-19/timeline"),
                t -> t.status() == 200 && t.json().get("events").size() == 2).json();
        assertThat(timeline.get("events")).extracting(e -> e.get("type").asText())
                .containsExactly("CustomerRegistered", "TouchpointRecorded");
    }

    @Test
    void importWithADashReadsTheActionsFromStandardInput() throws Exception {
        byte[] lines = Files.readAllBytes(importFile("stdin", "north"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = SalesLedger.execute(new String[] {"import", "-", "--url", command("").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new java.io.ByteArrayInputStream(lines), java.util.Map.of());

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("(?i)accepted\\D+40")
                .containsPattern("(?i)rejected\\D+2");
        JsonNode timeline = eventually(query("/api/v1/customers/cust-stdin-19/timeline"),
                t -> t.status() == 200 && t.json().get("events").size() == 2).json();
        assertThat(timeline.get("events")).extracting(e -> e.get("type").asText())
                .containsExactly("CustomerRegistered", "TouchpointRecorded");
    }

    @Test
    void aRestartKeepsEverythingAndTheProjectionResumesWithoutLossOrRepeats() throws Exception {
        imported("rst", "restart");
        registerAndPropose("rst", "cust-rst", "restart");
        system.close();
        system = EmbeddedSystem.start(settings);
        TestSystems.signIn(system);

        Response repeat = post(command("/api/v1/actions"), envelope("rst-1", "CustomerRegistered", "cust-rst",
                "2025-03-01T09:00:00+08:00", "{\"name\":\"x\",\"region\":\"east\",\"ownerRepId\":\"r\",\"channel\":\"c\"}"));
        Response next = post(command("/api/v1/actions"), envelope("rst-3", "TrialRequested", "cust-rst",
                "2025-03-10T10:00:00+08:00", "{\"product\":\"X-ray\"}"));

        assertThat(repeat.json().get("duplicate").asBoolean()).isTrue();
        assertThat(next.status()).isEqualTo(202);
        JsonNode timeline = eventually(query("/api/v1/customers/cust-rst/timeline"),
                t -> t.status() == 200 && t.json().get("events").size() >= 3).json();
        assertThat(timeline.get("events")).extracting(e -> e.get("id").asText())
                .containsExactly("rst-1", "rst-2", "rst-3");
        caughtUp();
        // the funnel resumed from its token: the new action moved one customer, and nobody was counted twice
        // (the region holds this test's customers only: the 20 imported and the one that moved)
        JsonNode funnel = eventually(query("/api/v1/funnel?region=restart"), r -> r.status() == 200
                && r.json().get("stages").get(4).get("current").asLong() == 1).json();
        assertThat(funnel.get("stages")).extracting(st -> st.get("reached").asLong())
                .containsExactly(21L, 1L, 1L, 1L, 1L, 0L);
        assertThat(funnel.get("stages")).extracting(st -> st.get("current").asLong())
                .containsExactly(20L, 0L, 0L, 0L, 1L, 0L);
    }

    @Test
    void theFunnelCountsCustomersByStageAndBreaksThemDownByRegion() throws Exception {
        imported("fun", "funnel-north");
        registerProposeAndTry("fun", "cust-fun", "funnel-east");

        JsonNode north = eventually(query("/api/v1/funnel?region=funnel-north"), r -> r.status() == 200
                && r.json().get("stages").get(0).get("current").asLong() == 20).json();
        // other tests' regions are left out; the groups come in the order of their keys
        List<JsonNode> byRegion = ownGroups(eventually(query("/api/v1/funnel?groupBy=region"), r -> r.status() == 200
                && ownGroups(r.json(), "funnel-").size() == 2
                && ownGroups(r.json(), "funnel-").get(0).get("funnel").get("stages").get(4).get("current").asLong() == 1
                && ownGroups(r.json(), "funnel-").get(1).get("funnel").get("stages").get(0).get("current")
                        .asLong() == 20).json(), "funnel-");
        Response badGroup = get(query("/api/v1/funnel?groupBy=planet"));
        Response badDate = get(query("/api/v1/funnel?from=March"));

        assertThat(north.get("stages")).extracting(s -> s.get("stage").asText()).containsExactly("FIRST_CONTACT",
                "NEEDS_CONFIRMED", "PROPOSAL_SENT", "PRICE_OBJECTION", "TRIAL_REQUESTED", "CONTRACT_SIGNED");
        assertThat(north.get("stages").get(1).get("reached").asLong()).isZero();
        assertThat(north.get("stages").get(0).get("conversionToNext").asDouble()).isZero();
        assertThat(north.get("won").asLong()).isZero();
        assertThat(north.get("winRate").isNull()).isTrue();
        JsonNode east = byRegion.get(0);
        assertThat(east.get("key").asText()).isEqualTo("funnel-east");
        assertThat(east.get("funnel").get("stages")).extracting(s -> s.get("reached").asLong())
                .containsExactly(1L, 1L, 1L, 1L, 1L, 0L);
        assertThat(byRegion.get(1).get("key").asText()).isEqualTo("funnel-north");
        assertThat(badGroup.status()).isEqualTo(400);
        assertThat(badGroup.json().get("message").asText()).contains("groupBy", "region");
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.json().get("message").asText()).contains("from", "YYYY-MM-DD");
    }

    @Test
    void supervisorsSeeStalledAndIdleCustomersAndEachCustomersTimePerStage() throws Exception {
        imported("stl", "stalled-north");
        registerProposeAndTry("stl", "cust-stl", "stalled-east");
        eventually(query("/api/v1/idle?days=7&region=stalled-north&limit=1000"),
                r -> r.status() == 200 && r.json().get("customers").size() == 20);
        eventually(query("/api/v1/customers/cust-stl/stages"),
                r -> r.status() == 200 && r.json().get("stages").size() == 3);

        JsonNode stalled = get(query("/api/v1/stalled?stage=TRIAL_REQUESTED&olderThan=PT1H&region=stalled-east"))
                .json();
        JsonNode firstFive = get(query("/api/v1/stalled?olderThan=P1D&limit=5&region=stalled-north")).json();
        JsonNode idle = get(query("/api/v1/idle?days=7&region=stalled-north&limit=1000")).json();
        JsonNode stages = get(query("/api/v1/customers/cust-stl/stages")).json();
        Response closedStage = get(query("/api/v1/stalled?stage=CONTRACT_SIGNED"));
        Response badDuration = get(query("/api/v1/stalled?olderThan=three-days"));

        assertThat(stalled.get("customers")).singleElement().satisfies(c -> {
            assertThat(c.get("customerId").asText()).isEqualTo("cust-stl");
            assertThat(c.get("ownerRepId").asText()).isEqualTo("rep-07");
            assertThat(c.get("enteredAt").asText()).startsWith("2025-03-10T02:00");
            assertThat(c.get("lastActionType").asText()).isEqualTo("TrialRequested");
        });
        assertThat(firstFive.get("customers")).hasSize(5);
        assertThat(idle.get("customers")).hasSize(20);
        assertThat(stages.get("stages")).extracting(st -> st.get("stage").asText())
                .containsExactly("FIRST_CONTACT", "PROPOSAL_SENT", "TRIAL_REQUESTED");
        assertThat(closedStage.status()).isEqualTo(400);
        assertThat(badDuration.status()).isEqualTo(400);
        assertThat(badDuration.json().get("message").asText()).contains("PT72H");
    }

    @Test
    void aRebuildFromTheFullHistoryReproducesTheLiveReadModelsExactlyAndTheyGoOnUpdating() throws Exception {
        imported("rbd", "rebuild-north");
        registerProposeAndTry("rbd", "cust-rbd", "rebuild-east");
        eventually(query("/api/v1/customers/cust-rbd/timeline"), r -> r.json().path("events").size() == 3);
        caughtUp();
        List<String> before = readModelRows();
        List<String> indexesBefore = readModelIndexes();
        List<String> constraintsBefore = readModelConstraints();
        String funnelBefore = get(query("/api/v1/funnel?groupBy=region")).body();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Response started = TestHttp.post(query("/api/v1/admin/rebuilds/funnel"), "");
        Response answeringMeanwhile = get(query("/api/v1/funnel?groupBy=region"));
        int exit = org.salesledger.launcher.cli.RebuildCommand.run(URI.create("http://localhost:" + system.queryPort()),
                "all", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(started.status()).isEqualTo(202);
        assertThat(answeringMeanwhile.status()).isEqualTo(200);
        assertThat(answeringMeanwhile.body()).isEqualTo(funnelBefore);
        assertThat(exit).as("rebuild output: %s %s", out, progress).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("funnel: rebuilt from", "timeline: rebuilt from");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("100%", "events");
        assertThat(readModelRows()).isEqualTo(before);
        // the rebuilt tables were filled without their query indexes, which were built at the end: all are there
        assertThat(readModelIndexes()).isEqualTo(indexesBefore).hasSizeGreaterThan(10);
        // the timeline's are built after the replay too, its primary key and unique constraint included
        assertThat(readModelConstraints()).isEqualTo(constraintsBefore)
                .contains("timeline_event: p PRIMARY KEY (action_id)", "timeline_event: u UNIQUE (customer_id, seq)");
        JsonNode status = get(query("/api/v1/admin/rebuilds/timeline")).json();
        assertThat(status.get("state").asText()).isEqualTo("DONE");
        assertThat(status.get("eventsDone").asLong()).isEqualTo(status.get("eventsTotal").asLong()).isPositive();
        assertThat(get(query("/api/v1/admin/rebuilds/planets")).status()).isEqualTo(404);
        assertThat(get(query("/actuator/prometheus")).body())
                .contains("salesledger_projection_lag_events{readModel=\"funnel\"}");

        sign("rbd", "cust-rbd");
        assertThat(eventually(query("/api/v1/funnel?region=rebuild-east"), r -> r.json().path("won").asLong() == 1)
                .json().get("won").asLong()).isEqualTo(1);
        assertThat(eventually(query("/api/v1/customers/cust-rbd/timeline"), r -> r.json().path("events").size() == 4)
                .json().get("events")).hasSize(4);
    }

    @Test
    void everyAcceptedActionArrivesOnKafkaOnceAsItsEnvelopeEvenAfterTheRebuild() throws Exception {
        imported("kfk", "kafka");
        registerProposeAndTry("kfk", "cust-kfk", "kafka");
        sign("kfk", "cust-kfk");
        eventually(query("/api/v1/customers/cust-kfk/timeline"), r -> r.json().path("events").size() == 4);
        caughtUp();
        // a rebuild replays the history into a read model: it must not publish anything again
        ByteArrayOutputStream rebuildOut = new ByteArrayOutputStream();
        int rebuilt = org.salesledger.launcher.cli.RebuildCommand.run(URI.create("http://localhost:"
                + system.queryPort()), "timeline", new PrintStream(rebuildOut, true, StandardCharsets.UTF_8),
                new PrintStream(rebuildOut, true, StandardCharsets.UTF_8));
        assertThat(rebuilt).as("rebuild output: %s", rebuildOut).isZero();
        List<String> stored = storedActionIds();
        String bootstrap = settings.kafkaBootstrap();

        List<TopicRecords.Received> received = TopicRecords.readUntil(bootstrap, "salesledger.actions.v1",
                r -> ofThisRun(r).stream().map(TopicRecords.Received::id).toList().containsAll(stored),
                Duration.ofSeconds(60));

        List<TopicRecords.Received> mine = ofThisRun(received);
        assertThat(mine).extracting(TopicRecords.Received::id).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(mine).as("published once: neither the rebuild nor the query side published again")
                .extracting(TopicRecords.Received::id).doesNotHaveDuplicates();
        assertThat(mine).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().get("subject").asText());
            assertThat(r.contentType()).isEqualTo("application/cloudevents+json");
        });
        TopicRecords.Received registered = mine.stream().filter(r -> r.id().equals("kfk-1")).findFirst().orElseThrow();
        assertThat(registered.value().get("type").asText()).isEqualTo("CustomerRegistered");
        assertThat(registered.value().get("time").asText()).isEqualTo("2025-03-01T09:00:00+08:00");
        assertThat(registered.value().get("data").get("name").asText()).isEqualTo(SQL_AND_HTML);
        assertThat(registered.value().get("data").get("wechat").get("tags").get(0).asText()).isEqualTo("vip");
        assertThat(mine.stream().filter(r -> r.key().equals("cust-kfk")).map(TopicRecords.Received::id))
                .containsExactly("kfk-1", "kfk-2", "kfk-3", "kfk-4");
        assertThat(get(command("/actuator/health/kafka")).json().get("status").asText()).isEqualTo("UP");
        assertThat(get(query("/api/v1/admin/kafka-relay")).status()).as("the query side runs no relay")
                .isEqualTo(404);
    }

    @Test
    void theReplayCommandRepublishesTheHistoryIntoANamedTopicAndRefusesTheLiveOne() throws Exception {
        imported("rpl", "replay");
        registerAndPropose("rpl", "cust-rpl", "replay");
        List<String> stored = storedActionIds();
        String topic = "e2e-new-integrator-" + java.util.UUID.randomUUID();
        URI url = URI.create("http://localhost:" + system.commandPort());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ByteArrayOutputStream refusal = new ByteArrayOutputStream();

        int exit = org.salesledger.launcher.cli.ReplayKafkaCommand.run(url, topic, "2000-01-01T00:00:00Z", false,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(progress, true,
                        StandardCharsets.UTF_8));
        int refused = org.salesledger.launcher.cli.ReplayKafkaCommand.run(url, "salesledger.actions.v1", null,
                false, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(refusal, true, StandardCharsets.UTF_8));
        List<TopicRecords.Received> replayed = TopicRecords.readUntil(settings.kafkaBootstrap(), topic,
                r -> r.stream().map(TopicRecords.Received::id).toList().containsAll(stored), Duration.ofSeconds(60));

        assertThat(exit).as("replay output: %s %s", out, progress).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("republished " + stored.size() + " actions");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("100%", "events");
        assertThat(replayed).extracting(TopicRecords.Received::id).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(refused).isEqualTo(1);
        assertThat(refusal.toString(StandardCharsets.UTF_8)).contains("409", "live topic");
    }

    /** The records this run published: stored after the class started (an external broker may hold older ones). */
    /**
     * The records this class's system stored: recorded since it started (the topic is shared by every test class
     * of the run, and the one before may have stored its last actions seconds before this one started; one clock).
     */
    private static List<TopicRecords.Received> ofThisRun(List<TopicRecords.Received> received) {
        return received.stream().filter(r -> !java.time.Instant.parse(r.value().path("recordedat").asText())
                .isBefore(started)).toList();
    }

    private static List<String> storedActionIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.dbUrl(), settings.dbUser(),
                settings.dbPassword()); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT convert_from(meta_data, 'UTF8')::jsonb ->> 'actionId' "
                     + "FROM domain_event_entry ORDER BY global_index")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        assertThat(ids).hasSizeGreaterThan(40);
        return ids;
    }

    @Test
    void aSnoozedCustomerLeavesTheWorkListsUntilItsDateAndASnoozeUntilThePastEndsIt() throws Exception {
        imported("snz", "snooze-north");
        eventually(query("/api/v1/idle?days=7&region=snooze-north&limit=1000"),
                r -> r.status() == 200 && r.json().get("customers").size() == 20);
        String until = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30).toString();
        Response snoozed = post(command("/api/v1/actions"), envelope("e2e-snooze-1", "CustomerSnoozed", "cust-snz-3",
                "2025-03-20T10:00:00+08:00", "{\"until\":\"" + until + "\",\"reason\":\"champion on holiday\"}"));
        Response invalid = post(command("/api/v1/actions"), envelope("e2e-snooze-bad", "CustomerSnoozed",
                "cust-snz-3", "2025-03-20T10:00:00+08:00", "{\"until\":\"after the fair\",\"reason\":\" \"}"));
        Response unknown = post(command("/api/v1/actions"), envelope("e2e-snooze-nobody", "CustomerSnoozed",
                "nobody", "2025-03-20T10:00:00+08:00", "{\"until\":\"2025-04-01\",\"reason\":\"holiday\"}"));

        assertThat(snoozed.status()).isEqualTo(202);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("data.until", "data.reason");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("not registered");
        JsonNode idle = eventually(query("/api/v1/idle?days=7&region=snooze-north&limit=1000"),
                r -> r.status() == 200 && r.json().get("customers").size() == 19).json();
        assertThat(idle.get("customers")).extracting(c -> c.get("customerId").asText()).doesNotContain("cust-snz-3");
        JsonNode withSnoozed = get(query("/api/v1/idle?days=7&region=snooze-north&limit=1000&includeSnoozed=true"))
                .json();
        assertThat(withSnoozed.get("customers")).hasSize(20)
                .filteredOn(c -> c.get("customerId").asText().equals("cust-snz-3")).singleElement().satisfies(c -> {
                    assertThat(c.get("snoozedUntil").asText()).isEqualTo(until);
                    assertThat(c.get("snoozeReason").asText()).isEqualTo("champion on holiday");
                    assertThat(c.get("lastActionType").asText()).isEqualTo("TouchpointRecorded");
                });
        assertThat(get(query("/api/v1/stalled?stage=FIRST_CONTACT&olderThan=P1D&region=snooze-north&limit=1000")).json()
                .get("customers")).hasSize(19);
        assertThat(get(query("/api/v1/stalled?stage=FIRST_CONTACT&olderThan=P1D&region=snooze-north&limit=1000"
                + "&includeSnoozed=true")).json().get("customers")).hasSize(20);

        post(command("/api/v1/actions"), envelope("e2e-snooze-2", "CustomerSnoozed", "cust-snz-3",
                "2025-03-21T10:00:00+08:00", "{\"until\":\"2025-03-21\",\"reason\":\"champion is back\"}"));
        JsonNode awake = eventually(query("/api/v1/idle?days=7&region=snooze-north&limit=1000"),
                r -> r.status() == 200 && r.json().get("customers").size() == 20).json();
        assertThat(awake.get("customers")).allSatisfy(c -> assertThat(c.has("snoozedUntil")).isFalse());
    }

    /** Contract §8: a message is an action like any other, and its read receipt an observation that names it. */
    @Test
    void aMessageAndItsReadReceiptAreInTheTimelineAndOnKafkaAndMoveNoStage() throws Exception {
        registerAndPropose("msg", "cust-msg", "east");
        Response message = post(command("/api/v1/actions"), envelope("msg-3", "MessageSent", "cust-msg",
                "2025-03-06T10:00:00+08:00", "{\"channel\":\"wechat\",\"templateId\":\"tpl-price-list\","
                        + "\"refActionId\":\"msg-2\",\"summary\":\"sent the revised price list\","
                        + "\"wechatMsgId\":\"wx-88\"}"));
        Response receipt = post(command("/api/v1/actions"), envelope("msg-4", "CustomerActionObserved", "cust-msg",
                "2025-03-06T18:00:00+08:00", "{\"kind\":\"message_read\",\"refActionId\":\"msg-3\"}"));
        Response invalid = post(command("/api/v1/actions"), envelope("msg-bad", "MessageSent", "cust-msg",
                "2025-03-07T10:00:00+08:00", "{\"summary\":42,\"templateId\":{\"id\":7}}"));

        assertThat(message.status()).isEqualTo(202);
        assertThat(receipt.status()).isEqualTo(202);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("data.channel", "data.summary", "data.templateId");
        JsonNode events = eventually(query("/api/v1/customers/cust-msg/timeline"),
                t -> t.status() == 200 && t.json().get("events").size() == 4).json().get("events");
        assertThat(events).extracting(e -> e.get("id").asText()).containsExactly("msg-1", "msg-2", "msg-3", "msg-4");
        JsonNode sent = events.get(2);
        assertThat(sent.get("type").asText()).isEqualTo("MessageSent");
        assertThat(sent.get("actor").asText()).isEqualTo("rep-07");
        assertThat(sent.get("data")).isEqualTo(new ObjectMapper().readTree("{\"channel\":\"wechat\","
                + "\"templateId\":\"tpl-price-list\",\"refActionId\":\"msg-2\","
                + "\"summary\":\"sent the revised price list\",\"wechatMsgId\":\"wx-88\"}"));
        assertThat(events.get(3).get("type").asText()).isEqualTo("CustomerActionObserved");
        assertThat(events.get(3).get("data").get("kind").asText()).isEqualTo("message_read");
        assertThat(events.get(3).get("data").get("refActionId").asText()).isEqualTo("msg-3");
        JsonNode state = get(query("/api/v1/customers/cust-msg/state")).json();
        assertThat(state.get("stage").asText()).as("a message and its receipt leave the stage").isEqualTo("PROPOSAL_SENT");

        List<TopicRecords.Received> received = TopicRecords.readUntil(settings.kafkaBootstrap(),
                "salesledger.actions.v1", r -> ofThisRun(r).stream().map(TopicRecords.Received::id).toList()
                        .containsAll(List.of("msg-3", "msg-4")), Duration.ofSeconds(60));
        TopicRecords.Received published = ofThisRun(received).stream().filter(r -> r.id().equals("msg-3"))
                .findFirst().orElseThrow();
        assertThat(published.key()).isEqualTo("cust-msg");
        assertThat(published.value().get("type").asText()).isEqualTo("MessageSent");
        assertThat(published.value().get("data")).isEqualTo(sent.get("data"));
    }

    /** The indexes of the read-model tables, by table and definition (index names left out). */
    private static List<String> readModelIndexes() throws Exception {
        List<String> indexes = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.dbUrl(), settings.dbUser(),
                settings.dbPassword()); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT tablename, indexdef FROM pg_indexes "
                     + "WHERE tablename LIKE 'timeline\\_%' OR tablename LIKE 'funnel\\_%'")) {
            while (rs.next()) {
                indexes.add(rs.getString(1) + ": " + rs.getString(2).replaceFirst("INDEX \\S+ ON", "INDEX ON"));
            }
        }
        java.util.Collections.sort(indexes);
        return indexes;
    }

    /** The primary keys and unique constraints of the read-model tables, by table and definition. */
    private static List<String> readModelConstraints() throws Exception {
        List<String> constraints = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.dbUrl(), settings.dbUser(),
                settings.dbPassword()); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT conrelid::regclass::text, contype, "
                     + "pg_get_constraintdef(oid) FROM pg_constraint WHERE contype IN ('p', 'u') "
                     + "AND (conrelid::regclass::text LIKE 'timeline\\_%' "
                     + "OR conrelid::regclass::text LIKE 'funnel\\_%')")) {
            while (rs.next()) {
                constraints.add(rs.getString(1) + ": " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        java.util.Collections.sort(constraints);
        return constraints;
    }

    /** Every row of every read-model table, as text, in a stable order. */
    @Test
    void eachSideDescribesItsHttpApiInOpenApiIncludingTheContractsPaths() throws Exception {
        JsonNode command = get(command("/v3/api-docs")).json();
        JsonNode query = get(query("/v3/api-docs")).json();

        assertThat(command.get("openapi").asText()).startsWith("3.");
        assertThat(command.get("info").get("title").asText()).contains("command side");
        assertThat(command.get("paths").fieldNames()).toIterable()
                .contains("/api/v1/actions", "/api/v1/import");
        assertThat(query.get("info").get("title").asText()).contains("query side");
        assertThat(query.get("paths").fieldNames()).toIterable()
                .contains("/api/v1/customers/{id}/timeline", "/api/v1/funnel");
    }

    private static List<String> readModelRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.dbUrl(), settings.dbUser(),
                settings.dbPassword()); java.sql.Statement st = c.createStatement()) {
            for (String query : List.of("SELECT * FROM timeline_event ORDER BY action_id",
                    "SELECT * FROM funnel_customer ORDER BY customer_id",
                    "SELECT * FROM funnel_stage_stay ORDER BY customer_id, stage",
                    "SELECT * FROM funnel_tally ORDER BY dimension, value, day, stage, furthest_rank",
                    "SELECT * FROM funnel_stay_tally ORDER BY dimension, value, day, stage")) {
                try (java.sql.ResultSet rs = st.executeQuery(query)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            row.append(rs.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        assertThat(rows).hasSizeGreaterThan(40);
        return rows;
    }

    // ---- helpers ----

    /**
     * A customer registered (action {@code prefix-1}, a name to trip SQL and HTML, WeChat details) and sent a
     * proposal (action {@code prefix-2}, an amount with two decimals).
     */
    private static void registerAndPropose(String prefix, String customer, String region) throws Exception {
        assertThat(post(command("/api/v1/actions"), envelope(prefix + "-1", "CustomerRegistered", customer,
                "2025-03-01T09:00:00+08:00", "{\"name\":" + new ObjectMapper().writeValueAsString(SQL_AND_HTML)
                        + ",\"region\":\"" + region + "\",\"ownerRepId\":\"rep-07\",\"channel\":\"exhibition\","
                        + "\"wechat\":{\"openId\":\"o-1\",\"tags\":[\"vip\"]}}")).status()).isEqualTo(202);
        assertThat(post(command("/api/v1/actions"), envelope(prefix + "-2", "ProposalSent", customer,
                "2025-03-05T10:00:00+08:00", "{\"document\":{\"uri\":\"s3://p/1.pdf\",\"mediaType\":\"application/pdf\"},"
                        + "\"expectedDecisionDate\":\"2025-04-01\",\"keyParameters\":[\"price\",\"delivery\",\"warranty\"],"
                        + "\"amount\":{\"value\":\"1200.50\",\"currency\":\"CNY\"}}")).status()).isEqualTo(202);
    }

    /** {@link #registerAndPropose} and then a trial requested (action {@code prefix-3}, 10 March 2025). */
    private static void registerProposeAndTry(String prefix, String customer, String region) throws Exception {
        registerAndPropose(prefix, customer, region);
        assertThat(post(command("/api/v1/actions"), envelope(prefix + "-3", "TrialRequested", customer,
                "2025-03-10T10:00:00+08:00", "{\"product\":\"X-ray\"}")).status()).isEqualTo(202);
    }

    /** A contract signed (action {@code prefix-4}). */
    private static void sign(String prefix, String customer) throws Exception {
        assertThat(post(command("/api/v1/actions"), envelope(prefix + "-4", "ContractSigned", customer,
                "2025-03-20T10:00:00+08:00", "{\"contractId\":\"K-9\",\"amount\":{\"value\":\"99000\","
                        + "\"currency\":\"CNY\"}}")).status()).isEqualTo(202);
    }

    /**
     * An import file: 20 customers {@code cust-prefix-0..19} of the region registered and touched (40 valid actions),
     * a line that is no JSON and an invalid touchpoint.
     */
    private static Path importFile(String prefix, String region) throws IOException {
        Path file = Files.createTempFile(dataDir, prefix, ".ndjson");
        List<String> lines = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            lines.add(envelope(prefix + "-r" + c, "CustomerRegistered", "cust-" + prefix + "-" + c,
                    "2025-01-01T08:00:00Z", "{\"name\":\"C" + c + "\",\"region\":\"" + region
                            + "\",\"ownerRepId\":\"rep-1\",\"channel\":\"web\"}"));
            lines.add(envelope(prefix + "-t" + c, "TouchpointRecorded", "cust-" + prefix + "-" + c,
                    "2025-01-02T08:00:00Z", "{\"channel\":\"wechat\"}"));
        }
        lines.add("{oops");
        lines.add(envelope(prefix + "-x", "TouchpointRecorded", "cust-" + prefix + "-0", "2025-01-03T08:00:00Z", "{}"));
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** The {@link #importFile} of the prefix and region imported: its 40 valid actions accepted. */
    private static void imported(String prefix, String region) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = ImportCommand.run(URI.create("http://localhost:" + system.commandPort()), importFile(prefix, region),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("(?i)accepted\\D+40");
    }

    /** The groups of a funnel grouped by region whose keys start with the prefix (one test's regions), in order. */
    private static List<JsonNode> ownGroups(JsonNode funnel, String prefix) {
        List<JsonNode> groups = new ArrayList<>();
        funnel.path("groups").forEach(g -> {
            if (g.get("key").asText().startsWith(prefix)) {
                groups.add(g);
            }
        });
        return groups;
    }

    /** Waits until the timeline and the funnel have applied every stored event. */
    private static void caughtUp() throws Exception {
        for (String readModel : List.of("timeline", "funnel")) {
            java.util.regex.Pattern lag = java.util.regex.Pattern.compile(
                    "salesledger_projection_lag_events\\{readModel=\"" + readModel + "\"} (\\S+)");
            eventually(query("/actuator/prometheus"), r -> {
                java.util.regex.Matcher m = lag.matcher(r.body());
                return m.find() && Double.parseDouble(m.group(1)) == 0;
            });
        }
    }

    static String envelope(String id, String type, String customer, String time, String data) {
        return TestHttp.envelope(id, type, customer, time, "rep-07", data);
    }

    private static URI command(String path) {
        return URI.create("http://localhost:" + system.commandPort() + path);
    }

    private static URI query(String path) {
        return URI.create("http://localhost:" + system.queryPort() + path);
    }

    private static Response post(URI uri, String body) throws IOException, InterruptedException {
        return TestHttp.post(uri, body, "Content-Type", "application/json", "X-Device-Id", "tablet-e2e");
    }

    /** Waits for the read model to catch up; fails with the last answer after 30 s. */
    private static Response eventually(URI uri, Predicate<Response> done) throws Exception {
        Response last = TestHttp.eventually(uri, done, Duration.ofSeconds(120));
        assertThat(done.test(last)).as("read model caught up; last answer: %s", last.body()).isTrue();
        return last;
    }
}
