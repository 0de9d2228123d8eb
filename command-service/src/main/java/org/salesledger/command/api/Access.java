package org.salesledger.command.api;

import static org.salesledger.infra.identity.EndpointAccess.rule;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.List;
import org.salesledger.infra.identity.EndpointAccess;
import org.salesledger.infra.identity.Permission;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Which permission each command-side endpoint needs (contract §7): the one place that says it. */
@Configuration(proxyBeanMethods = false)
class Access {

    @Bean
    EndpointAccess commandEndpoints() {
        return new EndpointAccess(List.of(
                rule(POST, "/api/v1/actions", Permission.ACTIONS_WRITE),
                rule(POST, "/api/v1/import", Permission.ACTIONS_WRITE),
                rule(GET, "/api/v1/schemas", Permission.CATALOG_READ),
                rule(GET, "/api/v1/schemas/*", Permission.CATALOG_READ),
                rule(POST, "/api/v1/rules/dry-run", Permission.RULES_DRY_RUN),
                rule(GET, "/api/v1/rules", Permission.CATALOG_READ),
                rule(GET, "/api/v1/rules/*", Permission.CATALOG_READ),
                rule(PUT, "/api/v1/rules/*", Permission.RULES_WRITE),
                rule(DELETE, "/api/v1/rules/*", Permission.RULES_WRITE),
                rule(GET, "/api/v1/talk-tracks", Permission.CATALOG_READ),
                rule(POST, "/api/v1/talk-tracks", Permission.RULES_WRITE),
                rule(POST, "/api/v1/pool/*/claim", Permission.POOL_CLAIM),
                rule(POST, "/api/v1/customers/*/reassign", Permission.CUSTOMERS_REASSIGN),
                rule(POST, "/api/v1/admin/kafka-replays", Permission.KAFKA_REPLAY),
                rule(GET, "/api/v1/admin/kafka-replays", Permission.KAFKA_READ),
                rule(GET, "/api/v1/admin/kafka-replays/*", Permission.KAFKA_READ),
                rule(GET, "/api/v1/admin/kafka-relay", Permission.KAFKA_READ),
                rule(POST, "/api/v1/admin/kafka-relay/parked/retry", Permission.KAFKA_REPAIR),
                rule(GET, "/api/v1/admin/users", Permission.USERS_READ),
                rule(GET, "/api/v1/admin/users/*", Permission.USERS_READ),
                rule(PUT, "/api/v1/admin/users/*", Permission.USERS_WRITE),
                rule(POST, "/api/v1/admin/users/*/credentials", Permission.USERS_WRITE)));
    }
}
