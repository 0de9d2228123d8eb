package org.salesledger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
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
        assertThat(settings.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.bindsEveryInterface()).isFalse();
        assertThat(settings.role()).isEqualTo(NodeRole.ALL);
        assertThat(settings.commandUrl()).isNull();
    }

    @Test
    void theRoleIsReadFromTheEnvironmentInAnyCase() {
        assertThat(Settings.from(Map.of("SALESLEDGER_ROLE", "command")).role()).isEqualTo(NodeRole.COMMAND);
        assertThat(Settings.from(Map.of("SALESLEDGER_ROLE", " Query ")).role()).isEqualTo(NodeRole.QUERY);
        assertThat(Settings.from(Map.of("SALESLEDGER_ROLE", "ALL")).role()).isEqualTo(NodeRole.ALL);
        assertThat(Settings.from(Map.of("SALESLEDGER_ROLE", "")).role()).as("blank: the default")
                .isEqualTo(NodeRole.ALL);
    }

    @Test
    void aRoleThatIsNoneOfTheThreeIsRefusedNamingTheVariableAndTheRoles() {
        assertThatThrownBy(() -> Settings.from(Map.of("SALESLEDGER_ROLE", "reader")))
                .hasMessage("SALESLEDGER_ROLE must be one of command, query, all, got 'reader'");
    }

    @Test
    void aNodeOfOneRoleNeedsTheSharedPostgresAndKafkaAndAQueryNodeWhoseTokensToTrust() {
        Map<String, String> shared = Map.of("SALESLEDGER_DB_URL", "jdbc:postgresql://db/sl",
                "SALESLEDGER_KAFKA_BOOTSTRAP", "kafka:9092");

        assertThat(Settings.from(Map.of()).checkRole().role()).as("all: embedded servers").isEqualTo(NodeRole.ALL);
        assertThatThrownBy(() -> Settings.from(Map.of("SALESLEDGER_ROLE", "command")).checkRole())
                .hasMessageContaining("SALESLEDGER_DB_URL and SALESLEDGER_KAFKA_BOOTSTRAP");
        assertThatThrownBy(() -> Settings.from(Map.of("SALESLEDGER_ROLE", "command",
                "SALESLEDGER_DB_URL", "jdbc:postgresql://db/sl")).checkRole())
                .hasMessageContaining("set SALESLEDGER_KAFKA_BOOTSTRAP (")
                .hasMessageNotContaining("SALESLEDGER_DB_URL");
        assertThat(Settings.from(with(shared, "SALESLEDGER_ROLE", "command")).checkRole().role())
                .isEqualTo(NodeRole.COMMAND);
        assertThatThrownBy(() -> Settings.from(with(shared, "SALESLEDGER_ROLE", "query")).checkRole())
                .hasMessageContaining("SALESLEDGER_COMMAND_URL").hasMessageContaining("SALESLEDGER_OIDC_ISSUER_URI");
        assertThat(Settings.from(with(with(shared, "SALESLEDGER_ROLE", "query"), "SALESLEDGER_COMMAND_URL",
                "http://command:8081/")).checkRole().commandUrl()).hasToString("http://command:8081");
        assertThat(Settings.from(with(with(shared, "SALESLEDGER_ROLE", "query"), "SALESLEDGER_OIDC_ISSUER_URI",
                "https://id.example.com/realms/sales")).checkRole().role()).isEqualTo(NodeRole.QUERY);
    }

    @Test
    void withoutEmbeddedServersEveryRoleNeedsAnExternalPostgresAndKafka() {
        Map<String, String> shared = Map.of("SALESLEDGER_DB_URL", "jdbc:postgresql://db/sl",
                "SALESLEDGER_KAFKA_BOOTSTRAP", "kafka:9092");

        assertThat(Settings.from(Map.of()).checkServers(true).dbUrl()).as("the developer launcher: embedded")
                .isNull();
        assertThatThrownBy(() -> Settings.from(Map.of()).checkServers(false))
                .hasMessageContaining("set SALESLEDGER_DB_URL and SALESLEDGER_KAFKA_BOOTSTRAP (");
        assertThatThrownBy(() -> Settings.from(Map.of("SALESLEDGER_KAFKA_BOOTSTRAP", "kafka:9092"))
                .checkServers(false)).hasMessageContaining("set SALESLEDGER_DB_URL (")
                .hasMessageNotContaining("SALESLEDGER_KAFKA_BOOTSTRAP");
        assertThat(Settings.from(shared).checkServers(false).kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(Settings.from(with(shared, "SALESLEDGER_ROLE", "command")).checkServers(false).role())
                .isEqualTo(NodeRole.COMMAND);
    }

    @Test
    void aCommandUrlThatIsNotAnHttpUrlIsRefusedNamingTheVariable() {
        for (String bad : List.of("command:8081", "ftp://command", "http://", "http://bad host")) {
            assertThatThrownBy(() -> Settings.from(Map.of("SALESLEDGER_COMMAND_URL", bad))).as(bad)
                    .hasMessageContaining("SALESLEDGER_COMMAND_URL").hasMessageContaining("'" + bad + "'");
        }
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(env);
        more.put(name, value);
        return more;
    }

    @Test
    void environmentVariablesPlaceEverything() {
        Settings settings = Settings.from(Map.of("SALESLEDGER_COMMAND_PORT", "9001", "SALESLEDGER_QUERY_PORT", "9002",
                "SALESLEDGER_KAFKA_PORT", "9093", "SALESLEDGER_DATA_DIR", "/var/lib/sl",
                "SALESLEDGER_DB_URL", "jdbc:postgresql://db/sl", "SALESLEDGER_DB_USER", "sl",
                "SALESLEDGER_DB_PASSWORD", "secret", "SALESLEDGER_KAFKA_BOOTSTRAP", "kafka:9092",
                "SALESLEDGER_BIND_ADDRESS", "10.1.2.3"));

        assertThat(settings).isEqualTo(new Settings(9001, 9002, Path.of("/var/lib/sl"), 9093,
                "jdbc:postgresql://db/sl", "sl", "secret", "kafka:9092", "10.1.2.3", NodeRole.ALL, null, null));
    }

    @Test
    void theBindAddressMayBeAnyIpAddressOrHostName() {
        assertThat(bindAddress("0.0.0.0")).isEqualTo("0.0.0.0");
        assertThat(Settings.from(Map.of("SALESLEDGER_BIND_ADDRESS", "0.0.0.0")).bindsEveryInterface()).isTrue();
        assertThat(bindAddress(" 192.168.10.20 ")).isEqualTo("192.168.10.20");
        assertThat(bindAddress("::")).isEqualTo("::");
        assertThat(Settings.from(Map.of("SALESLEDGER_BIND_ADDRESS", "::")).bindsEveryInterface()).isTrue();
        assertThat(bindAddress("::1")).isEqualTo("::1");
        assertThat(bindAddress("[fe80::1]")).isEqualTo("[fe80::1]");
        assertThat(bindAddress("localhost")).isEqualTo("localhost");
        assertThat(bindAddress("ledger-01.sales.example.com")).isEqualTo("ledger-01.sales.example.com");
        assertThat(bindAddress("")).as("blank: the default").isEqualTo("127.0.0.1");
    }

    @Test
    void aBindAddressThatIsNeitherAnAddressNorAHostNameIsRefusedInOneLineNamingTheVariable() {
        for (String bad : List.of("256.1.1.1", "1.2.3", "http://0.0.0.0", "0.0.0.0:8081", "my host", "-host",
                "host_name", "1::2::3", "[::1", "a..b")) {
            assertThatThrownBy(() -> bindAddress(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SALESLEDGER_BIND_ADDRESS")
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aBindAddressGivenAsAPropertyInSpringsSpellingPlacesItToo() {
        System.setProperty("salesledger.bind-address", "0.0.0.0");
        try {
            assertThat(Settings.from(Map.of()).bindAddress()).isEqualTo("0.0.0.0");
        } finally {
            System.clearProperty("salesledger.bind-address");
        }
    }

    @Test
    void commandsOnThisMachineReachTheSidesOnLocalhostUnlessTheyAreBoundToOneOtherAddress() {
        assertThat(Settings.from(Map.of()).localUri(8081)).hasToString("http://localhost:8081");
        assertThat(Settings.from(Map.of("SALESLEDGER_BIND_ADDRESS", "0.0.0.0")).localUri(8082))
                .hasToString("http://localhost:8082");
        assertThat(Settings.from(Map.of("SALESLEDGER_BIND_ADDRESS", "10.1.2.3")).localUri(8081))
                .hasToString("http://10.1.2.3:8081");
        assertThat(Settings.from(Map.of("SALESLEDGER_BIND_ADDRESS", "fd00::5")).localUri(8081))
                .hasToString("http://[fd00::5]:8081");
    }

    private static String bindAddress(String value) {
        return Settings.from(Map.of("SALESLEDGER_BIND_ADDRESS", value)).bindAddress();
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
