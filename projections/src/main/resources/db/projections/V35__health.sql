-- Rep health (read model "health", contract §8, docs/health.md, ADR 0033): plan-independent facts, from which each
-- metric and the incentive are computed at query time with the current incentive plan's parameters.

-- Each customer as the projection has folded it so far, in stored order: its owner now (none while in the public
-- pool), whether it is won or lost, its earliest contract (by time, then stored order) and its earliest effective
-- contact (VisitLogged or CustomerActionObserved, by time). owner_seq: the sequence number of the last change of owner
-- applied, so that a repeated one changes nothing; last_seq: the customer's last sequence number applied (compared
-- with the event store by the consistency check).
CREATE TABLE health_customer (
    customer_id            VARCHAR(255) NOT NULL PRIMARY KEY,
    owner_rep_id           VARCHAR(255),
    closed                 BOOLEAN      NOT NULL DEFAULT FALSE,
    first_contract_at      TIMESTAMPTZ,
    first_contract_seq     BIGINT,
    first_contract_id      VARCHAR(255),
    first_contact_at       TIMESTAMPTZ,
    owner_seq              BIGINT       NOT NULL DEFAULT -1,
    last_seq               BIGINT       NOT NULL
);

-- The actions the metrics count: sales actions (actor not "system", type not CustomerActionObserved), signals
-- (ObjectionRaised, CustomerActionObserved) and visits. rep_id: the customer's owner when the action was applied
-- (null in the pool); open: for a signal, whether the customer was neither won nor lost before it;
-- next_sales_at / next_other_sales_at: for a signal / a visit, the earliest time later than its own of a sales action
-- (of another type than VisitLogged) on the same customer, whenever it was stored.
CREATE TABLE health_action (
    action_id           VARCHAR(255) NOT NULL PRIMARY KEY,
    customer_id         VARCHAR(255) NOT NULL,
    seq                 BIGINT       NOT NULL,
    rep_id              VARCHAR(255),
    type                VARCHAR(64)  NOT NULL,
    occurred_at         TIMESTAMPTZ  NOT NULL,
    is_sales            BOOLEAN      NOT NULL,
    is_signal           BOOLEAN      NOT NULL,
    customer_open       BOOLEAN      NOT NULL,
    next_sales_at       TIMESTAMPTZ,
    next_other_sales_at TIMESTAMPTZ
);
-- a rep's (or a few reps') period; every rep's period (a ranking over all reps); a customer's actions by time
CREATE INDEX health_action_rep ON health_action (rep_id, occurred_at);
CREATE INDEX health_action_time ON health_action (occurred_at);
CREATE INDEX health_action_customer ON health_action (customer_id, occurred_at);

-- Which actions a CustomerActionObserved names (refActionId), whenever it came.
CREATE TABLE health_observed (
    ref_action_id VARCHAR(255) NOT NULL PRIMARY KEY,
    customer_id   VARCHAR(255) NOT NULL
);

-- Each ContractSigned: whose (the owner when applied), when, its amount and currency, its distinct departments, and
-- whether it has lines (each line's quantity × unitPrice and margin in health_contract_line).
CREATE TABLE health_contract (
    action_id   VARCHAR(255)   NOT NULL PRIMARY KEY,
    customer_id VARCHAR(255)   NOT NULL,
    seq         BIGINT         NOT NULL,
    rep_id      VARCHAR(255),
    occurred_at TIMESTAMPTZ    NOT NULL,
    currency    VARCHAR(3)     NOT NULL,
    amount      NUMERIC        NOT NULL,
    departments INTEGER        NOT NULL,
    has_lines   BOOLEAN        NOT NULL
);
CREATE INDEX health_contract_rep ON health_contract (rep_id, occurred_at);
CREATE INDEX health_contract_time ON health_contract (occurred_at);

CREATE TABLE health_contract_line (
    action_id        VARCHAR(255) NOT NULL,
    line_no          INTEGER      NOT NULL,
    amount           NUMERIC      NOT NULL,
    gross_margin_pct NUMERIC,
    PRIMARY KEY (action_id, line_no)
);

-- Every version of the INCENTIVE rules (RulePublished whose body's kind is INCENTIVE), and their retirement (or a
-- new version of another kind: retired = true). The current plan is the latest version of an INCENTIVE rule whose
-- latest row is not retired.
CREATE TABLE health_plan (
    rule_id      VARCHAR(255) NOT NULL,
    version      INTEGER      NOT NULL,
    retired      BOOLEAN      NOT NULL,
    body         JSONB,
    published_at TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (rule_id, version)
);
