package org.salesledger.infra.identity;

import java.util.List;
import org.springframework.http.HttpMethod;

/**
 * One side's table of which permission each endpoint needs: the one place where that is said. A side whose
 * controllers answer an {@code /api/} endpoint the table does not name does not start ({@code EndpointAccessCheck},
 * fail closed); {@code GET /actuator/health…} and the
 * OpenAPI description stay open, {@code /actuator/prometheus} needs {@link Permission#METRICS_READ}.
 */
public record EndpointAccess(List<Rule> rules) {

    public EndpointAccess {
        rules = List.copyOf(rules);
    }

    /** A method and a path pattern (Spring's, e.g. {@code /api/v1/customers/*}{@code /timeline}), and the permission. */
    public record Rule(HttpMethod method, String pattern, Permission permission) {
    }

    public static Rule rule(HttpMethod method, String pattern, Permission permission) {
        return new Rule(method, pattern, permission);
    }
}
