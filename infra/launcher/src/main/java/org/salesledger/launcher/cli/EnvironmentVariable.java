package org.salesledger.launcher.cli;

import java.util.Locale;
import java.util.Map;

/**
 * Every {@code SALESLEDGER_*} environment variable, in one table: the launcher's {@code Settings} and the CLI's
 * credentials read their values through it, and {@code salesledger --help} lists it. Those the launcher and the CLI
 * read can also be given as a system property in Spring's spelling
 * ({@code -Dsalesledger.command-port=9081}); those of {@link Reader#SERVICES} are read by the services themselves
 * (Spring binds them to their {@code salesledger.*} properties), {@link #JAVA_OPTS} by the script.
 */
public enum EnvironmentVariable {

    ROLE("SALESLEDGER_ROLE", "all", Reader.LAUNCHER,
            "what 'run' starts on this node: command (the command side), query (the query side) or all (both); "
            + "command and query need SALESLEDGER_DB_URL and SALESLEDGER_KAFKA_BOOTSTRAP (run --role overrides it)"),
    COMMAND_URL("SALESLEDGER_COMMAND_URL", null, Reader.LAUNCHER,
            "a query-role node: the command side's URL (its token keys at /oauth2/jwks), e.g. http://command:8081, "
            + "unless SALESLEDGER_OIDC_ISSUER_URI is set"),
    COMMAND_PORT("SALESLEDGER_COMMAND_PORT", "8081", Reader.LAUNCHER, "command-side HTTP port"),
    QUERY_PORT("SALESLEDGER_QUERY_PORT", "8082", Reader.LAUNCHER, "query-side HTTP port"),
    BIND_ADDRESS("SALESLEDGER_BIND_ADDRESS", "127.0.0.1", Reader.LAUNCHER,
            "address both sides' HTTP and the embedded Kafka listen on (0.0.0.0: every interface)"),
    DATA_DIR("SALESLEDGER_DATA_DIR", "./.salesledger", Reader.LAUNCHER,
            "where the embedded PostgreSQL and Kafka keep their data, and the admin client's file"),
    KAFKA_PORT("SALESLEDGER_KAFKA_PORT", "9092", Reader.LAUNCHER, "port of the embedded Kafka broker"),
    DB_URL("SALESLEDGER_DB_URL", null, Reader.LAUNCHER,
            "JDBC URL of an external PostgreSQL instead of the embedded one"),
    DB_USER("SALESLEDGER_DB_USER", null, Reader.LAUNCHER, "user of the external PostgreSQL"),
    DB_PASSWORD("SALESLEDGER_DB_PASSWORD", null, Reader.LAUNCHER, "password of the external PostgreSQL"),
    KAFKA_BOOTSTRAP("SALESLEDGER_KAFKA_BOOTSTRAP", null, Reader.LAUNCHER,
            "an external Kafka instead of the embedded one"),
    KAFKA_TOPIC("SALESLEDGER_KAFKA_TOPIC", "salesledger.actions.v1", Reader.SERVICES,
            "the topic every action is published to"),
    ADMIN_CLIENT_SECRET("SALESLEDGER_ADMIN_CLIENT_SECRET", null, Reader.SERVICES,
            "secret of the embedded authorization server's admin client (default: generated, in admin-client.json)"),
    OIDC_ISSUER_URI("SALESLEDGER_OIDC_ISSUER_URI", null, Reader.SERVICES,
            "trust an external OIDC issuer instead of the embedded authorization server"),
    OIDC_USER_CLAIM("SALESLEDGER_OIDC_USER_CLAIM", "sub", Reader.SERVICES,
            "with an external issuer: the claim naming the user"),
    OIDC_ROLES_CLAIM("SALESLEDGER_OIDC_ROLES_CLAIM", "roles", Reader.SERVICES,
            "with an external issuer: the claim (a dotted path) holding the roles"),
    CLIENT_ID("SALESLEDGER_CLIENT_ID", null, Reader.CLI,
            "the client the CLI authenticates with (default: the data directory's admin-client.json)"),
    CLIENT_SECRET("SALESLEDGER_CLIENT_SECRET", null, Reader.CLI, "that client's secret"),
    TOKEN_URL("SALESLEDGER_TOKEN_URL", null, Reader.CLI,
            "the token endpoint, when not the command side's /oauth2/token"),
    JAVA_OPTS("SALESLEDGER_JAVA_OPTS", null, Reader.SCRIPT, "JVM options for ./salesledger (read by the script)");

    /** Who reads a variable. */
    public enum Reader {
        /** The launcher's {@code Settings}, before anything starts. */
        LAUNCHER,
        /** The commands that call a running system ({@link CliCredentials}). */
        CLI,
        /** The services, through Spring (relaxed binding of {@code salesledger.*} properties). */
        SERVICES,
        /** The {@code ./salesledger} script. */
        SCRIPT
    }

    private final String variable;
    private final String defaultValue;
    private final Reader reader;
    private final String meaning;

    EnvironmentVariable(String variable, String defaultValue, Reader reader, String meaning) {
        this.variable = variable;
        this.defaultValue = defaultValue;
        this.reader = reader;
        this.meaning = meaning;
    }

    /** The variable's name, {@code SALESLEDGER_…}. */
    public String variable() {
        return variable;
    }

    /** The value used when it is not set; {@code null} when unset means "not used" (or generated). */
    public String defaultValue() {
        return defaultValue;
    }

    /** Who reads it: the launcher and the CLI through {@link #read}, the services and the script themselves. */
    public Reader reader() {
        return reader;
    }

    public String meaning() {
        return meaning;
    }

    /** The system property in Spring's spelling: {@code SALESLEDGER_COMMAND_PORT} is {@code salesledger.command-port}.
     */
    public String property() {
        return variable.toLowerCase(Locale.ROOT).replaceFirst("_", ".").replace('_', '-');
    }

    /**
     * The value set for it: the system property ({@link #property()}, or the all-dots spelling
     * {@code salesledger.command.port}), else the variable in {@code env}; trimmed; {@code null} when unset or blank
     * (the default is not applied).
     */
    public String read(Map<String, String> env) {
        String lower = variable.toLowerCase(Locale.ROOT);
        String fromProperty = System.getProperty(property(), System.getProperty(lower.replace('_', '.')));
        String value = fromProperty != null ? fromProperty : env.get(variable);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The value set, else the default. */
    public String readOrDefault(Map<String, String> env) {
        String value = read(env);
        return value != null ? value : defaultValue;
    }

    /** A port number (0–65535): the value set, else the default; a {@link BadSetting} naming the variable. */
    public int port(Map<String, String> env) {
        String value = readOrDefault(env);
        return port(variable, value);
    }

    /** {@code value} as a port number (0–65535); a {@link BadSetting} naming {@code name} (a variable or option). */
    public static int port(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new BadSetting(name + " must be a port number (0-65535), got '" + value + "'");
        }
    }
}
