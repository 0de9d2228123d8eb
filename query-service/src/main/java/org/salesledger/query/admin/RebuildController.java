package org.salesledger.query.admin;

import java.util.List;
import org.salesledger.projections.rebuild.ReadModelName;
import org.salesledger.projections.rebuild.ReadModelRebuilds;
import org.salesledger.projections.rebuild.RebuildStatus;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rebuilding read models from the full history: {@code POST /api/v1/admin/rebuilds/{readModel|all}} starts,
 * {@code GET /api/v1/admin/rebuilds/{readModel}} is the progress resource (events done and total, rate, ETA).
 */
@RestController
@RequestMapping("/api/v1/admin/rebuilds")
class RebuildController {

    static final String ALL = ReadModelName.ALL;

    private final ReadModelRebuilds rebuilds;

    RebuildController(ReadModelRebuilds rebuilds) {
        this.rebuilds = rebuilds;
    }

    @PostMapping("/{readModel}")
    ResponseEntity<List<RebuildStatus>> start(@PathVariable String readModel) {
        List<String> names = ALL.equals(readModel) ? rebuilds.readModels() : List.of(readModel);
        List<RebuildStatus> started = names.stream().map(rebuilds::start).toList();
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(started);
    }

    @GetMapping
    List<RebuildStatus> all() {
        return rebuilds.readModels().stream().flatMap(name -> rebuilds.status(name).stream()).toList();
    }

    @GetMapping("/{readModel}")
    RebuildStatus status(@PathVariable String readModel) {
        return rebuilds.status(readModel).orElseThrow(() -> new QueryRefused(HttpStatus.NOT_FOUND, "readModel",
                "read model '" + readModel + "' has never been rebuilt"));
    }
}
