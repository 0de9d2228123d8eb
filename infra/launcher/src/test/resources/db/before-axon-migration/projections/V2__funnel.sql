-- The funnel read model: one row per customer with its registration data (the funnel's filters), its current
-- stage and the furthest of the ordered stages it ever reached; one row per stage stay for time in stage.
CREATE TABLE funnel_customer (
    customer_id      VARCHAR(255) NOT NULL PRIMARY KEY,
    name             VARCHAR(1024) NOT NULL,
    region           VARCHAR(255) NOT NULL,
    team             VARCHAR(255),
    owner_rep_id     VARCHAR(255) NOT NULL,
    channel          VARCHAR(255) NOT NULL,
    registered_at    TIMESTAMPTZ  NOT NULL,
    stage            VARCHAR(32)  NOT NULL,
    stage_entered_at TIMESTAMPTZ  NOT NULL,
    -- rank of the furthest ordered stage reached: 0 FIRST_CONTACT … 5 CONTRACT_SIGNED (a lost customer keeps
    -- the rank it had reached before it was lost)
    furthest_rank    SMALLINT     NOT NULL,
    last_action_at   TIMESTAMPTZ  NOT NULL,
    last_action_type VARCHAR(64)  NOT NULL,
    -- the aggregate sequence number of the last action applied: an action at or below it is a repeat
    last_seq         BIGINT       NOT NULL
);
CREATE INDEX funnel_customer_region ON funnel_customer (region, registered_at);
CREATE INDEX funnel_customer_team ON funnel_customer (team, registered_at);
CREATE INDEX funnel_customer_owner ON funnel_customer (owner_rep_id, registered_at);
CREATE INDEX funnel_customer_channel ON funnel_customer (channel, registered_at);
CREATE INDEX funnel_customer_registered ON funnel_customer (registered_at);
-- stalled lists: customers in a stage, oldest entry first; idle lists: oldest last action first
CREATE INDEX funnel_customer_stalled ON funnel_customer (stage, stage_entered_at);
CREATE INDEX funnel_customer_idle ON funnel_customer (last_action_at);

CREATE TABLE funnel_stage_stay (
    customer_id VARCHAR(255) NOT NULL,
    stage       VARCHAR(32)  NOT NULL,
    entered_at  TIMESTAMPTZ  NOT NULL,
    exited_at   TIMESTAMPTZ,
    PRIMARY KEY (customer_id, stage)
);
