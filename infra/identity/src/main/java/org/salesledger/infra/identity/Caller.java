package org.salesledger.infra.identity;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.salesledger.kernel.access.Scope;

/**
 * Who is asking, built once per request from the token and the organisation: the user, its roles, where the
 * organisation places it, and the reps it supervises. Every query asks it for its {@link #scopeFor scope}.
 */
public record Caller(String userId, Set<Role> roles, String team, String region, Set<String> supervisedReps) {

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        supervisedReps = Set.copyOf(supervisedReps);
    }

    public boolean has(Permission permission) {
        return roles.stream().anyMatch(permission::givenTo);
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /**
     * The customers the caller may reach with this permission: the widest scope among its roles that give it
     * (every customer; then its region; then the customers it and its reps own), {@link Scope#NOTHING} when none
     * does.
     */
    public Scope scopeFor(Permission permission) {
        Scope widest = null;
        int rank = -1;
        for (Role role : roles) {
            if (!permission.givenTo(role)) {
                continue;
            }
            Scope scope = scopeOf(role, permission);
            int r = scope instanceof Scope.All ? 3 : scope instanceof Scope.Region ? 2 : 1;
            if (r > rank) {
                widest = scope;
                rank = r;
            }
        }
        return widest == null ? Scope.NOTHING : widest;
    }

    /**
     * Whether the caller may name someone else as the {@code actor} (or author) of what it sends: admins and
     * integrators may; reps, supervisors and directors act only as themselves (contract §7).
     */
    public boolean mayActForOthers() {
        return hasRole(Role.ADMIN) || hasRole(Role.INTEGRATOR);
    }

    /** The reps whose to-dos and health the caller may see, as a scope over owners; see {@link #seesRep}. */
    public boolean seesRep(String repId, String repRegion) {
        Scope scope = scopeFor(Permission.WORKLISTS_READ);
        if (scope instanceof Scope.All) {
            return true;
        }
        if (scope instanceof Scope.Region region) {
            return region.region().equals(repRegion) || repId.equals(userId);
        }
        return scope.covers(null, repId);
    }

    private Scope scopeOf(Role role, Permission permission) {
        return switch (role) {
            case ADMIN, AUDITOR, ANALYST, INTEGRATOR -> Scope.ALL;
            case DIRECTOR -> Scope.region(region);
            case SUPERVISOR, REP -> {
                if (permission == Permission.POOL_READ) {
                    yield Scope.region(region);
                }
                Set<String> reps = new HashSet<>();
                reps.add(userId);
                if (role == Role.SUPERVISOR) {
                    reps.addAll(supervisedReps);
                }
                yield Scope.owners(reps);
            }
        };
    }

    /** The role codes, as in tokens and answers. */
    public List<String> roleCodes() {
        return roles.stream().sorted().map(Role::code).toList();
    }
}
