package org.salesledger.command.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.kernel.envelope.FieldLimits;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestHttp.Response;
import org.salesledger.testing.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What a hostile client can send, over HTTP against a real PostgreSQL: NUL characters, unpaired surrogates, values
 * longer than the columns that keep them, absurd numbers and nesting — each refused with {@code 400} naming the
 * field, never a {@code 500}, and nothing stored; the import gives the same errors per line.
 */
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=command-service", TestHttp.ADMIN_SECRET_PROPERTY, "salesledger.import.batch-size=3"})
class HostileInputIT {

    @LocalServerPort
    int port;

    @org.junit.jupiter.api.BeforeEach
    void signInAsAdmin() {
        TestHttp.signInAsAdmin(port);
    }

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestPostgres.TestDatabase db = TestPostgres.newDatabase();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }

    private static final String NUL = "\\u0000";
    private static final String LONE_SURROGATE = "\\ud800";

    /** A visit in which one JSON text ({@code %s} of the template) is replaced by the hostile one. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "NUL in the id           | id                             | {\"id\":\"v-%s\"}",
            "NUL in the subject      | subject                        | {\"subject\":\"c-%s\"}",
            "NUL in the actor        | actor                          | {\"actor\":\"rep-%s\"}",
            "NUL in the source       | source                         | {\"source\":\"/t/%s\"}",
            "NUL in a data text      | data.notes                     | {\"data.notes\":\"note %s\"}",
            "NUL in a list item      | data.objections[0]             | {\"data.objections\":[\"price %s\"]}",
            "NUL in free-form data   | data.crm.tags[1]               | {\"data.crm\":{\"tags\":[\"a\",\"b %s\"]}}",
            "NUL in a free-form key  | data.crm.k\\u0000             | {\"data.crm\":{\"k%s\":1}}"})
    void aNulCharacterIsRefusedNamingTheFieldAndNothingIsStored(String name, String field, String where)
            throws Exception {
        String body = visitWith(where.formatted(NUL));
        long before = allEvents();

        Response response = post("/api/v1/actions", body);

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(fields(response)).contains(field);
        assertThat(messageOf(response, field)).contains("U+0000");
        assertThat(allEvents()).isEqualTo(before);
    }

    @Test
    void anUnpairedSurrogateIsRefusedNamingTheField() throws Exception {
        Response inNotes = post("/api/v1/actions", visitWith("{\"data.notes\":\"x" + LONE_SURROGATE + "y\"}"));
        Response inSubject = post("/api/v1/actions", visitWith("{\"subject\":\"c" + LONE_SURROGATE + "\"}"));
        Response aPairIsFine = post("/api/v1/actions", visitWith("{\"id\":\"v-pair\",\"data.notes\":\"\\ud83d\\ude00\"}"));

        assertThat(inNotes.status()).as(inNotes.toString()).isEqualTo(400);
        assertThat(fields(inNotes)).containsExactly("data.notes");
        assertThat(messageOf(inNotes, "data.notes")).contains("surrogate");
        assertThat(inSubject.status()).as(inSubject.toString()).isEqualTo(400);
        assertThat(fields(inSubject)).contains("subject");
        assertThat(aPairIsFine.status()).as(aPairIsFine.toString()).isEqualTo(202);
    }

    @ParameterizedTest(name = "{0} over its limit")
    @CsvSource(delimiter = '|', value = {
            "source              | source",
            "data.notes          | data.notes",
            "data.contactRole    | data.contactRole",
            "data.deviceId       | data.deviceId"})
    void aValueLongerThanItsLimitIsRefusedNamingTheFieldAndTheLimit(String path, String field) throws Exception {
        int limit = limitOf(path);
        String tooLong = "x".repeat(limit + 1);
        String justRight = "y".repeat(limit);

        Response refused = post("/api/v1/actions", visitWith("{\"" + path + "\":\"" + tooLong + "\"}"));
        Response accepted = post("/api/v1/actions",
                visitWith("{\"id\":\"v-limit-" + path + "\",\"" + path + "\":\"" + justRight + "\"}"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(fields(refused)).containsExactly(field);
        assertThat(messageOf(refused, field)).contains("at most " + limit + " characters");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    }

    @Test
    void aCustomerNameLongerThanTheFunnelKeepsIsRefused() throws Exception {
        String name = "n".repeat(FieldLimits.dataLimit("CustomerRegistered", "name") + 1);

        Response response = post("/api/v1/actions", CommandApiIT.envelope("reg-long", "CustomerRegistered", "c-long",
                "{\"name\":\"" + name + "\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(fields(response)).containsExactly("data.name");
    }

    @Test
    void aDeviceIdHeaderLongerThanItsLimitIsRefusedNamingTheHeader() throws Exception {
        String device = "d".repeat(FieldLimits.DEVICE_ID + 1);

        Response single = TestHttp.post(URI.create(base() + "/api/v1/actions"), visitWith("{}"),
                "Content-Type", "application/json", "X-Device-Id", device);
        Response imported = TestHttp.post(URI.create(base() + "/api/v1/import"), visitWith("{}"),
                "Content-Type", "application/x-ndjson", "X-Device-Id", device);

        assertThat(single.status()).as(single.toString()).isEqualTo(400);
        assertThat(fields(single)).containsExactly("X-Device-Id");
        assertThat(imported.status()).as(imported.toString()).isEqualTo(400);
        assertThat(fields(imported)).containsExactly("X-Device-Id");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a number no column keeps | data.huge     | {\"data.huge\":1e999999999}",
            "a tiny number            | data.tiny     | {\"data.tiny\":1e-999999999}",
            "free-form data too deep  | data.deep     | {\"data.deep\":" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
            "a year beyond 9999       | time          | {\"time\":\"10000-01-01T00:00:00Z\"}",
            "an offset beyond 18 h    | time          | {\"time\":\"2025-03-01T09:30:00+19:00\"}",
            "an offset PostgreSQL refuses | time      | {\"time\":\"2025-03-01T09:30:00-18:00\"}",
            "an offset beyond 14 h    | time          | {\"time\":\"2025-03-01T09:30:00+14:01\"}",
            "a UTC time beyond 9999   | time          | {\"time\":\"9999-12-31T23:00:00-05:00\"}",
            "a UTC time before year 1 | time          | {\"time\":\"0001-01-01T00:00:00+01:00\"}",
            "a year 0                 | time          | {\"time\":\"0000-01-01T00:00:00Z\"}"})
    void oddNumbersNestingAndTimesAreRefusedNamingTheField(String name, String field, String where)
            throws Exception {
        Response response = post("/api/v1/actions", visitWith(where));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(fields(response)).containsExactly(field);
    }

    @Test
    void aDateBeyondTheYear9999IsRefusedNamingTheField() throws Exception {
        post("/api/v1/actions", CommandApiIT.registered("reg-snooze", "c-snooze"));

        Response response = post("/api/v1/actions", CommandApiIT.envelope("snooze-far", "CustomerSnoozed",
                "c-snooze", "{\"until\":\"+999999999-12-31\",\"reason\":\"holiday\"}"));

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(fields(response)).containsExactly("data.until");
    }

    @Test
    void anImportRefusesTheSameLinesWithTheSameFieldsAndStoresTheOthers() throws Exception {
        String body = String.join("\n",
                CommandApiIT.registered("imp-h-0", "c-imp-h"),
                visitWith("{\"id\":\"imp-h-1\",\"subject\":\"c-imp-h\",\"data.notes\":\"a" + NUL + "\"}"),
                visitWith("{\"id\":\"imp-h-2\",\"subject\":\"c-imp-h\",\"source\":\"" + "s".repeat(5000) + "\"}"),
                // a raw NUL byte inside a string of the line, not escaped
                visitWith("{\"id\":\"imp-h-3\",\"subject\":\"c-imp-h\",\"data.notes\":\"raw\u0000nul\"}"),
                visitWith("{\"id\":\"imp-h-4\",\"subject\":\"c-imp-h\",\"data.crm\":{\"x\":\"" + LONE_SURROGATE + "\"}}"),
                visitWith("{\"id\":\"imp-h-5\",\"subject\":\"c-imp-h\"}"));

        Response response = post("/api/v1/import", body);

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().get("accepted").asLong()).isEqualTo(2);
        assertThat(response.json().get("rejected").asLong()).isEqualTo(4);
        List<String> errors = new ArrayList<>();
        response.json().get("errors").forEach(e -> errors.add(e.get("line").asLong() + ":" + e.get("field").asText()));
        assertThat(errors).containsExactly("2:data.notes", "3:source", "4:data.notes", "5:data.crm.x");
        assertThat(eventsOf("c-imp-h")).isEqualTo(2);
    }

    // ---- helpers ----

    private static int limitOf(String path) {
        return path.startsWith("data.") ? FieldLimits.dataLimit("VisitLogged", path.substring(5))
                : FieldLimits.envelopeLimit(path);
    }

    /**
     * A valid visit of customer {@code c-hostile} (registered first) with the given replacements: {@code {"id":…,
     * "data.notes":…}} sets top-level fields or fields of {@code data} (as JSON values).
     */
    private String visitWith(String replacements) throws Exception {
        ensureRegistered();
        var json = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        var visit = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(CommandApiIT.envelope("v-hostile-"
                + System.nanoTime(), "VisitLogged", "c-hostile",
                "{\"contactRole\":\"equipment\",\"location\":{\"lat\":31.2,\"lon\":121.5}}"));
        // the replacements are spliced as text so that escapes such as \u0000 and \ud800 reach the server as sent
        String text = visit.toString();
        var replaced = json.readTree(replacements.replace("\\u0000", "@NUL@").replace("\\ud800", "@SUR@")
                .replace("\u0000", "@RAW@").replace("\\ud83d\\ude00", "@EMOJI@"));
        StringBuilder data = new StringBuilder();
        var names = replaced.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (key.startsWith("data.")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) visit.get("data")).set(key.substring(5),
                        replaced.get(key));
            } else {
                visit.set(key, replaced.get(key));
            }
        }
        text = visit.toString();
        return text.replace("@NUL@", "\\u0000").replace("@SUR@", "\\ud800").replace("@RAW@", "\u0000")
                .replace("@EMOJI@", "\\ud83d\\ude00");
    }

    private boolean registered;

    private void ensureRegistered() throws IOException, InterruptedException {
        if (!registered) {
            Response response = post("/api/v1/actions", CommandApiIT.registered("reg-hostile", "c-hostile"));
            assertThat(response.status()).isEqualTo(202);
            registered = true;
        }
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private Response post(String path, String body) throws IOException, InterruptedException {
        return TestHttp.post(URI.create(base() + path), body,
                "Content-Type", path.endsWith("import") ? "application/x-ndjson" : "application/json");
    }

    private static List<String> fields(Response response) {
        List<String> fields = new ArrayList<>();
        response.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    private static String messageOf(Response response, String field) {
        for (var error : response.json().get("errors")) {
            if (error.get("field").asText().equals(field)) {
                return error.get("message").asText();
            }
        }
        throw new AssertionError("no error for " + field + " in " + response);
    }

    private long eventsOf(String customer) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, customer);
    }

    private long allEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
    }
}
