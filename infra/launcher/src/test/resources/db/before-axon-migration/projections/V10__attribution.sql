-- The attribution read model (ADR 0014): the journeys (touches, conversions, the time each customer reached
-- NEEDS_CONFIRMED, registration data), the costs, and the credit of every rule-based model for the precomputed
-- windows, summed per day and per month so that answering never reads more than a few thousand rows.
-- Every row that comes from one event is keyed by (customer_id, seq): a replayed event writes nothing twice.

-- The definition the tables were built with (one row): which actions count as touches and which windows are
-- precomputed. A changed setting takes effect when the read model is rebuilt.
CREATE TABLE attribution_definition (
    id          SMALLINT      NOT NULL PRIMARY KEY,
    touch_types VARCHAR(4096) NOT NULL,
    windows     VARCHAR(4096) NOT NULL
);

-- Per customer: registration data (the filters), the acquisition channel, the lifecycle stage (shared Lifecycle),
-- when it reached NEEDS_CONFIRMED (or a later stage) and its first conversion.
CREATE TABLE attribution_customer (
    customer_id         VARCHAR(255) NOT NULL PRIMARY KEY,
    region              VARCHAR(255) NOT NULL,
    team                VARCHAR(255),
    owner_rep_id        VARCHAR(255) NOT NULL,
    channel             VARCHAR(255) NOT NULL,
    registered_at       TIMESTAMPTZ  NOT NULL,
    stage               VARCHAR(32)  NOT NULL,
    needs_confirmed_at  TIMESTAMPTZ,
    first_conversion_at TIMESTAMPTZ,
    -- the aggregate sequence number of the last action applied: an action at or below it is a repeat
    last_seq            BIGINT       NOT NULL
);
CREATE INDEX attribution_customer_first_conversion ON attribution_customer (first_conversion_at);

-- Touches: the actions the definition counts as touches, with their channel; ordered by time, then seq.
CREATE TABLE attribution_touch (
    customer_id VARCHAR(255) NOT NULL,
    seq         BIGINT       NOT NULL,
    occurred_at TIMESTAMPTZ  NOT NULL,
    channel     VARCHAR(255) NOT NULL,
    type        VARCHAR(64)  NOT NULL,
    action_id   VARCHAR(255),
    PRIMARY KEY (customer_id, seq)
);

-- Conversions: every ContractSigned.
CREATE TABLE attribution_conversion (
    customer_id VARCHAR(255) NOT NULL,
    seq         BIGINT       NOT NULL,
    occurred_at TIMESTAMPTZ  NOT NULL,
    amount      NUMERIC      NOT NULL,
    currency    VARCHAR(3)   NOT NULL,
    contract_id VARCHAR(255) NOT NULL,
    action_id   VARCHAR(255),
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX attribution_conversion_time ON attribution_conversion (occurred_at);

-- Every action's envelope id, so that a cost's refActionId resolves whatever the order the two arrive in.
CREATE TABLE attribution_action (
    action_id     VARCHAR(255) NOT NULL PRIMARY KEY,
    customer_id   VARCHAR(255) NOT NULL,
    -- the action's channel when the definition counts it as a touch
    touch_channel VARCHAR(255)
);

-- Costs (CostIncurred) as given; the channel is resolved when asked (ADR 0014).
CREATE TABLE attribution_cost (
    customer_id   VARCHAR(255) NOT NULL,
    seq           BIGINT       NOT NULL,
    occurred_at   TIMESTAMPTZ  NOT NULL,
    category      VARCHAR(255) NOT NULL,
    amount        NUMERIC      NOT NULL,
    currency      VARCHAR(3)   NOT NULL,
    channel       VARCHAR(255),
    ref_action_id VARCHAR(255),
    action_id     VARCHAR(255),
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX attribution_cost_time ON attribution_cost (occurred_at);

-- The credit of every rule-based model under every precomputed window, summed per conversion day (grain 'D') and
-- per conversion month (grain 'M', bucket = first day of the month), UTC, by the customer's region, team ('' for
-- none) and owner. Sums are exact decimals; shares counts the conversion shares in the sum (rows at 0 are deleted).
CREATE TABLE attribution_credit (
    model          VARCHAR(32)  NOT NULL,
    lookback_days  INTEGER      NOT NULL,
    -- the half-life of time_decay; 0 for the other models
    half_life_days NUMERIC      NOT NULL,
    grain          VARCHAR(1)   NOT NULL,
    bucket         DATE         NOT NULL,
    region         VARCHAR(255) NOT NULL,
    team           VARCHAR(255) NOT NULL,
    owner_rep_id   VARCHAR(255) NOT NULL,
    channel        VARCHAR(255) NOT NULL,
    currency       VARCHAR(3)   NOT NULL,
    conversions    NUMERIC      NOT NULL,
    revenue        NUMERIC      NOT NULL,
    shares         INTEGER      NOT NULL,
    PRIMARY KEY (model, lookback_days, half_life_days, grain, bucket, region, team, owner_rep_id, channel, currency)
);
