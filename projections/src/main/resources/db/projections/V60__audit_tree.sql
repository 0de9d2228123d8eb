-- The audit log (contract §9, ADR 0030/0031): one RFC 9162 Merkle tree over every stored action in store order.
-- Written only by the query side's appender (org.salesledger.query.audit), never by a read model's projection:
-- the tree is not rebuilt or reset like a read model; its tables are append-only.

-- Not read through generated jOOQ classes (the audit code uses SQL): the jOOQ DDL parser skips the file.
-- [jooq ignore start]
-- One row: the log's stable id (part of its origin line), the tree size and the last global_index of
-- domain_event_entry the appender has passed (0: none yet; Axon's global_index starts at 1).
CREATE TABLE audit_log (
    id        SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    log_id    VARCHAR(64) NOT NULL,
    size      BIGINT      NOT NULL,
    position  BIGINT      NOT NULL
);
INSERT INTO audit_log (id, log_id, size, position)
VALUES (1, substr(replace(gen_random_uuid()::text, '-', ''), 1, 16), 0, 0);

-- Every perfect subtree whose leaves are all in: node (level, idx) covers leaves [idx·2^level, (idx+1)·2^level).
-- Level 0 holds the leaf hashes. Each row is written once, when its last leaf is appended.
CREATE TABLE audit_tree_node (
    level  SMALLINT NOT NULL,
    idx    BIGINT   NOT NULL,
    hash   BYTEA    NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Which stored action each leaf is: for proofs by action id and for the verification.
CREATE TABLE audit_leaf (
    leaf_index    BIGINT       PRIMARY KEY,
    global_index  BIGINT       NOT NULL UNIQUE,
    action_id     VARCHAR(255) NOT NULL
);
CREATE INDEX audit_leaf_action_id ON audit_leaf (action_id);

-- Every signed checkpoint, kept; published to Kafka (salesledger.checkpoints.v1) once, in size order.
CREATE TABLE audit_checkpoint (
    size       BIGINT      PRIMARY KEY,
    root_hash  BYTEA       NOT NULL,
    note       TEXT        NOT NULL,
    signed_at  TIMESTAMPTZ NOT NULL,
    published  BOOLEAN     NOT NULL DEFAULT FALSE
);
CREATE INDEX audit_checkpoint_unpublished ON audit_checkpoint (size) WHERE NOT published;
-- [jooq ignore stop]
