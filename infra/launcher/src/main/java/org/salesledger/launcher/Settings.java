package org.salesledger.launcher;

import java.nio.file.Path;
import java.util.Map;

/** The settings of contract §5, read from the environment (or the matching system properties). */
public record Settings(int commandPort, int queryPort, Path dataDir, int kafkaPort, String dbUrl, String dbUser,
                       String dbPassword, String kafkaBootstrap) {

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    static Settings from(Map<String, String> env) {
        return new Settings(
                port(env, "SALESLEDGER_COMMAND_PORT", 8081),
                port(env, "SALESLEDGER_QUERY_PORT", 8082),
                Path.of(value(env, "SALESLEDGER_DATA_DIR", "./.salesledger")).toAbsolutePath().normalize(),
                port(env, "SALESLEDGER_KAFKA_PORT", 9092),
                value(env, "SALESLEDGER_DB_URL", null),
                value(env, "SALESLEDGER_DB_USER", null),
                value(env, "SALESLEDGER_DB_PASSWORD", null),
                value(env, "SALESLEDGER_KAFKA_BOOTSTRAP", null));
    }

    public Settings withPorts(int command, int query, int kafka) {
        return new Settings(command, query, dataDir, kafka, dbUrl, dbUser, dbPassword, kafkaBootstrap);
    }

    public Settings withDataDir(Path dir) {
        return new Settings(commandPort, queryPort, dir, kafkaPort, dbUrl, dbUser, dbPassword, kafkaBootstrap);
    }

    public Settings withDatabase(String url, String user, String password) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, url, user, password, kafkaBootstrap);
    }

    public Settings withKafka(String bootstrap) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, dbUrl, dbUser, dbPassword, bootstrap);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        // -Dsalesledger.command-port=… (Spring's spelling) or -Dsalesledger.command.port=…
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String fromProperty = System.getProperty(lower.replaceFirst("_", ".").replace('_', '-'),
                System.getProperty(lower.replace('_', '.')));
        String value = fromProperty != null ? fromProperty : env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = value(env, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (0-65535), got '" + value + "'");
        }
    }
}
