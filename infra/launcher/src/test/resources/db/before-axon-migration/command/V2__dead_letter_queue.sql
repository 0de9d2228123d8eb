-- Axon's dead-letter queue (JdbcSequencedDeadLetterQueue) under the snake_case names infra/platform's
-- AxonJdbcSchema gives it: on this side for the Kafka relay's parked events. The query side's migrations create
-- the same table for the read models (db/projections V50), identically, whichever side starts first.
-- Axon writes the times as ISO-8601 text and the serialized message, token and diagnostics as bytes.
CREATE TABLE IF NOT EXISTS dead_letter_entry (
    dead_letter_id       VARCHAR(255) NOT NULL PRIMARY KEY,
    processing_group     VARCHAR(255) NOT NULL,
    sequence_identifier  VARCHAR(255) NOT NULL,
    sequence_index       BIGINT       NOT NULL,
    message_type         VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    payload_type         VARCHAR(255) NOT NULL,
    payload_revision     VARCHAR(255),
    payload              BYTEA        NOT NULL,
    meta_data            BYTEA,
    aggregate_type       VARCHAR(255),
    aggregate_identifier VARCHAR(255),
    sequence_number      BIGINT,
    token_type           VARCHAR(255),
    token                BYTEA,
    enqueued_at          VARCHAR(255) NOT NULL,
    last_touched         VARCHAR(255),
    processing_started   VARCHAR(255),
    cause_type           VARCHAR(255),
    cause_message        TEXT,
    diagnostics          BYTEA,
    CONSTRAINT dead_letter_entry_position UNIQUE (processing_group, sequence_identifier, sequence_index)
);
CREATE INDEX IF NOT EXISTS dead_letter_entry_group ON dead_letter_entry (processing_group);
CREATE INDEX IF NOT EXISTS dead_letter_entry_sequence ON dead_letter_entry (processing_group, sequence_identifier);
