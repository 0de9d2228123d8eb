package org.salesledger.launcher.cli;

import java.util.Locale;
import java.util.Map;

/**
 * Every {@code SALESLEDGER_*} environment variable, in one table: the launcher's {@code Settings} and the CLI's
 * credentials read their values through it, and {@code salesledger --help} lists it. Each variable can also be
 * given as a system property in Spring's spelling ({@code -Dsalesledger.command-port=9081}). The variables marked
 * {@link #server()} are read by the services themselves (Spring binds them to {@code salesledger.*} properties).
 */
public enum EnvironmentVariable {

    COMMAND_PORT("SALESLEDGER_COMMAND_PORT", "8081", false, "command-side HTTP port"),
    QUERY_PORT("SALESLEDGER_QUERY_PORT", "8082", false, "query-side HTTP port"),
    BIND_ADDRESS("SALESLEDGER_BIND_ADDRESS", "127.0.0.1", false,
            "address both sides' HTTP and the embedded Kafka listen on (0.0.0.0: every interface)"),
    DATA_DIR("SALESLEDGER_DATA_DIR", "./.salesledger", false,
            "where the embedded PostgreSQL and Kafka keep their data, and the admin client's file"),
    KAFKA_PORT("SALESLEDGER_KAFKA_PORT", "9092", false, "port of the embedded Kafka broker"),
    DB_URL("SALESLEDGER_DB_URL", null, false, "JDBC URL of an external PostgreSQL instead of the embedded one"),
    DB_USER("SALESLEDGER_DB_USER", null, false, "user of the external PostgreSQL"),
    DB_PASSWORD("SALESLEDGER_DB_PASSWORD", null, false, "password of the external PostgreSQL"),
    KAFKA_BOOTSTRAP("SALESLEDGER_KAFKA_BOOTSTRAP", null, false, "an external Kafka instead of the embedded one"),
    KAFKA_TOPIC("SALESLEDGER_KAFKA_TOPIC", "salesledger.actions.v1", true, "the topic every action is published to"),
    ADMIN_CLIENT_SECRET("SALESLEDGER_ADMIN_CLIENT_SECRET", null, true,
            "secret of the embedded authorization server's admin client (default: generated, in admin-client.json)"),
    OIDC_ISSUER_URI("SALESLEDGER_OIDC_ISSUER_URI", null, true,
            "trust an external OIDC issuer instead of the embedded authorization server"),
    OIDC_USER_CLAIM("SALESLEDGER_OIDC_USER_CLAIM", "sub", true, "with an external issuer: the claim naming the user"),
    OIDC_ROLES_CLAIM("SALESLEDGER_OIDC_ROLES_CLAIM", "roles", true,
            "with an external issuer: the claim (a dotted path) holding the roles"),
    CLIENT_ID("SALESLEDGER_CLIENT_ID", null, false,
            "the client the CLI authenticates with (default: the data directory's admin-client.json)"),
    CLIENT_SECRET("SALESLEDGER_CLIENT_SECRET", null, false, "that client's secret"),
    TOKEN_URL("SALESLEDGER_TOKEN_URL", null, false,
            "the token endpoint, when not the command side's /oauth2/token"),
    JAVA_OPTS("SALESLEDGER_JAVA_OPTS", null, false, "JVM options for ./salesledger (read by the script)");

    private final String variable;
    private final String defaultValue;
    private final boolean server;
    private final String meaning;

    EnvironmentVariable(String variable, String defaultValue, boolean server, String meaning) {
        this.variable = variable;
        this.defaultValue = defaultValue;
        this.server = server;
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

    /** Whether the services read it themselves (through Spring), rather than the launcher or the CLI. */
    public boolean server() {
        return server;
    }

    public String meaning() {
        return meaning;
    }

    /** The system property in Spring's spelling: {@code SALESLEDGER_COMMAND_PORT} is {@code salesledger.command-port}. */
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
