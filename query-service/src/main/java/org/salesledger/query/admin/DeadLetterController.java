package org.salesledger.query.admin;

import java.util.List;
import org.salesledger.projections.deadletter.DeadLetters;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Events the read models could not apply: {@code GET /api/v1/admin/dead-letters[/{readModel}]} lists them (how
 * many events and customers, the oldest {@code limit} customers' events with the cause);
 * {@code POST /api/v1/admin/dead-letters/{readModel}/retry} tries each parked customer once more.
 */
@RestController
@RequestMapping("/api/v1/admin/dead-letters")
class DeadLetterController {

    private static final int MAX_LIMIT = 1000;

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    List<DeadLetters.Summary> all(@RequestParam(defaultValue = "20") int limit) {
        int checked = checked(limit);
        return deadLetters.readModels().stream().map(name -> deadLetters.summary(name, checked)).toList();
    }

    @GetMapping("/{readModel}")
    DeadLetters.Summary one(@PathVariable String readModel, @RequestParam(defaultValue = "100") int limit) {
        return deadLetters.summary(readModel, checked(limit));
    }

    @PostMapping("/{readModel}/retry")
    DeadLetters.Retry retry(@PathVariable String readModel) {
        return deadLetters.retry(readModel);
    }

    private static int checked(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "limit",
                    "limit must be between 1 and " + MAX_LIMIT + " (customers listed), not " + limit);
        }
        return limit;
    }
}
