-- The users and the organisation (contract §7), shared by both sides and run by whichever starts first (with the
-- Axon tables, history flyway_history_axon). org_user_event is the log: every change of a user, who made it, when,
-- and the user before and after, never updated or deleted; org_user is the user as its last event left it, written
-- in the same transaction. org_credential holds the hash of each client secret of the embedded authorization server.
CREATE TABLE org_user (
    user_id       VARCHAR(255)  NOT NULL PRIMARY KEY,
    name          VARCHAR(1024) NOT NULL,
    roles         VARCHAR(32)[] NOT NULL,
    team          VARCHAR(255),
    region        VARCHAR(255),
    supervisor_id VARCHAR(255),
    active        BOOLEAN       NOT NULL,
    version       BIGINT        NOT NULL,
    changed_at    TIMESTAMPTZ   NOT NULL,
    changed_by    VARCHAR(255)  NOT NULL
);
CREATE INDEX org_user_supervisor ON org_user (supervisor_id);

CREATE TABLE org_user_event (
    seq         BIGSERIAL    NOT NULL PRIMARY KEY,
    user_id     VARCHAR(255) NOT NULL,
    version     BIGINT       NOT NULL,
    type        VARCHAR(32)  NOT NULL,
    at          TIMESTAMPTZ  NOT NULL,
    changed_by  VARCHAR(255) NOT NULL,
    before      JSONB,
    after       JSONB        NOT NULL,
    CONSTRAINT org_user_event_version UNIQUE (user_id, version)
);

CREATE TABLE org_credential (
    client_id   VARCHAR(255) NOT NULL PRIMARY KEY,
    user_id     VARCHAR(255) NOT NULL,
    secret_hash VARCHAR(255) NOT NULL,
    issued_at   TIMESTAMPTZ  NOT NULL,
    issued_by   VARCHAR(255) NOT NULL
);
