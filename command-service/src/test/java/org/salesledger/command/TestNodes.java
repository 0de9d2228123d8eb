package org.salesledger.command;

import org.salesledger.testing.TestHttp;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Command-side nodes the tests start themselves: signed in as their admin (contract §7: every call authenticated). */
public final class TestNodes {

    private TestNodes() {
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
