package org.salesledger.infra.kafka.replay;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The replays as kept in {@code kafka_replay_job} (command migration V24): what any command node answers about them,
 * and which node runs each. Heartbeats and their age are PostgreSQL's {@code now()}, so the nodes' clocks need not
 * agree. Every write by the node running a replay names that node: a node that lost its replay to another (it was
 * taken for dead) updates nothing and stops.
 */
final class ReplayJobs {

    private static final String COLUMNS = "id, topic, from_time, force, state, events_done, events_total, published, "
            + "skipped, head_position, resume_token, resume_token_type, node, takeovers, started_at, finished_at, "
            + "message";
    private static final String RUNNING = "state IN ('PREPARING', 'PUBLISHING')";

    /** A replay's row. */
    record Job(String id, String topic, Instant from, boolean force, ReplayStatus.State state, long eventsDone,
               long eventsTotal, long published, long skipped, Long headPosition, byte[] resumeToken,
               String resumeTokenType, String node, int takeovers, Instant startedAt, Instant finishedAt,
               String message) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ReplayJobs(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a new replay run by {@code node}; empty when another replay is running (on any node). */
    Optional<Job> insert(String id, String topic, Instant from, boolean force, String node) {
        try {
            jdbc.update("INSERT INTO kafka_replay_job (id, topic, from_time, force, state, node, heartbeat, "
                            + "started_at, message) VALUES (?, ?, ?, ?, 'PREPARING', ?, now(), ?, ?)",
                    id, topic, timestamp(from), force, node, timestamp(clock.instant()),
                    "counting the stored events to republish");
        } catch (DuplicateKeyException e) {
            return Optional.empty();
        }
        return find(id);
    }

    Optional<Job> running() {
        return jdbc.query("SELECT " + COLUMNS + " FROM kafka_replay_job WHERE " + RUNNING, MAPPER).stream()
                .findFirst();
    }

    Optional<Job> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM kafka_replay_job WHERE id = ?", MAPPER, id).stream()
                .findFirst();
    }

    /** The latest {@code limit} replays, the latest first. */
    List<Job> latest(int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM kafka_replay_job ORDER BY started_at DESC, id LIMIT ?",
                MAPPER, limit);
    }

    /** The replay's total, once counted; false when the node no longer runs it. */
    boolean counted(String id, String node, long headPosition, long total) {
        return jdbc.update("UPDATE kafka_replay_job SET state = 'PUBLISHING', head_position = ?, events_total = ?, "
                + "heartbeat = now(), message = NULL WHERE id = ? AND node = ? AND " + RUNNING,
                headPosition, total, id, node) == 1;
    }

    /** A chunk acknowledged: the counters and the point to resume from; false when the node no longer runs it. */
    boolean acknowledged(String id, String node, long eventsDone, long published, long skipped, byte[] token,
                         String tokenType) {
        return jdbc.update("UPDATE kafka_replay_job SET events_done = ?, published = ?, skipped = ?, "
                + "resume_token = ?, resume_token_type = ?, heartbeat = now() WHERE id = ? AND node = ? AND "
                + RUNNING, eventsDone, published, skipped, token, tokenType, id, node) == 1;
    }

    void finish(String id, String node, ReplayStatus.State state, String message) {
        jdbc.update("UPDATE kafka_replay_job SET state = ?, finished_at = ?, message = ?, heartbeat = now() "
                + "WHERE id = ? AND node = ? AND " + RUNNING, state.name(), timestamp(clock.instant()), message, id,
                node);
    }

    /** Writes the heartbeat of every replay {@code node} runs. */
    void beat(String node) {
        jdbc.update("UPDATE kafka_replay_job SET heartbeat = now() WHERE node = ? AND " + RUNNING, node);
    }

    /**
     * Takes over, for {@code node}, the running replay whose node has not written its heartbeat for
     * {@code timeout} (one statement: two nodes never take the same replay).
     */
    Optional<Job> takeOverStale(String node, Duration timeout) {
        return jdbc.query("UPDATE kafka_replay_job SET node = ?, heartbeat = now(), takeovers = takeovers + 1 "
                        + "WHERE " + RUNNING + " AND heartbeat < now() - make_interval(secs => ?) RETURNING " + COLUMNS,
                MAPPER, node, timeout.toMillis() / 1000.0).stream().findFirst();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static final RowMapper<Job> MAPPER = ReplayJobs::job;

    private static Job job(ResultSet row, int index) throws SQLException {
        long head = row.getLong("head_position");
        Long headPosition = row.wasNull() ? null : head;
        return new Job(row.getString("id"), row.getString("topic"), instant(row, "from_time"),
                row.getBoolean("force"), ReplayStatus.State.valueOf(row.getString("state")),
                row.getLong("events_done"), row.getLong("events_total"), row.getLong("published"),
                row.getLong("skipped"), headPosition, row.getBytes("resume_token"),
                row.getString("resume_token_type"), row.getString("node"), row.getInt("takeovers"),
                instant(row, "started_at"), instant(row, "finished_at"), row.getString("message"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
