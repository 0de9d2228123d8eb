-- (Axon's token_entry, which every streaming processor uses, is created by infra/platform's db/axon V1.)

-- The timeline read model: every action of every customer, in the order it was stored.
-- action_id (the envelope id) makes every write safe to repeat during a replay.
CREATE TABLE timeline_event (
    action_id    VARCHAR(255)  NOT NULL PRIMARY KEY,
    customer_id  VARCHAR(255)  NOT NULL,
    seq          BIGINT        NOT NULL,
    type         VARCHAR(64)   NOT NULL,
    occurred_at  TIMESTAMPTZ   NOT NULL,
    time_text    VARCHAR(64)   NOT NULL,
    actor        VARCHAR(255)  NOT NULL,
    source       VARCHAR(2048),
    device_id    VARCHAR(255),
    client_ip    VARCHAR(64),
    recorded_at  TIMESTAMPTZ   NOT NULL,
    data         JSONB         NOT NULL,
    CONSTRAINT timeline_event_customer_seq UNIQUE (customer_id, seq)
);
