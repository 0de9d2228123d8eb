package org.salesledger.launcher;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.salesledger.launcher.cli.BadSetting;

import static org.salesledger.launcher.cli.EnvironmentVariable.BIND_ADDRESS;
import static org.salesledger.launcher.cli.EnvironmentVariable.COMMAND_PORT;
import static org.salesledger.launcher.cli.EnvironmentVariable.COMMAND_URL;
import static org.salesledger.launcher.cli.EnvironmentVariable.OIDC_ISSUER_URI;
import static org.salesledger.launcher.cli.EnvironmentVariable.ROLE;
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
                       String dbPassword, String kafkaBootstrap, String bindAddress, NodeRole role,
                       URI commandUrl, String oidcIssuer) {

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
                bindAddress(env),
                NodeRole.parse(ROLE.variable(), ROLE.readOrDefault(env)),
                commandUrl(env),
                OIDC_ISSUER_URI.read(env));
    }

    public Settings withPorts(int command, int query, int kafka) {
        return new Settings(command, query, dataDir, kafka, dbUrl, dbUser, dbPassword, kafkaBootstrap, bindAddress,
                role, commandUrl, oidcIssuer);
    }

    public Settings withDataDir(Path dir) {
        return new Settings(commandPort, queryPort, dir, kafkaPort, dbUrl, dbUser, dbPassword, kafkaBootstrap,
                bindAddress, role, commandUrl, oidcIssuer);
    }

    public Settings withDatabase(String url, String user, String password) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, url, user, password, kafkaBootstrap,
                bindAddress, role, commandUrl, oidcIssuer);
    }

    public Settings withKafka(String bootstrap) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, dbUrl, dbUser, dbPassword, bootstrap,
                bindAddress, role, commandUrl, oidcIssuer);
    }

    public Settings withBindAddress(String address) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, dbUrl, dbUser, dbPassword, kafkaBootstrap,
                address, role, commandUrl, oidcIssuer);
    }

    public Settings withRole(NodeRole newRole) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, dbUrl, dbUser, dbPassword, kafkaBootstrap,
                bindAddress, newRole, commandUrl, oidcIssuer);
    }

    public Settings withCommandUrl(URI url) {
        return new Settings(commandPort, queryPort, dataDir, kafkaPort, dbUrl, dbUser, dbPassword, kafkaBootstrap,
                bindAddress, role, url, oidcIssuer);
    }

    /**
     * Refuses, as a {@link BadSetting} naming what is missing, a role this node cannot run with these settings: a node
     * of one role shares PostgreSQL and Kafka with the others, so it needs external ones (an embedded server would be
     * its own alone); a query-role node also needs to know whose tokens to trust (the command side's keys, or an
     * external issuer).
     */
    public Settings checkRole() {
        if (role == NodeRole.ALL) {
            return this;
        }
        List<String> missing = new ArrayList<>();
        if (dbUrl == null) {
            missing.add(DB_URL.variable());
        }
        if (kafkaBootstrap == null) {
            missing.add(KAFKA_BOOTSTRAP.variable());
        }
        if (!missing.isEmpty()) {
            throw new BadSetting("role " + role.id() + " runs against a shared PostgreSQL and Kafka, never embedded "
                    + "ones: set " + String.join(" and ", missing) + " (or run --role all)");
        }
        if (role == NodeRole.QUERY && commandUrl == null && oidcIssuer == null) {
            throw new BadSetting("role query needs to know whose tokens to trust: set " + COMMAND_URL.variable()
                    + " (the command side, e.g. http://command:8081) or " + OIDC_ISSUER_URI.variable());
        }
        return this;
    }

    /**
     * Refuses, as a usage error, a node that would need embedded servers where there are none: the server artifact
     * (ADR 41) runs against an external PostgreSQL and Kafka only.
     */
    public Settings checkServers(boolean embeddedAvailable) {
        if (embeddedAvailable) {
            return this;
        }
        List<String> missing = new ArrayList<>();
        if (dbUrl == null) {
            missing.add(DB_URL.variable());
        }
        if (kafkaBootstrap == null) {
            missing.add(KAFKA_BOOTSTRAP.variable());
        }
        if (!missing.isEmpty()) {
            throw new BadSetting("this is the server artifact, without embedded PostgreSQL and Kafka: set "
                    + String.join(" and ", missing) + " (the developer launcher, salesledger.jar, embeds both)");
        }
        return this;
    }

    /** Whether the bind address is the wildcard (every interface). */
    public boolean bindsEveryInterface() {
        return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.equals("[::]");
    }

    /**
     * Where a command on this machine reaches a side listening on {@code port}: {@code localhost} when the sides are
     * bound to loopback or to every interface, else the bind address itself.
     */
    public URI localUri(int port) {
        boolean loopback = bindsEveryInterface() || bindAddress.equals("localhost") || bindAddress.startsWith("127.")
                || bindAddress.equals("::1") || bindAddress.equals("[::1]");
        String host = loopback ? "localhost"
                : bindAddress.contains(":") && !bindAddress.startsWith("[") ? "[" + bindAddress + "]" : bindAddress;
        return URI.create("http://" + host + ":" + port);
    }

    /** An absolute http(s) URL, or {@code null} when unset. */
    private static URI commandUrl(Map<String, String> env) {
        String value = COMMAND_URL.read(env);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if ((!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new BadSetting(COMMAND_URL.variable() + " must be the command side's http(s) URL (e.g. "
                    + "http://command:8081), got '" + value + "'");
        }
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
