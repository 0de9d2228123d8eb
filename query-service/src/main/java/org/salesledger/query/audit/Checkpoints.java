package org.salesledger.query.audit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.salesledger.audit.checkpoint.Checkpoint;
import org.salesledger.audit.hash.Hash;
import org.salesledger.audit.note.NoteSigningKey;
import org.salesledger.audit.tree.ProofGenerator;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The log's signed checkpoints (C2SP tlog-checkpoint notes, contract §9): signed with the key of the data directory,
 * every one kept in {@code audit_checkpoint} (one per tree size; Ed25519 signatures are deterministic, so signing a
 * size twice gives the same note) and published to Kafka by {@link CheckpointPublisher}.
 */
final class Checkpoints {

    private final JdbcTemplate jdbc;
    private final NoteSigningKey key;
    private final String origin;
    private final Clock clock;

    Checkpoints(JdbcTemplate jdbc, NoteSigningKey key, String origin, Clock clock) {
        this.jdbc = jdbc;
        this.key = key;
        this.origin = origin;
        this.clock = clock;
    }

    /** A stored checkpoint: its size, when it was signed and the signed note. */
    record Stored(long size, Instant signedAt, String note) {
    }

    String origin() {
        return origin;
    }

    NoteSigningKey key() {
        return key;
    }

    /** The number of leaves in the tree now. */
    long treeSize() {
        Long size = jdbc.queryForObject("SELECT size FROM audit_log WHERE id = 1", Long.class);
        return size == null ? 0 : size;
    }

    Optional<Stored> latest() {
        return one("SELECT size, signed_at, note FROM audit_checkpoint ORDER BY size DESC LIMIT 1");
    }

    Optional<Stored> ofSize(long size) {
        return one("SELECT size, signed_at, note FROM audit_checkpoint WHERE size = ?", size);
    }

    /**
     * The checkpoint of {@code size}: the stored one, or one signed now and stored.
     *
     * @throws IllegalArgumentException if the tree has fewer than {@code size} leaves
     */
    Stored ofSizeSigningIfNeeded(long size) {
        Optional<Stored> stored = ofSize(size);
        if (stored.isPresent()) {
            return stored.get();
        }
        return sign(size);
    }

    /** Signs and stores the checkpoint of {@code size} (the tree must have it). */
    Stored sign(long size) {
        ProofGenerator tree = new ProofGenerator(new PostgresTreeStore(jdbc));
        if (size > tree.size()) {
            throw new IllegalArgumentException("the tree has " + tree.size() + " leaves, fewer than " + size);
        }
        Hash root = tree.rootHash(size);
        String note = new Checkpoint(origin, size, root).sign(key);
        jdbc.update("INSERT INTO audit_checkpoint (size, root_hash, note, signed_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (size) DO NOTHING", size, root.bytes(), note, Timestamp.from(clock.instant()));
        return ofSize(size).orElseThrow();
    }

    /** Checkpoints not published yet, smallest size first. */
    List<Stored> unpublished(int limit) {
        return jdbc.query("SELECT size, signed_at, note FROM audit_checkpoint WHERE NOT published ORDER BY size "
                + "LIMIT ?", (row, n) -> new Stored(row.getLong(1), row.getTimestamp(2).toInstant(),
                row.getString(3)), limit);
    }

    void published(long size) {
        jdbc.update("UPDATE audit_checkpoint SET published = TRUE WHERE size = ?", size);
    }

    private Optional<Stored> one(String sql, Object... args) {
        return jdbc.query(sql, (row, n) -> new Stored(row.getLong(1), row.getTimestamp(2).toInstant(),
                row.getString(3)), args).stream().findFirst();
    }
}
