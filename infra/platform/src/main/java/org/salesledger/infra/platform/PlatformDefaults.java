package org.salesledger.infra.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every Sales Ledger process starts with, at the lowest precedence so that any property, environment
 * variable or command-line argument overrides them:
 *
 * <ul>
 *   <li>Axon without Axon Server, JDBC storage, the Jackson serializer for everything (never XStream);</li>
 *   <li>the data source from {@code SALESLEDGER_DB_URL}, {@code SALESLEDGER_DB_USER}, {@code SALESLEDGER_DB_PASSWORD}
 *       (or {@code salesledger.db.url} …) when they are set;</li>
 *   <li>PgJDBC's {@code reWriteBatchedInserts}: a batch of inserts is sent as multi-row inserts;</li>
 *   <li>errors without stack traces on the wire;</li>
 *   <li>no usage reporting to AxonIQ.</li>
 * </ul>
 */
public class PlatformDefaults implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE_NAME = "salesledgerPlatformDefaults";
    private static final String AXON_UPDATE_CHECK = "axoniq.update-checker.disabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        // Sales Ledger does not phone home: Axon's usage reporting is off unless an operator turns it on.
        if (System.getProperty(AXON_UPDATE_CHECK) == null && System.getenv("AXONIQ_UPDATE_CHECKER_DISABLED") == null) {
            System.setProperty(AXON_UPDATE_CHECK, "true");
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("axon.axonserver.enabled", "false");
        defaults.put("axon.serializer.general", "jackson");
        defaults.put("axon.serializer.events", "jackson");
        defaults.put("axon.serializer.messages", "jackson");
        defaults.put("spring.jackson.deserialization.use-big-decimal-for-floats", "true");
        defaults.put("spring.jackson.default-property-inclusion", "non_null");
        defaults.put("server.error.include-stacktrace", "never");
        defaults.put("server.error.include-message", "always");
        defaults.put("spring.mvc.problemdetails.enabled", "true");
        defaults.put("spring.jmx.enabled", "false");
        defaults.put("spring.main.banner-mode", "off");
        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus,metrics");
        defaults.put("spring.datasource.hikari.maximum-pool-size", "12");
        // a JDBC batch of inserts (Axon's event append) goes to PostgreSQL as multi-row inserts
        defaults.put("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true");
        putIfSet(env, defaults, "salesledger.db.url", "spring.datasource.url");
        putIfSet(env, defaults, "salesledger.db.user", "spring.datasource.username");
        putIfSet(env, defaults, "salesledger.db.password", "spring.datasource.password");
        env.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }

    /** {@code salesledger.db.url} also resolves from the environment variable {@code SALESLEDGER_DB_URL}. */
    private static void putIfSet(ConfigurableEnvironment env, Map<String, Object> defaults, String from, String to) {
        String value = env.getProperty(from);
        if (value != null && !value.isBlank() && !env.containsProperty(to)) {
            defaults.put(to, value);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
