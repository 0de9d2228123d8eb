package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void defaultsAreThoseOfTheContract() {
        Settings settings = Settings.from(Map.of());

        assertThat(settings.commandPort()).isEqualTo(8081);
        assertThat(settings.queryPort()).isEqualTo(8082);
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.dataDir()).isEqualTo(Path.of(".salesledger").toAbsolutePath().normalize());
        assertThat(settings.dbUrl()).isNull();
        assertThat(settings.kafkaBootstrap()).isNull();
    }

    @Test
    void environmentVariablesPlaceEverything() {
        Settings settings = Settings.from(Map.of("SALESLEDGER_COMMAND_PORT", "9001", "SALESLEDGER_QUERY_PORT", "9002",
                "SALESLEDGER_KAFKA_PORT", "9093", "SALESLEDGER_DATA_DIR", "/var/lib/sl",
                "SALESLEDGER_DB_URL", "jdbc:postgresql://db/sl", "SALESLEDGER_DB_USER", "sl",
                "SALESLEDGER_DB_PASSWORD", "secret", "SALESLEDGER_KAFKA_BOOTSTRAP", "kafka:9092"));

        assertThat(settings).isEqualTo(new Settings(9001, 9002, Path.of("/var/lib/sl"), 9093,
                "jdbc:postgresql://db/sl", "sl", "secret", "kafka:9092"));
    }

    @Test
    void aPortThatIsNotANumberIsRefusedWithTheVariableNamed() {
        assertThatThrownBy(() -> Settings.from(Map.of("SALESLEDGER_QUERY_PORT", "eighty")))
                .hasMessageContaining("SALESLEDGER_QUERY_PORT").hasMessageContaining("eighty");
    }

    @Test
    void aSystemPropertyInSpringsSpellingPlacesItToo() {
        System.setProperty("salesledger.query-port", "9999");
        try {
            assertThat(Settings.from(Map.of("SALESLEDGER_QUERY_PORT", "8888")).queryPort()).isEqualTo(9999);
        } finally {
            System.clearProperty("salesledger.query-port");
        }
    }
}
