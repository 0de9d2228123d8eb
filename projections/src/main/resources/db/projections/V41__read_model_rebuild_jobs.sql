-- Read-model rebuilds (projections ReadModelRebuilds) kept in PostgreSQL, so that any query node answers their status
-- and a rebuild whose node died is done again by another (ADR 0037). The node running a rebuild writes its heartbeat
-- every second; one whose heartbeat is older than salesledger.rebuild.heartbeat-timeout is taken over.
CREATE TABLE read_model_rebuild_job (
    id           varchar(36)  PRIMARY KEY,
    read_model   varchar(64)  NOT NULL,
    state        varchar(16)  NOT NULL,
    events_done  bigint       NOT NULL DEFAULT 0,
    events_total bigint       NOT NULL DEFAULT 0,
    node         varchar(255) NOT NULL,
    heartbeat    timestamptz  NOT NULL,
    takeovers    integer      NOT NULL DEFAULT 0,
    started_at   timestamptz  NOT NULL,
    finished_at  timestamptz,
    message      text
);

-- one rebuild of a read model at a time, over all nodes
CREATE UNIQUE INDEX read_model_rebuild_job_one_running ON read_model_rebuild_job (read_model)
    WHERE state IN ('PREPARING', 'REPLAYING', 'SWITCHING');

CREATE INDEX read_model_rebuild_job_started ON read_model_rebuild_job (read_model, started_at DESC);

-- where the live tables' processor stood when a rebuild took its tokens over (token_entry then points into the
-- shadow tables): a rebuild that fails, or that another node takes over, puts them back first
CREATE TABLE read_model_rebuild_token (
    job_id     varchar(36)  NOT NULL REFERENCES read_model_rebuild_job (id) ON DELETE CASCADE,
    segment    integer      NOT NULL,
    token      bytea,
    token_type varchar(255),
    PRIMARY KEY (job_id, segment)
);
