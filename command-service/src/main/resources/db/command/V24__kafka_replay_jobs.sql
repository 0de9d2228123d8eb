-- Kafka replays (infra/kafka KafkaReplays) kept in PostgreSQL, so that any command node answers their status and a
-- replay whose node died is resumed by another (ADR 0037). A running replay's node writes its heartbeat every
-- second; a replay whose heartbeat is older than salesledger.kafka.replay.heartbeat-timeout is taken over, from its
-- last acknowledged chunk (resume_token: the tracking token after that chunk, serialized by Axon's serializer).
CREATE TABLE kafka_replay_job (
    id                varchar(36)  PRIMARY KEY,
    topic             varchar(249) NOT NULL,
    from_time         timestamptz,
    force             boolean      NOT NULL,
    state             varchar(16)  NOT NULL,
    events_done       bigint       NOT NULL DEFAULT 0,
    events_total      bigint       NOT NULL DEFAULT 0,
    published         bigint       NOT NULL DEFAULT 0,
    skipped           bigint       NOT NULL DEFAULT 0,
    head_position     bigint,
    resume_token      bytea,
    resume_token_type varchar(255),
    node              varchar(255) NOT NULL,
    heartbeat         timestamptz  NOT NULL,
    takeovers         integer      NOT NULL DEFAULT 0,
    started_at        timestamptz  NOT NULL,
    finished_at       timestamptz,
    message           text
);

-- one replay runs at a time, over all nodes
CREATE UNIQUE INDEX kafka_replay_job_one_running ON kafka_replay_job ((true))
    WHERE state IN ('PREPARING', 'PUBLISHING');

CREATE INDEX kafka_replay_job_started ON kafka_replay_job (started_at DESC);
