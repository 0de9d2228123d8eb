-- Rep health (issue 18, ADR 0042): each rep's day of counts, kept by the projection in the transaction that writes
-- the rows they count, so that a ranking reads a few rows per rep and day instead of every action and contract of the
-- period (docs/health.md, "Tallies"). Six of the counts depend on the incentive plan (its windows, key action types,
-- new-customer definition and margin threshold): they are counted under the basis in health_tally_basis, which follows
-- the current plan (recounted from the rows when a published or retired plan changes it); a query whose plan differs
-- from the basis counts the rows instead.

-- One row per rep and UTC day of the actions' time (actions in the pool, rep_id null, count for nobody): the six
-- action counts of contract §8's metrics, as health_action's rows give them under the basis.
CREATE TABLE health_day (
    rep_id        VARCHAR(255) NOT NULL,
    day           DATE         NOT NULL,
    signals       BIGINT       NOT NULL,
    followed      BIGINT       NOT NULL,
    key_actions   BIGINT       NOT NULL,
    observed      BIGINT       NOT NULL,
    visits        BIGINT       NOT NULL,
    visits_closed BIGINT       NOT NULL,
    PRIMARY KEY (rep_id, day)
);
-- a ranking: every rep's days of a period
CREATE INDEX health_day_day ON health_day (day);

-- One row per rep, UTC day and currency of the contracts' time: their counts and sums, exact, as health_contract's
-- and health_contract_line's rows give them under the basis.
CREATE TABLE health_day_contract (
    rep_id          VARCHAR(255) NOT NULL,
    day             DATE         NOT NULL,
    currency        VARCHAR(3)   NOT NULL,
    contracts       BIGINT       NOT NULL,
    revenue         NUMERIC      NOT NULL,
    new_contracts   BIGINT       NOT NULL,
    cross_contracts BIGINT       NOT NULL,
    with_lines      BIGINT       NOT NULL,
    line_amount     NUMERIC      NOT NULL,
    high_amount     NUMERIC      NOT NULL,
    high_contracts  BIGINT       NOT NULL,
    PRIMARY KEY (rep_id, day, currency)
);
CREATE INDEX health_day_contract_day ON health_day_contract (day);

-- The plan parameters the days are counted under (one row, made on the projection's first write): the follow-up and
-- task-closure windows and the new-customer window (ISO-8601 durations as java.time.Duration writes them), the key
-- action types (sorted), the new-customer definition and the high-margin threshold (a plain decimal, no trailing zeros).
CREATE TABLE health_tally_basis (
    id                  SMALLINT     NOT NULL PRIMARY KEY CHECK (id = 1),
    follow_up_within    VARCHAR(64)  NOT NULL,
    task_closure_within VARCHAR(64)  NOT NULL,
    key_types           TEXT[]       NOT NULL,
    new_customer        VARCHAR(64)  NOT NULL,
    new_customer_window VARCHAR(64)  NOT NULL,
    high_margin_pct     VARCHAR(64)  NOT NULL
);
