package org.salesledger.infra.identity;

import static org.salesledger.infra.identity.Role.ADMIN;
import static org.salesledger.infra.identity.Role.ANALYST;
import static org.salesledger.infra.identity.Role.AUDITOR;
import static org.salesledger.infra.identity.Role.DIRECTOR;
import static org.salesledger.infra.identity.Role.INTEGRATOR;
import static org.salesledger.infra.identity.Role.REP;
import static org.salesledger.infra.identity.Role.SUPERVISOR;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a call needs, named as a {@code 403} names it (contract §7's role table, one row per permission). Which
 * endpoint needs which is each side's {@code Access} table; which customers the caller then sees is its
 * {@link org.salesledger.kernel.access.Scope}.
 */
public enum Permission {
    /** One customer's timeline and stages; the stalled and idle lists. */
    CUSTOMERS_READ("customers:read", REP, SUPERVISOR, DIRECTOR, ADMIN, AUDITOR),
    /** The funnel, attribution and talk-track effect, counted over the customers in scope. */
    AGGREGATES_READ("aggregates:read", REP, SUPERVISOR, DIRECTOR, ADMIN, AUDITOR, ANALYST),
    /**
     * Rep health and incentive (contract §8): the scope is over reps — a rep itself, a supervisor its reps and
     * itself, a director the reps of its region, and every rep for admin, auditor and analyst (docs/health.md).
     */
    HEALTH_READ("health:read", REP, SUPERVISOR, DIRECTOR, ADMIN, AUDITOR, ANALYST),
    /** Acquisition cost and ROI per channel: costs are not all of one customer, so only over all customers. */
    MARKETING_READ("marketing:read", ADMIN, AUDITOR, ANALYST),
    /** Escalations and to-dos. */
    WORKLISTS_READ("worklists:read", REP, SUPERVISOR, DIRECTOR, ADMIN, AUDITOR),
    /** The public pool (a rep's and a supervisor's: the pool of their region). */
    POOL_READ("pool:read", REP, SUPERVISOR, DIRECTOR, ADMIN, AUDITOR),
    /** Rules, talk-track scripts and action schemas: no customer in them. */
    CATALOG_READ("catalog:read", Role.values()),
    /** Actions and imports. */
    ACTIONS_WRITE("actions:write", REP, SUPERVISOR, DIRECTOR, ADMIN, INTEGRATOR),
    POOL_CLAIM("pool:claim", REP, SUPERVISOR, DIRECTOR, ADMIN),
    CUSTOMERS_REASSIGN("customers:reassign", SUPERVISOR, DIRECTOR, ADMIN),
    RULES_WRITE("rules:write", DIRECTOR, ADMIN),
    RULES_DRY_RUN("rules:dry-run", ANALYST, DIRECTOR, ADMIN),
    READ_MODELS_READ("read-models:read", ADMIN, AUDITOR, ANALYST),
    READ_MODELS_REBUILD("read-models:rebuild", ADMIN, ANALYST),
    READ_MODELS_REPAIR("read-models:repair", ADMIN),
    KAFKA_READ("kafka:read", ADMIN, AUDITOR, INTEGRATOR),
    KAFKA_REPLAY("kafka:replay", ADMIN, INTEGRATOR),
    KAFKA_REPAIR("kafka:repair", ADMIN),
    USERS_READ("users:read", ADMIN, AUDITOR),
    USERS_WRITE("users:write", ADMIN),
    METRICS_READ("metrics:read", ADMIN, AUDITOR, ANALYST),
    /** The audit log's checkpoints, key, inclusion and consistency proofs, and its verification (contract §9). */
    AUDIT_READ("audit:read", ADMIN, AUDITOR);

    private final String code;
    private final Set<Role> roles;

    Permission(String code, Role... roles) {
        this.code = code;
        this.roles = roles.length == 0 ? EnumSet.noneOf(Role.class) : EnumSet.of(roles[0], roles);
    }

    public String code() {
        return code;
    }

    public boolean givenTo(Role role) {
        return roles.contains(role);
    }
}
