-- Axon's own tables that both sides use, created here and nowhere else (docs/adr/0026), under the snake_case names
-- AxonJdbcSchema gives them. Both sides run these migrations before their own (history: flyway_history_axon), so
-- whichever starts first creates the tables and the other finds them done.
--
-- A database made by an earlier build already has both tables, made by db/command V1/V2 and db/projections V1/V50:
-- "if not exists" keeps them (with a notice, once, on that upgrade).

-- Tracking tokens of every streaming processor, on either side.
CREATE TABLE IF NOT EXISTS token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    PRIMARY KEY (processor_name, segment)
);

-- Axon's dead-letter queue (JdbcSequencedDeadLetterQueue): the read models' parked events on the query side, the
-- Kafka relay's on the command side. An event a processor cannot apply is parked here with its cause, followed by
-- the later events of the same customer (its sequence), while every other customer goes on. Axon writes the times
-- as ISO-8601 text and the serialized message, token and diagnostics as bytes.
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
