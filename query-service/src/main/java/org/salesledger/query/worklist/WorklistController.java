package org.salesledger.query.worklist;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.salesledger.infra.identity.AccessRefused;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Organisation;
import org.salesledger.infra.identity.Permission;
import org.salesledger.infra.identity.User;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.worklist.WorklistReadModel;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rules' work lists: {@code GET /api/v1/pool} (customers released to the public pool, oldest first),
 * {@code GET /api/v1/escalations} (open escalations, oldest first, each with its customer's last action) and
 * {@code GET /api/v1/reps/{id}/todo} (a rep's open follow-ups, collections, pool-release reminders and talk-track
 * suggestions awaiting feedback, oldest first; copies sent to the id included).
 *
 * <p>Scopes (contract §7): the pool lists the customers of the caller's scope for {@code pool:read} (a rep's and a
 * supervisor's: their region's); the escalations those of its scope for {@code worklists:read}, and every escalation
 * addressed to the caller; a rep's to-dos are answered to the rep, its supervisor, a director of its region, an admin
 * or an auditor — to anyone else {@code 404}, as for a rep that does not exist.
 */
@RestController
class WorklistController {

    static final int MAX_LIMIT = 1000;

    private final WorklistReadModel lists;
    private final Organisation organisation;
    private final Clock clock;

    WorklistController(WorklistReadModel lists, Organisation organisation, Clock clock) {
        this.lists = lists;
        this.organisation = organisation;
        this.clock = clock;
    }

    record Pool(Instant asOf, List<WorklistReadModel.PoolEntry> customers) {
    }

    record Escalations(Instant asOf, List<WorklistReadModel.Escalation> escalations) {
    }

    record Todo(String repId, Instant asOf, List<WorklistReadModel.Todo> followUps,
                List<WorklistReadModel.Todo> collections, List<WorklistReadModel.Todo> poolReleases,
                List<WorklistReadModel.Todo> talkTracks) {
    }

    @GetMapping("/api/v1/pool")
    Pool pool(Caller caller, @RequestParam(required = false) String region,
              @RequestParam(name = "class", required = false) String cls,
              @RequestParam(defaultValue = "100") int limit) {
        return new Pool(clock.instant(), lists.pool(caller.scopeFor(Permission.POOL_READ), blankToNull(region),
                blankToNull(cls), limit(limit)));
    }

    @GetMapping("/api/v1/escalations")
    Escalations escalations(Caller caller, @RequestParam(required = false) String to,
                            @RequestParam(defaultValue = "100") int limit) {
        return new Escalations(clock.instant(), lists.escalations(caller.scopeFor(Permission.WORKLISTS_READ),
                caller.userId(), blankToNull(to), limit(limit)));
    }

    @GetMapping("/api/v1/reps/{id}/todo")
    Todo todo(Caller caller, @PathVariable String id, @RequestParam(defaultValue = "100") int limit) {
        int max = limit(limit);
        if (!caller.seesRep(id, organisation.find(id).map(User::region).orElse(null))) {
            throw AccessRefused.notFound("id", "no rep '" + id + "' is known");
        }
        // the caller may see this rep's list: all of it, whoever's customers its items are on
        List<WorklistReadModel.Todo> all = lists.todo(Scope.ALL, id, max);
        return new Todo(id, clock.instant(), of(all, "FOLLOW_UP"), of(all, "COLLECTION"), of(all, "POOL_RELEASE"),
                of(all, "TALK_TRACK"));
    }

    private static List<WorklistReadModel.Todo> of(List<WorklistReadModel.Todo> all, String kind) {
        return all.stream().filter(t -> t.kind().equals(kind)).toList();
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "limit", "limit must be 1 to " + MAX_LIMIT + "; got " + limit);
        }
        return limit;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
