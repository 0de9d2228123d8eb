package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.salesledger.testing.TestHttp;

/**
 * The default a newcomer gets: nothing configured but a data directory. PostgreSQL and Kafka start embedded,
 * keep their data there, and a second start finds everything the first stored.
 */
class EmbeddedDefaultIT {

    @TempDir
    Path dataDir;

    @Test
    void startsOnEmbeddedServersAndKeepsItsDataAcrossARestart() throws Exception {
        Settings settings = Settings.from(Map.of()).withPorts(0, 0, 0).withDataDir(dataDir);
        String registration = EndToEndIT.envelope("emb-1", "CustomerRegistered", "cust-emb",
                "2025-03-01T09:00:00+08:00",
                "{\"name\":\"Acme\",\"region\":\"east\",\"ownerRepId\":\"rep-07\",\"channel\":\"web\"}");

        String firstAnswer;
        try (EmbeddedSystem system = EmbeddedSystem.start(settings)) {
            TestSystems.signIn(system);
            assertThat(get(system.commandPort(), "/actuator/health")).contains("\"UP\"");
            assertThat(get(system.queryPort(), "/actuator/health")).contains("\"UP\"");
            firstAnswer = post(system.commandPort(), registration);
        }
        String secondAnswer;
        String timeline;
        try (EmbeddedSystem system = EmbeddedSystem.start(settings)) {
            TestSystems.signIn(system);
            secondAnswer = post(system.commandPort(), registration);
            // the query side may still be catching up with what the first start stored: wait for it (polled)
            timeline = TestHttp.eventually(URI.create("http://localhost:" + system.queryPort()
                    + "/api/v1/customers/cust-emb/timeline"), r -> r.status() == 200, Duration.ofSeconds(120)).body();
        }

        assertThat(firstAnswer).contains("\"duplicate\":false");
        assertThat(secondAnswer).contains("\"duplicate\":true");
        assertThat(timeline).contains("\"id\":\"emb-1\"");
        assertThat(dataDir.resolve("postgres")).isDirectoryContaining(p -> p.getFileName().toString().equals("PG_VERSION"));
        assertThat(dataDir.resolve("kafka/logs")).isDirectoryContaining(p -> p.getFileName().toString().equals("meta.properties"));
    }

    @Test
    void portZeroInTheSettingsMeansAnyFreePortNotEachSidesOwnDefault() throws Exception {
        Settings settings = Settings.from(Map.of()).withPorts(0, 0, 0).withDataDir(dataDir);

        try (EmbeddedSystem system = EmbeddedSystem.start(settings)) {
            TestSystems.signIn(system);
            assertThat(system.commandPort()).isNotIn(0, 8081, 8082);
            assertThat(system.queryPort()).isNotIn(0, 8081, 8082, system.commandPort());
            assertThat(get(system.queryPort(), "/actuator/health")).contains("\"UP\"");
        }
    }

    private static String get(int port, String path) throws Exception {
        return TestHttp.get(URI.create("http://localhost:" + port + path)).body();
    }

    private static String post(int port, String body) throws Exception {
        return TestHttp.post(URI.create("http://localhost:" + port + "/api/v1/actions"), body).body();
    }
}
