package org.salesledger.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.tree.ProofGenerator;
import org.salesledger.infra.identity.Caller;
import org.salesledger.infra.identity.Permission;
import org.salesledger.projections.timeline.TimelineScope;
import org.salesledger.query.api.QueryRefused;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/customers/{id}/export} (contract §9), for auditors and admins ({@code audit:read}): NDJSON, one
 * line per action of the customer that is in the audit tree, in store order, {@code {"envelope", "recordedAt",
 * "recordedBy", "leafIndex", "proof"}}, then one last line {@code {"checkpoint": "<signed note>"}} every proof is
 * against. The envelope, {@code recordedAt} and {@code recordedBy} are rebuilt from the stored event now, by the
 * same {@link ActionLeaves} the appender used, so their {@link org.salesledger.audit.leaf.ActionLeaf} hash is the
 * stored leaf unless the stored event was changed since: then that line fails {@code salesledger verify}, which is
 * the point. The proofs come from the tree, which was built when the actions were appended.
 *
 * <p>The caller's scope for {@code audit:read} applies as the timeline's does ({@link TimelineScope}): a customer
 * outside it is answered {@code 404}, exactly as an unknown one (contract §7). The roles that hold {@code audit:read}
 * today (auditor, admin) see every customer; the check keeps the export within scope should a narrower role ever
 * be given it.
 *
 * <p>The export goes up to the tree's size when asked (its checkpoint is signed then if it was not yet): a
 * customer's newest actions that the appender has not reached yet are not in it; asking again a moment later
 * gives them.
 */
@RestController
class CustomerExportController {

    static final MediaType NDJSON = new MediaType("application", "x-ndjson");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Checkpoints checkpoints;
    private final ActionLeaves leaves;
    private final JdbcTemplate jdbc;
    private final TimelineScope scopes;

    CustomerExportController(Checkpoints checkpoints, ActionLeaves leaves, JdbcTemplate jdbc,
                             TimelineScope scopes) {
        this.checkpoints = checkpoints;
        this.leaves = leaves;
        this.jdbc = jdbc;
        this.scopes = scopes;
    }

    @GetMapping(path = "/api/v1/customers/{id}/export")
    ResponseEntity<String> export(Caller caller, @PathVariable String id) {
        Boolean known = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM domain_event_entry "
                + "WHERE aggregate_identifier = ?)", Boolean.class, id);
        if (!Boolean.TRUE.equals(known) || !scopes.covers(caller.scopeFor(Permission.AUDIT_READ), id)) {
            throw new QueryRefused(HttpStatus.NOT_FOUND, "id", "no customer '" + id + "' is in the event store");
        }
        Checkpoints.Stored checkpoint = checkpoints.ofSizeSigningIfNeeded(checkpoints.treeSize());
        record Row(long leafIndex, StoredEvent event) {
        }
        List<Row> rows = jdbc.query("SELECT l.leaf_index, " + prefixed("d.") + " FROM audit_leaf l "
                        + "JOIN domain_event_entry d ON d.global_index = l.global_index "
                        + "WHERE d.aggregate_identifier = ? AND l.leaf_index < ? ORDER BY l.leaf_index",
                (row, n) -> new Row(row.getLong("leaf_index"), StoredEvent.of(row)), id, checkpoint.size());
        ProofGenerator proofs = new ProofGenerator(new PostgresTreeStore(jdbc));
        StringBuilder body = new StringBuilder();
        for (Row row : rows) {
            ActionLeaves.Content content = leaves.content(row.event());
            ObjectNode line = JSON.createObjectNode();
            line.set("envelope", content.envelope());
            line.put("recordedAt", DateTimeFormatter.ISO_INSTANT.format(content.recordedAt()));
            if (content.recordedBy() == null) {
                line.putNull("recordedBy");
            } else {
                line.put("recordedBy", content.recordedBy());
            }
            line.put("leafIndex", row.leafIndex());
            ArrayNode proof = line.putArray("proof");
            for (Hash hash : proofs.inclusionProof(row.leafIndex(), checkpoint.size())) {
                proof.add(hash.base64());
            }
            body.append(write(line)).append('\n');
        }
        body.append(write(JSON.createObjectNode().put("checkpoint", checkpoint.note()))).append('\n');
        return ResponseEntity.ok().contentType(NDJSON).body(body.toString());
    }

    private static String prefixed(String alias) {
        return String.join(", ", java.util.Arrays.stream(StoredEvent.COLUMNS.split(",\\s*"))
                .map(column -> alias + column).toList());
    }

    private static String write(ObjectNode line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an export line could not be written: " + e.getMessage(), e);
        }
    }
}
