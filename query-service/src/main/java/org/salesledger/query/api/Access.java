package org.salesledger.query.api;

import static org.salesledger.infra.identity.EndpointAccess.rule;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;

import java.util.List;
import org.salesledger.infra.identity.EndpointAccess;
import org.salesledger.infra.identity.Permission;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which permission each query-side endpoint needs (contract §7): the one place that says it. Which customers the
 * answer then counts is the caller's scope for that permission, asked by each controller.
 */
@Configuration(proxyBeanMethods = false)
class Access {

    @Bean
    EndpointAccess queryEndpoints() {
        return new EndpointAccess(List.of(
                rule(GET, "/api/v1/customers/*/timeline", Permission.CUSTOMERS_READ),
                rule(GET, "/api/v1/customers/*/stages", Permission.CUSTOMERS_READ),
                rule(GET, "/api/v1/customers/*/state", Permission.CUSTOMERS_READ),
                rule(GET, "/api/v1/customers/*/changes", Permission.CUSTOMERS_READ),
                rule(GET, "/api/v1/stalled", Permission.CUSTOMERS_READ),
                rule(GET, "/api/v1/stalled/thresholds", Permission.CATALOG_READ),
                rule(GET, "/api/v1/me", Permission.CATALOG_READ),
                rule(GET, "/api/v1/idle", Permission.CUSTOMERS_READ),
                rule(GET, "/api/v1/funnel", Permission.AGGREGATES_READ),
                rule(GET, "/api/v1/attribution", Permission.AGGREGATES_READ),
                rule(GET, "/api/v1/talk-tracks/effect", Permission.AGGREGATES_READ),
                rule(GET, "/api/v1/talk-tracks/*/effect", Permission.AGGREGATES_READ),
                rule(GET, "/api/v1/acquisition-cost", Permission.MARKETING_READ),
                rule(GET, "/api/v1/pool", Permission.POOL_READ),
                rule(GET, "/api/v1/escalations", Permission.WORKLISTS_READ),
                rule(GET, "/api/v1/reps/*/todo", Permission.WORKLISTS_READ),
                rule(GET, "/api/v1/reps/*/health", Permission.HEALTH_READ),
                rule(GET, "/api/v1/reps/*/health/evidence", Permission.HEALTH_READ),
                rule(GET, "/api/v1/reps/*/health/history", Permission.HEALTH_READ),
                rule(GET, "/api/v1/health", Permission.HEALTH_READ),
                rule(POST, "/api/v1/health/incentive/dry-run", Permission.RULES_DRY_RUN),
                rule(POST, "/api/v1/admin/rebuilds/*", Permission.READ_MODELS_REBUILD),
                rule(GET, "/api/v1/admin/rebuilds", Permission.READ_MODELS_READ),
                rule(GET, "/api/v1/admin/rebuilds/*", Permission.READ_MODELS_READ),
                rule(POST, "/api/v1/admin/consistency", Permission.READ_MODELS_READ),
                rule(GET, "/api/v1/admin/consistency", Permission.READ_MODELS_READ),
                rule(GET, "/api/v1/admin/dead-letters", Permission.READ_MODELS_READ),
                rule(GET, "/api/v1/admin/dead-letters/*", Permission.READ_MODELS_READ),
                rule(POST, "/api/v1/admin/dead-letters/*/retry", Permission.READ_MODELS_REPAIR),
                rule(GET, "/api/v1/audit/checkpoint", Permission.AUDIT_READ),
                rule(GET, "/api/v1/audit/key", Permission.AUDIT_READ),
                rule(GET, "/api/v1/audit/proof/*", Permission.AUDIT_READ),
                rule(GET, "/api/v1/audit/consistency", Permission.AUDIT_READ),
                rule(GET, "/api/v1/admin/audit/verify", Permission.AUDIT_READ),
                rule(GET, "/api/v1/customers/*/export", Permission.AUDIT_READ)));
    }
}
