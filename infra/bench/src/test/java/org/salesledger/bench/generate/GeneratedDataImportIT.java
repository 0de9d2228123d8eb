package org.salesledger.bench.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.salesledger.command.CommandServiceApplication;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Generated data is what the intake accepts: every line of a sample is stored, none refused. */
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=command-service", TestHttp.ADMIN_SECRET_PROPERTY})
class GeneratedDataImportIT {

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

    @Test
    void everyGeneratedLineIsAcceptedByTheImportAndStoredOnce() throws Exception {
        String ndjson = DataGeneratorTest.generate(GeneratorOptions.of(800, 11).withWindow(400));
        long lines = ndjson.lines().count();

        JsonNode report = TestHttp.post(URI.create("http://localhost:" + port + "/api/v1/import"), ndjson,
                "Content-Type", "application/x-ndjson").json();

        assertThat(report.get("errors")).as(report.toString()).isEmpty();
        assertThat(report.get("rejected").asLong()).isZero();
        assertThat(report.get("accepted").asLong()).isEqualTo(lines);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class)).isEqualTo(lines);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT aggregate_identifier) FROM domain_event_entry",
                Long.class)).isEqualTo(800);
    }

    @Test
    void customerOrderedDataIsAcceptedToo() throws Exception {
        String ndjson = DataGeneratorTest.generate(GeneratorOptions.of(200, 12).withWindow(1).withPrefix("seq-"));

        JsonNode report = TestHttp.post(URI.create("http://localhost:" + port + "/api/v1/import"), ndjson,
                "Content-Type", "application/x-ndjson").json();

        assertThat(report.get("rejected").asLong()).as(report.toString()).isZero();
        assertThat(report.get("accepted").asLong()).isEqualTo(ndjson.lines().count());
    }
}
