package org.salesledger.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;

/** The settings of contract §5, read from the environment (or the matching system properties). */
public record Settings(int commandPort, int queryPort, Path dataDir, int kafkaPort, String dbUrl, String dbUser,
                       String dbPassword, String kafkaBootstrap, String bindAddress) {

    /** Loopback only unless {@code SALESLEDGER_BIND_ADDRESS} says otherwise (ADR 0028). */
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

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
                value(env, "SALESLEDGER_KAFKA_BOOTSTRAP", null),
                bindAddress(env, "SALESLEDGER_BIND_ADDRESS"));
    }

    public Settings withPorts(int command, int query, int kafka) {
        return new Settings(command, query, dataDir, kafka, dbUrl, dbUser, dbPassword, kafkaBootstrap, bindAddress);
    }

    public Settings withDataDir(Path dir) {
        return new Settings(commandPort, queryPort, dir, kafkaPort, dbUrl, dbUser, dbPassword, kafkaBootstrap,
                bindAddress);
    }

    public Settings withDatabase(String url, String user, String password) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, url, user, password, kafkaBootstrap,
                bindAddress);
    }

    public Settings withKafka(String bootstrap) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, dbUrl, dbUser, dbPassword, bootstrap,
                bindAddress);
    }

    public Settings withBindAddress(String address) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, dbUrl, dbUser, dbPassword, kafkaBootstrap,
                address);
    }

    /** Whether the bind address is the wildcard (every interface). */
    public boolean bindsEveryInterface() {
        return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.equals("[::]");
    }

    /**
     * Where a command on this machine reaches a side listening on {@code port}: {@code localhost} when the sides are
     * bound to loopback or to every interface, else the bind address itself.
     */
    public java.net.URI localUri(int port) {
        boolean loopback = bindsEveryInterface() || bindAddress.equals("localhost") || bindAddress.startsWith("127.")
                || bindAddress.equals("::1") || bindAddress.equals("[::1]");
        String host = loopback ? "localhost"
                : bindAddress.contains(":") && !bindAddress.startsWith("[") ? "[" + bindAddress + "]" : bindAddress;
        return java.net.URI.create("http://" + host + ":" + port);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        // -Dsalesledger.command-port=… (Spring's spelling) or -Dsalesledger.command.port=…
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String fromProperty = System.getProperty(lower.replaceFirst("_", ".").replace('_', '-'),
                System.getProperty(lower.replace('_', '.')));
        String value = fromProperty != null ? fromProperty : env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** An IP address (v4, or v6 with or without brackets) or a host name; not resolved here. */
    private static String bindAddress(Map<String, String> env, String name) {
        String value = value(env, name, null);
        if (value == null) {
            return DEFAULT_BIND_ADDRESS;
        }
        boolean valid;
        if (value.contains(":")) {
            String literal = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1)
                    : value;
            valid = isIpv6Literal(literal);
        } else if (IPV4.matcher(value).matches()) {
            valid = Arrays.stream(value.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        } else {
            valid = HOST_NAME.matcher(value).matches() && !value.matches("[0-9.]+");
        }
        if (!valid) {
            throw new IllegalArgumentException(name + " must be an IP address or a host name (e.g. 127.0.0.1, "
                    + "0.0.0.0 for every interface), got '" + value + "'");
        }
        return value;
    }

    private static boolean isIpv6Literal(String literal) {
        if (!literal.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?")) {
            return false;
        }
        try {
            // a literal with ':' is parsed, never looked up
            return InetAddress.getByName(literal) != null;
        } catch (UnknownHostException e) {
            return false;
        }
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
