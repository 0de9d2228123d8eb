-- Pre-aggregated funnel counts (docs/adr/0007): the funnel with at most one of the region/team/rep/channel
-- filters (and any registration-date range), or broken down by one of them or by month, is answered from these
-- tables instead of funnel_customer. The projection keeps them in step with funnel_customer, in the same
-- transaction, by adding the changes of each processor batch.
--
-- A customer is counted under five dimensions: ('all', ''), ('region', its region), ('team', its team) or
-- ('team_none', '') when it has no team, ('rep', its owner) and ('channel', its channel); day is its registration
-- day in UTC (the from/to filters are days of registration in UTC).

-- Customers by current stage and furthest rank reached (see funnel_customer.furthest_rank). Rows that fall to zero
-- are deleted.
CREATE TABLE funnel_tally (
    dimension     VARCHAR(16)  NOT NULL,
    value         VARCHAR(255) NOT NULL,
    day           DATE         NOT NULL,
    stage         VARCHAR(32)  NOT NULL,
    furthest_rank SMALLINT     NOT NULL,
    customers     BIGINT       NOT NULL,
    PRIMARY KEY (dimension, value, day, stage, furthest_rank)
);

-- Stays that have ended (a stage the customer left) and their total length in microseconds (a stay that ends
-- before it began counts as zero): the average time in a stage is micros / stays.
CREATE TABLE funnel_stay_tally (
    dimension VARCHAR(16)  NOT NULL,
    value     VARCHAR(255) NOT NULL,
    day       DATE         NOT NULL,
    stage     VARCHAR(32)  NOT NULL,
    stays     BIGINT       NOT NULL,
    micros    NUMERIC      NOT NULL,
    PRIMARY KEY (dimension, value, day, stage)
);

-- Existing read models start with tallies of what they hold (hidden from jOOQ's DDL parser, which only needs the
-- tables).
-- [jooq ignore start]
INSERT INTO funnel_tally (dimension, value, day, stage, furthest_rank, customers)
SELECT d.dimension, d.value, (c.registered_at AT TIME ZONE 'UTC')::date, c.stage, c.furthest_rank, count(*)
FROM funnel_customer c
CROSS JOIN LATERAL (VALUES ('all', ''), ('region', c.region),
        (CASE WHEN c.team IS NULL THEN 'team_none' ELSE 'team' END, coalesce(c.team, '')),
        ('rep', c.owner_rep_id), ('channel', c.channel)) AS d (dimension, value)
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO funnel_stay_tally (dimension, value, day, stage, stays, micros)
SELECT d.dimension, d.value, (c.registered_at AT TIME ZONE 'UTC')::date, s.stage, count(*),
       sum(greatest(0, round(extract(epoch FROM s.exited_at - s.entered_at) * 1000000)))
FROM funnel_stage_stay s
JOIN funnel_customer c ON c.customer_id = s.customer_id
CROSS JOIN LATERAL (VALUES ('all', ''), ('region', c.region),
        (CASE WHEN c.team IS NULL THEN 'team_none' ELSE 'team' END, coalesce(c.team, '')),
        ('rep', c.owner_rep_id), ('channel', c.channel)) AS d (dimension, value)
WHERE s.exited_at IS NOT NULL
GROUP BY 1, 2, 3, 4;
-- [jooq ignore stop]
