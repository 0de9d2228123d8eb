package org.salesledger.command.api;

import org.salesledger.infra.identity.AccessRefused;
import org.salesledger.infra.identity.Caller;
import org.springframework.http.HttpStatus;

/**
 * Who a rule change, a script, a claim or a reassignment is recorded as (contract §7): the {@code X-Actor} header
 * when an admin or an integrator names someone; otherwise the caller, and a header naming anyone else is refused
 * with {@code 403}.
 */
final class Actors {

    private Actors() {
    }

    static String of(Caller caller, String header) {
        if (header == null || header.isBlank()) {
            return caller.userId();
        }
        String named = header.strip();
        if (named.equals(caller.userId()) || caller.mayActForOthers()) {
            return named;
        }
        throw new AccessRefused(HttpStatus.FORBIDDEN, RulesController.ACTOR, null, RulesController.ACTOR
                + " must be the caller '" + caller.userId() + "' (or left out); got '" + named
                + "': only admins and integrators act for others");
    }
}
