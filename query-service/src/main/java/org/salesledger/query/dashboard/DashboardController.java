package org.salesledger.query.dashboard;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import java.util.List;
import java.util.TreeSet;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.IdentitySettings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the dashboard's page needs besides the read models (ADR 0036): where to sign in ({@code /dashboard/config},
 * open, since the page asks before it has a token) and who signed in ({@code GET /api/v1/me}), so the page shows
 * the views the caller's roles may see.
 */
@EnableConfigurationProperties(DashboardSettings.class)
@RestController
class DashboardController {

    private final String authorizeUrl;
    private final String tokenUrl;
    private final String commandUrl;
    private final String clientId;

    @Autowired
    DashboardController(IdentitySettings identity, DashboardSettings settings) {
        this(identity.jwkSetUri(), settings.authorizationServer(), settings.authorizeUrl(), settings.tokenUrl(),
                settings.commandUrl(), settings.clientId());
    }

    DashboardController(String jwkSetUri, String authorizationServer, String authorizeUrl, String tokenUrl,
                        String commandUrl, String clientId) {
        String server = !authorizationServer.isBlank() ? authorizationServer
                : jwkSetUri.endsWith("/oauth2/jwks") ? jwkSetUri.substring(0, jwkSetUri.length() - "/oauth2/jwks".length())
                : "";
        this.authorizeUrl = !authorizeUrl.isBlank() ? authorizeUrl : server.isBlank() ? "" : server + "/oauth2/authorize";
        this.tokenUrl = !tokenUrl.isBlank() ? tokenUrl : server.isBlank() ? "" : server + "/oauth2/token";
        this.commandUrl = !commandUrl.isBlank() ? commandUrl : server;
        this.clientId = clientId;
    }

    /** Where the page signs in and sends actions: the authorization server's endpoints and the command side. */
    record Config(String authorizeUrl, String tokenUrl, String clientId, String commandUrl) {
    }

    /** The signed-in user as the organisation places it. */
    record Me(String userId, List<String> roles, String team, String region, List<String> supervisedReps) {
    }

    @GetMapping("/dashboard/config")
    Config config() {
        return new Config(authorizeUrl, tokenUrl, clientId, commandUrl);
    }

    @GetMapping("/api/v1/me")
    Me me(Caller caller) {
        return new Me(caller.userId(), caller.roleCodes(), caller.team(), caller.region(),
                List.copyOf(new TreeSet<>(caller.supervisedReps())));
    }

}
