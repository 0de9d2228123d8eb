-- Work lists (read model "worklists"): the customers as the lists show them (current owner, class, last action,
-- pool status), the escalations and the reps' to-dos the time-driven and talk-track rules recorded, each open until
-- the awaited action arrives (closed_at, closed_by).
CREATE TABLE worklist_customer (
    customer_id      VARCHAR(255)  NOT NULL PRIMARY KEY,
    name             VARCHAR(1024) NOT NULL,
    region           VARCHAR(255)  NOT NULL,
    owner_rep_id     VARCHAR(255),
    customer_class   VARCHAR(255),
    stage            VARCHAR(32)   NOT NULL,
    last_action_at   TIMESTAMPTZ   NOT NULL,
    last_action_type VARCHAR(64)   NOT NULL,
    last_action_id   VARCHAR(255)  NOT NULL,
    in_pool          BOOLEAN       NOT NULL DEFAULT FALSE,
    released_at      TIMESTAMPTZ,
    previous_owner   VARCHAR(255),
    released_by_rule VARCHAR(255),
    -- the customer's sequence number of the last event applied: an event at or below it is a repeat
    last_seq         BIGINT        NOT NULL
);
-- the public pool, oldest release first
CREATE INDEX worklist_customer_pool ON worklist_customer (released_at, customer_id) WHERE in_pool;

CREATE TABLE worklist_escalation (
    action_id      VARCHAR(255) NOT NULL PRIMARY KEY,
    customer_id    VARCHAR(255) NOT NULL,
    seq            BIGINT       NOT NULL,
    escalated_to   VARCHAR(255) NOT NULL,
    stage          VARCHAR(32)  NOT NULL,
    since          TIMESTAMPTZ  NOT NULL,
    raised_at      TIMESTAMPTZ  NOT NULL,
    after          VARCHAR(64)  NOT NULL,
    unless_types   VARCHAR(1024) NOT NULL,
    owner_rep_id   VARCHAR(255),
    rule_id        VARCHAR(255) NOT NULL,
    rule_version   INTEGER      NOT NULL,
    closed_at      TIMESTAMPTZ,
    closed_by      VARCHAR(255),
    closed_because VARCHAR(64)
);
CREATE INDEX worklist_escalation_open ON worklist_escalation (escalated_to, raised_at) WHERE closed_at IS NULL;
CREATE INDEX worklist_escalation_customer ON worklist_escalation (customer_id) WHERE closed_at IS NULL;

-- a rep's to-dos: FOLLOW_UP (FollowUpDue), COLLECTION (CollectionDue), POOL_RELEASE (PoolReleaseReminded),
-- TALK_TRACK (TalkTracksSuggested awaiting feedback)
CREATE TABLE worklist_todo (
    action_id      VARCHAR(255) NOT NULL PRIMARY KEY,
    customer_id    VARCHAR(255) NOT NULL,
    seq            BIGINT       NOT NULL,
    kind           VARCHAR(32)  NOT NULL,
    rep_id         VARCHAR(255),
    copy_to        VARCHAR(255),
    due_at         TIMESTAMPTZ  NOT NULL,
    subject        VARCHAR(255),
    rule_id        VARCHAR(255) NOT NULL,
    details        JSONB        NOT NULL,
    closed_at      TIMESTAMPTZ,
    closed_by      VARCHAR(255),
    closed_because VARCHAR(64)
);
CREATE INDEX worklist_todo_rep ON worklist_todo (rep_id, due_at) WHERE closed_at IS NULL;
CREATE INDEX worklist_todo_copy ON worklist_todo (copy_to, due_at) WHERE closed_at IS NULL;
CREATE INDEX worklist_todo_customer ON worklist_todo (customer_id, kind) WHERE closed_at IS NULL;
