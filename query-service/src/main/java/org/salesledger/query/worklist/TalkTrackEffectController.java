package org.salesledger.query.worklist;

import java.util.List;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.projections.talktrack.TalkTrackEffectReadModel;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Each talk-track script's measured effect ({@link TalkTrackEffectReadModel}): {@code GET /api/v1/talk-tracks/effect}
 * for every script used so far, {@code GET /api/v1/talk-tracks/{id}/effect} for one; {@code windowDays} (1–365,
 * default 30) is how long after a use a signed contract counts as a deal. Counted over the customers in the
 * caller's scope for {@code aggregates:read} (contract §7).
 */
@RestController
class TalkTrackEffectController {

    private final TalkTrackEffectReadModel effects;

    TalkTrackEffectController(TalkTrackEffectReadModel effects) {
        this.effects = effects;
    }

    record Effects(int windowDays, List<TalkTrackEffectReadModel.Effect> scripts) {
    }

    @GetMapping("/api/v1/talk-tracks/effect")
    Effects all(Caller caller, @RequestParam(defaultValue = "30") int windowDays) {
        return new Effects(window(windowDays),
                effects.effects(caller.scopeFor(Permission.AGGREGATES_READ), windowDays));
    }

    @GetMapping("/api/v1/talk-tracks/{id}/effect")
    TalkTrackEffectReadModel.Effect one(Caller caller, @PathVariable String id,
                                        @RequestParam(defaultValue = "30") int windowDays) {
        return effects.effect(caller.scopeFor(Permission.AGGREGATES_READ), id, window(windowDays));
    }

    private static int window(int days) {
        if (days < 1 || days > 365) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "windowDays", "windowDays must be 1 to 365; got " + days);
        }
        return days;
    }
}
