package org.salesledger.query.audit;

import java.util.List;
import java.util.stream.Collectors;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.proof.TlogProof;
import org.salesledger.audit.tree.ProofGenerator;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.kernel.access.Scope;
import org.salesledger.projections.timeline.TimelineScope;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit log over HTTP (contract §9), for auditors and admins ({@code audit:read}): the signed checkpoint, the
 * key that checks it, inclusion and consistency proofs, all as the C2SP / RFC 9162 text formats; and the
 * verification of the stored actions against the tree. A checkpoint of a size the tree has had but that was not
 * signed yet is signed when asked for (and kept and published like the others).
 */
@RestController
class AuditController {

    private static final MediaType TEXT = new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);

    private final Checkpoints checkpoints;
    private final AuditVerification verification;
    private final JdbcTemplate jdbc;
    private final TimelineScope scopes;

    AuditController(Checkpoints checkpoints, AuditVerification verification, JdbcTemplate jdbc,
                           TimelineScope scopes) {
        this.checkpoints = checkpoints;
        this.verification = verification;
        this.jdbc = jdbc;
        this.scopes = scopes;
    }

    @GetMapping(path = "/api/v1/audit/checkpoint")
    ResponseEntity<String> checkpoint(@RequestParam(required = false) String size) {
        if (size == null) {
            return text(checkpoints.latest().orElseThrow(() -> new QueryRefused(HttpStatus.NOT_FOUND, "checkpoint",
                    "no checkpoint has been signed yet: the log has no action")).note());
        }
        return text(signedCheckpoint(number("size", size, 0)).note());
    }

    @GetMapping(path = "/api/v1/audit/key")
    ResponseEntity<String> key() {
        return text(checkpoints.key().verifierKey().encoded() + "\n");
    }

    @GetMapping(path = "/api/v1/audit/proof/{actionId}")
    ResponseEntity<String> proof(Caller caller, @PathVariable String actionId,
                                 @RequestParam(required = false) String size) {
        List<Long> found = jdbc.queryForList("SELECT leaf_index FROM audit_leaf WHERE action_id = ? "
                + "ORDER BY leaf_index LIMIT 1", Long.class, actionId);
        if (found.isEmpty() || !covers(caller.scopeFor(Permission.AUDIT_READ), found.get(0))) {
            throw new QueryRefused(HttpStatus.NOT_FOUND, "actionId", "the action '" + actionId
                    + "' is not in the audit log (unknown, or not appended yet)");
        }
        long index = found.get(0);
        Checkpoints.Stored checkpoint;
        if (size == null) {
            checkpoint = checkpoints.latest().filter(c -> c.size() > index)
                    .orElseGet(() -> checkpoints.sign(checkpoints.treeSize()));
        } else {
            long treeSize = number("size", size, 1);
            if (treeSize <= index) {
                throw new QueryRefused(HttpStatus.BAD_REQUEST, "size", "size must be more than the action's leaf "
                        + "index " + index + " (a tree of " + treeSize + " leaves does not hold it)");
            }
            checkpoint = signedCheckpoint(treeSize);
        }
        List<Hash> path = new ProofGenerator(new PostgresTreeStore(jdbc)).inclusionProof(index, checkpoint.size());
        return text(new TlogProof(index, path, checkpoint.note()).text());
    }

    /** Whether {@code scope} covers the customer of the action at leaf {@code index} (a removed event's: no). */
    private boolean covers(Scope scope, long index) {
        if (scope instanceof Scope.All) {
            return true;
        }
        List<String> customer = jdbc.queryForList("SELECT d.aggregate_identifier FROM audit_leaf l "
                + "JOIN domain_event_entry d ON d.global_index = l.global_index WHERE l.leaf_index = ?", String.class,
                index);
        return !customer.isEmpty() && scopes.covers(scope, customer.get(0));
    }

    @GetMapping(path = "/api/v1/audit/consistency")
    ResponseEntity<String> consistency(@RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to) {
        long first = number("from", required("from", from), 1);
        long second = number("to", required("to", to), 1);
        if (second < first) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, "to", "to must be at least from (" + first + "), not "
                    + second);
        }
        long treeSize = checkpoints.treeSize();
        if (second > treeSize) {
            throw new QueryRefused(HttpStatus.NOT_FOUND, "to", "the tree has " + treeSize + " leaves, fewer than to ("
                    + second + ")");
        }
        List<Hash> proof = new ProofGenerator(new PostgresTreeStore(jdbc)).consistencyProof(first, second);
        return text(proof.stream().map(h -> h.base64() + "\n").collect(Collectors.joining()));
    }

    @GetMapping("/api/v1/admin/audit/verify")
    AuditVerification.Report verify() {
        return verification.verify();
    }

    private static ResponseEntity<String> text(String body) {
        return ResponseEntity.ok().contentType(TEXT).body(body);
    }

    private Checkpoints.Stored signedCheckpoint(long size) {
        long treeSize = checkpoints.treeSize();
        if (size > treeSize) {
            throw new QueryRefused(HttpStatus.NOT_FOUND, "size", "the tree has " + treeSize + " leaves, fewer than "
                    + size);
        }
        return checkpoints.ofSizeSigningIfNeeded(size);
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, field, field + " is required (a tree size)");
        }
        return value;
    }

    private static long number(String field, String value, long min) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, field, field + " must be a whole number of leaves, not '"
                    + value + "'");
        }
        if (parsed < min) {
            throw new QueryRefused(HttpStatus.BAD_REQUEST, field, field + " must be at least " + min + ", not "
                    + parsed);
        }
        return parsed;
    }
}
