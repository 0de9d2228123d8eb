package org.salesledger.query.health;

import java.util.HashSet;
import java.util.Set;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Organisation;
import org.salesledger.infra.identity.Permission;
import org.salesledger.infra.identity.Role;
import org.salesledger.infra.identity.User;
import org.salesledger.kernel.access.Scope;
import org.springframework.stereotype.Component;

/**
 * Which reps a caller sees the health of (contract §7 read for health, docs/health.md): health is about a rep, so
 * the scope is over reps, and a rep's figures are always whole — an incentive must not depend on who asks. A rep sees
 * itself; a supervisor the reps whose {@code supervisorId} it is, and itself; a director the reps whose region in
 * the organisation is its region; admin, auditor and analyst every rep. The widest of the caller's roles wins.
 */
@Component
class HealthScopes {

    private final Organisation organisation;

    HealthScopes(Organisation organisation) {
        this.organisation = organisation;
    }

    /** {@link Scope#ALL} or {@link Scope.Owners} naming the reps. */
    Scope reps(Caller caller) {
        if (!caller.has(Permission.HEALTH_READ)) {
            return Scope.NOTHING;
        }
        if (caller.hasRole(Role.ADMIN) || caller.hasRole(Role.AUDITOR) || caller.hasRole(Role.ANALYST)) {
            return Scope.ALL;
        }
        Set<String> reps = new HashSet<>();
        if (caller.hasRole(Role.REP) || caller.hasRole(Role.SUPERVISOR) || caller.hasRole(Role.DIRECTOR)) {
            reps.add(caller.userId());
        }
        if (caller.hasRole(Role.SUPERVISOR)) {
            reps.addAll(caller.supervisedReps());
        }
        if (caller.hasRole(Role.DIRECTOR) && caller.region() != null) {
            for (User user : organisation.all()) {
                if (caller.region().equals(user.region())) {
                    reps.add(user.userId());
                }
            }
        }
        return Scope.owners(reps);
    }

    static boolean covers(Scope reps, String repId) {
        return reps.covers(null, repId);
    }
}
