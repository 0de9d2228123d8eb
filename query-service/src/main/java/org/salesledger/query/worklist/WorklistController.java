package org.salesledger.query.worklist;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
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
 */
@RestController
class WorklistController {

    static final int MAX_LIMIT = 1000;

    private final WorklistReadModel lists;
    private final Clock clock;

    WorklistController(WorklistReadModel lists, Clock clock) {
        this.lists = lists;
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
    Pool pool(@RequestParam(required = false) String region, @RequestParam(name = "class", required = false) String cls,
              @RequestParam(defaultValue = "100") int limit) {
        return new Pool(clock.instant(), lists.pool(blankToNull(region), blankToNull(cls), limit(limit)));
    }

    @GetMapping("/api/v1/escalations")
    Escalations escalations(@RequestParam(required = false) String to, @RequestParam(defaultValue = "100") int limit) {
        return new Escalations(clock.instant(), lists.escalations(blankToNull(to), limit(limit)));
    }

    @GetMapping("/api/v1/reps/{id}/todo")
    Todo todo(@PathVariable String id, @RequestParam(defaultValue = "100") int limit) {
        List<WorklistReadModel.Todo> all = lists.todo(id, limit(limit));
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
