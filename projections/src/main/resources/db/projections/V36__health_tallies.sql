-- Rep health (issue 18): each rep's day of action counts, kept by the projection in the transaction that writes the
-- action rows, so that a ranking reads about 30 rows per rep and month instead of every action of the month
-- (docs/health.md, "Tallies"). Two of the counts depend on the incentive plan's windows and four on its key action
-- types: they are counted under the basis in health_tally_basis, which follows the current plan (recounted from the
-- action rows when a published or retired plan changes it); a query whose plan differs from the basis counts the
-- action rows instead, as before.

-- One row per rep and UTC day of the actions' time (rows of actions in the pool, rep_id null, are not counted): the
-- six action counts of contract §8's metrics, as health_action's rows give them under the basis.
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

-- The plan parameters health_day is counted under (one row, made on the projection's first write): the follow-up
-- and task-closure windows (ISO-8601 durations as java.time.Duration writes them) and the key action types, sorted.
CREATE TABLE health_tally_basis (
    id                  SMALLINT     NOT NULL PRIMARY KEY CHECK (id = 1),
    follow_up_within    VARCHAR(64)  NOT NULL,
    task_closure_within VARCHAR(64)  NOT NULL,
    key_types           TEXT[]       NOT NULL
);
