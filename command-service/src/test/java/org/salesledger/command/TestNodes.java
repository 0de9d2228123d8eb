package org.salesledger.command;

import java.util.HashMap;
import java.util.Map;
import org.salesledger.testing.TestHttp;
import org.salesledger.testing.TestPostgres;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Command-side nodes the tests start themselves: signed in as their admin (contract §7: every call authenticated). */
public final class TestNodes {

    private TestNodes() {
    }

    /**
     * The properties every command node of the tests starts with, to add to: the side's own configuration, the
     * admin's secret ({@link TestHttp#ADMIN_SECRET}, for {@link #signedIn}), the database, any free port.
     */
    public static Map<String, Object> properties(TestPostgres.TestDatabase db) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.config.name", "command-service");
        properties.put("salesledger.admin-client-secret", TestHttp.ADMIN_SECRET);
        properties.put("spring.datasource.url", db.jdbcUrl());
        properties.put("spring.datasource.username", db.user());
        properties.put("spring.datasource.password", db.password());
        properties.put("salesledger.command-port", 0);
        return properties;
    }

    /**
     * Calls to this node's port carry a token of its {@code admin} (the node was started with
     * {@link TestHttp#ADMIN_SECRET_PROPERTY}); answers the node.
     */
    public static <C extends ConfigurableApplicationContext> C signedIn(C node) {
        TestHttp.signInAsAdmin(((WebServerApplicationContext) node).getWebServer().getPort());
        return node;
    }
}
