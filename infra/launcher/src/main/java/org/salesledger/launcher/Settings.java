package org.salesledger.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import org.salesledger.launcher.cli.BadSetting;

import static org.salesledger.launcher.cli.EnvironmentVariable.BIND_ADDRESS;
import static org.salesledger.launcher.cli.EnvironmentVariable.COMMAND_PORT;
import static org.salesledger.launcher.cli.EnvironmentVariable.DATA_DIR;
import static org.salesledger.launcher.cli.EnvironmentVariable.DB_PASSWORD;
import static org.salesledger.launcher.cli.EnvironmentVariable.DB_URL;
import static org.salesledger.launcher.cli.EnvironmentVariable.DB_USER;
import static org.salesledger.launcher.cli.EnvironmentVariable.KAFKA_BOOTSTRAP;
import static org.salesledger.launcher.cli.EnvironmentVariable.KAFKA_PORT;
import static org.salesledger.launcher.cli.EnvironmentVariable.QUERY_PORT;

/**
 * The settings of contract §5, read from the environment (or the matching system properties) through the one table
 * of variables, {@link org.salesledger.launcher.cli.EnvironmentVariable}; a value that cannot be used is a
 * {@link BadSetting} naming the variable.
 */
public record Settings(int commandPort, int queryPort, Path dataDir, int kafkaPort, String dbUrl, String dbUser,
                       String dbPassword, String kafkaBootstrap, String bindAddress) {

    /** Loopback only unless {@code SALESLEDGER_BIND_ADDRESS} says otherwise (ADR 0028). */
    public static final String DEFAULT_BIND_ADDRESS = BIND_ADDRESS.defaultValue();

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    static Settings from(Map<String, String> env) {
        return new Settings(
                COMMAND_PORT.port(env),
                QUERY_PORT.port(env),
                Path.of(DATA_DIR.readOrDefault(env)).toAbsolutePath().normalize(),
                KAFKA_PORT.port(env),
                DB_URL.read(env),
                DB_USER.read(env),
                DB_PASSWORD.read(env),
                KAFKA_BOOTSTRAP.read(env),
                bindAddress(env));
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

    /** An IP address (v4, or v6 with or without brackets) or a host name; not resolved here. */
    private static String bindAddress(Map<String, String> env) {
        String name = BIND_ADDRESS.variable();
        String value = BIND_ADDRESS.read(env);
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
            throw new BadSetting(name + " must be an IP address or a host name (e.g. 127.0.0.1, "
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

}
