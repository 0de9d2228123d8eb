package org.salesledger.projections.rebuild;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.springframework.dao.DuplicateKeyException;

/**
 * The rebuilds as kept in {@code read_model_rebuild_job} (projections migration V41): what any query node answers
 * about them, which node runs each, and where the live tables' tokens stood when a rebuild took them over.
 * Heartbeats and their age are PostgreSQL's {@code now()}, so the nodes' clocks need not agree. Every write by the
 * node running a rebuild names that node: a node that lost its rebuild to another (it was taken for dead) updates
 * nothing.
 */
final class RebuildJobs {

    private static final String RUNNING = "state IN ('PREPARING', 'REPLAYING', 'SWITCHING')";

    /** A rebuild's row. */
    record Job(String id, String readModel, RebuildStatus.State state, String node, int takeovers, Instant startedAt) {
    }

    /** A token of one segment, as serialized in {@code token_entry}. */
    record StoredToken(byte[] token, String type) {
    }

    private final DSLContext db;

    RebuildJobs(DSLContext db) {
        this.db = db;
    }

    /** Records a new rebuild run by {@code node}; false when one of the read model is running (on any node). */
    boolean insert(String id, String readModel, String node, Instant startedAt, long total) {
        try {
            db.execute("INSERT INTO read_model_rebuild_job (id, read_model, state, events_total, node, heartbeat, "
                            + "started_at, message) VALUES (?, ?, 'PREPARING', ?, ?, now(), CAST(? AS timestamptz), "
                            + "?)", id, readModel, total, node, startedAt.toString(), "creating the shadow tables");
            return true;
        } catch (DuplicateKeyException | IntegrityConstraintViolationException e) {
            return false;
        }
    }

    /** Writes the rebuild's progress; false when {@code node} no longer runs it. */
    boolean report(String id, String node, RebuildStatus status) {
        return db.execute("UPDATE read_model_rebuild_job SET state = ?, events_done = ?, events_total = ?, "
                        + "message = ?, finished_at = CAST(? AS timestamptz), heartbeat = now() WHERE id = ? AND "
                        + "node = ? AND " + RUNNING,
                status.state().name(), status.eventsDone(), status.eventsTotal(), status.message(),
                status.finishedAt() == null ? null : status.finishedAt().toString(), id, node) == 1;
    }

    /** The latest rebuild of the read model, of any node. */
    Optional<RebuildStatus> latest(String readModel) {
        return db.fetchOptional("SELECT read_model, state, events_done, events_total, started_at, finished_at, "
                        + "message FROM read_model_rebuild_job WHERE read_model = ? ORDER BY started_at DESC, id "
                        + "LIMIT 1", readModel)
                .map(RebuildJobs::status);
    }

    /** The running rebuilds of every node, by read model. */
    Map<String, Job> running() {
        Map<String, Job> running = new LinkedHashMap<>();
        db.fetch("SELECT id, read_model, state, node, takeovers, started_at FROM read_model_rebuild_job WHERE "
                + RUNNING).forEach(row -> {
                    Job job = job(row);
                    running.put(job.readModel(), job);
                });
        return running;
    }

    /** Writes the heartbeat of every rebuild {@code node} runs. */
    void beat(String node) {
        db.execute("UPDATE read_model_rebuild_job SET heartbeat = now() WHERE node = ? AND " + RUNNING, node);
    }

    /**
     * Takes over, for {@code node}, the running rebuilds whose node has not written its heartbeat for
     * {@code timeout} (one statement per rebuild: two nodes never take the same one).
     */
    List<Job> takeOverStale(String node, Duration timeout) {
        return db.fetch("UPDATE read_model_rebuild_job SET node = ?, heartbeat = now(), takeovers = takeovers + 1, "
                        + "state = 'PREPARING', events_done = 0, message = 'taken over from a node that stopped' "
                        + "WHERE " + RUNNING + " AND heartbeat < now() - make_interval(secs => ?) "
                        + "RETURNING id, read_model, state, node, takeovers, started_at", node,
                timeout.toMillis() / 1000.0).map(RebuildJobs::job);
    }

    /** Keeps where the live tables' processor stood, segment by segment, before the rebuild moves its tokens. */
    void keepLiveTokens(String id, Map<Integer, StoredToken> tokens) {
        db.execute("DELETE FROM read_model_rebuild_token WHERE job_id = ?", id);
        tokens.forEach((segment, token) -> db.execute("INSERT INTO read_model_rebuild_token (job_id, segment, token, "
                + "token_type) VALUES (?, ?, ?, ?)", id, segment, token.token(), token.type()));
    }

    /** Where the live tables' processor stood when the rebuild took its tokens over (empty: it had not). */
    Map<Integer, StoredToken> liveTokens(String id) {
        Map<Integer, StoredToken> tokens = new LinkedHashMap<>();
        db.fetch("SELECT segment, token, token_type FROM read_model_rebuild_token WHERE job_id = ? ORDER BY segment",
                id).forEach(row -> tokens.put(row.get(0, Integer.class),
                new StoredToken(row.get(1, byte[].class), row.get(2, String.class))));
        return tokens;
    }

    void forgetLiveTokens(String id) {
        db.execute("DELETE FROM read_model_rebuild_token WHERE job_id = ?", id);
    }

    private static Job job(Record row) {
        return new Job(row.get("id", String.class), row.get("read_model", String.class),
                RebuildStatus.State.valueOf(row.get("state", String.class)), row.get("node", String.class),
                row.get("takeovers", Integer.class), row.get("started_at", OffsetDateTime.class).toInstant());
    }

    private static RebuildStatus status(Record row) {
        long done = row.get("events_done", Long.class);
        long total = row.get("events_total", Long.class);
        Instant started = row.get("started_at", OffsetDateTime.class).toInstant();
        OffsetDateTime finishedAt = row.get("finished_at", OffsetDateTime.class);
        Instant finished = finishedAt == null ? null : finishedAt.toInstant();
        Instant until = finished != null ? finished : Instant.now();
        double seconds = Math.max(Duration.between(started, until).toMillis(), 1) / 1000.0;
        double rate = done / seconds;
        RebuildStatus.State state = RebuildStatus.State.valueOf(row.get("state", String.class));
        Long eta = state == RebuildStatus.State.DONE ? Long.valueOf(0)
                : rate > 0 && done > 0 ? Math.round(Math.max(0, total - done) / rate) : null;
        return new RebuildStatus(row.get("read_model", String.class), state, done, total, rate, eta, started, finished,
                row.get("message", String.class));
    }
}
