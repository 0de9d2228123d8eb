package org.salesledger.query.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Role;

/** Where the dashboard's page signs in, and who it is told signed in (ADR 0036). */
class DashboardControllerTest {

    @Test
    void theEmbeddedAuthorizationServerIsWhereTheQuerySideGetsItsKeys() {
        DashboardController controller = new DashboardController("http://127.0.0.1:8081/oauth2/jwks", "", "", "", "",
                "dashboard");

        assertThat(controller.config()).isEqualTo(new DashboardController.Config(
                "http://127.0.0.1:8081/oauth2/authorize", "http://127.0.0.1:8081/oauth2/token", "dashboard",
                "http://127.0.0.1:8081"));
    }

    @Test
    void anExternalIssuersEndpointsAndClientAreTakenAsConfigured() {
        DashboardController controller = new DashboardController("", "",
                "https://sso.example.com/realms/sales/protocol/openid-connect/auth",
                "https://sso.example.com/realms/sales/protocol/openid-connect/token", "https://ledger.example.com:8081",
                "sales-dashboard");

        assertThat(controller.config()).isEqualTo(new DashboardController.Config(
                "https://sso.example.com/realms/sales/protocol/openid-connect/auth",
                "https://sso.example.com/realms/sales/protocol/openid-connect/token", "sales-dashboard",
                "https://ledger.example.com:8081"));
    }

    @Test
    void meIsTheCallerAsTheOrganisationPlacesIt() {
        DashboardController controller = new DashboardController("", "", "", "", "", "dashboard");

        DashboardController.Me me = controller.me(new Caller("sup-1", Set.of(Role.SUPERVISOR), "east-t1", "east",
                Set.of("rep-b", "rep-a")));

        assertThat(me).isEqualTo(new DashboardController.Me("sup-1", java.util.List.of("supervisor"), "east-t1", "east",
                java.util.List.of("rep-a", "rep-b")));
    }
}
