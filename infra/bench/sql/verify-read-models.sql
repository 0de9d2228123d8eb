-- Checks that the read models built from the stored events equal an independent computation made here, in SQL,
-- straight from domain_event_entry's JSON (not through Lifecycle or any Java code). Meant for a small sample
-- loaded with load-events.sql into an otherwise empty system, once the read models have caught up:
--
--   psql -v ON_ERROR_STOP=1 -f verify-read-models.sql
--
-- Every line of the result must say 0 mismatches.

\set ON_ERROR_STOP on
SET max_parallel_workers_per_gather = 0;

DROP TABLE IF EXISTS pg_temp.expected_customer;
-- Contract §2 restated: stages only move forward, a PRICE objection counts only once the customer has reached
-- PROPOSAL_SENT, the first ContractSigned (won) or DealLost (lost) ends the journey.
CREATE TEMP TABLE expected_customer AS
WITH ev AS (
    SELECT aggregate_identifier AS customer, sequence_number AS seq,
           substring(payload_type FROM '[^.]+$') AS type,
           convert_from(payload, 'UTF8')::jsonb AS p,
           convert_from(meta_data, 'UTF8')::jsonb AS m
    FROM domain_event_entry
), sig AS (
    SELECT customer, seq, type,
           CASE type WHEN 'NeedsConfirmed' THEN 1 WHEN 'ProposalSent' THEN 2 WHEN 'TrialRequested' THEN 4
                     WHEN 'ContractSigned' THEN 5 END AS rank,
           type = 'ObjectionRaised' AND p ->> 'objectionType' = 'PRICE' AS price,
           type = 'DealLost' AS lost
    FROM ev
), closing AS (
    SELECT customer, min(seq) FILTER (WHERE rank = 5 OR lost) AS closed_at FROM sig GROUP BY customer
), journey AS (
    SELECT s.*, max(s.rank) OVER (PARTITION BY s.customer ORDER BY s.seq
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached_before
    FROM sig s JOIN closing c USING (customer)
    WHERE c.closed_at IS NULL OR s.seq <= c.closed_at
), outcome AS (
    SELECT customer,
           greatest(coalesce(max(rank), 0),
                    CASE WHEN bool_or(price AND reached_before >= 2) THEN 3 ELSE 0 END) AS furthest,
           bool_or(lost) AS lost
    FROM journey GROUP BY customer
)
SELECT o.customer,
       CASE WHEN o.lost THEN 'LOST'
            ELSE (ARRAY['FIRST_CONTACT', 'NEEDS_CONFIRMED', 'PROPOSAL_SENT', 'PRICE_OBJECTION', 'TRIAL_REQUESTED',
                        'CONTRACT_SIGNED'])[o.furthest + 1] END AS stage,
       o.furthest,
       r.p ->> 'region' AS region, r.p ->> 'team' AS team, r.p ->> 'ownerRepId' AS rep, r.p ->> 'channel' AS channel,
       (r.m ->> 'occurredAt')::timestamptz AS registered_at
FROM outcome o
JOIN ev r ON r.customer = o.customer AND r.type = 'CustomerRegistered';

SELECT 'customers in the events but not in funnel_customer, or the other way round' AS check,
       count(*) AS mismatches
FROM expected_customer e FULL JOIN funnel_customer c ON c.customer_id = e.customer
WHERE e.customer IS NULL OR c.customer_id IS NULL
UNION ALL
SELECT 'customers whose stage, furthest stage or registration data differ', count(*)
FROM expected_customer e JOIN funnel_customer c ON c.customer_id = e.customer
WHERE c.stage <> e.stage OR c.furthest_rank <> e.furthest OR c.region <> e.region
   OR c.team IS DISTINCT FROM e.team OR c.owner_rep_id <> e.rep OR c.channel <> e.channel
   OR c.registered_at <> e.registered_at
UNION ALL
SELECT 'funnel_tally cells that differ from a count of the expected customers', count(*)
FROM (
    SELECT d.dimension, d.value, (e.registered_at AT TIME ZONE 'UTC')::date AS day, e.stage,
           e.furthest::smallint AS furthest_rank, count(*) AS customers
    FROM expected_customer e
    CROSS JOIN LATERAL (VALUES ('all', ''), ('region', e.region),
            (CASE WHEN e.team IS NULL THEN 'team_none' ELSE 'team' END, coalesce(e.team, '')),
            ('rep', e.rep), ('channel', e.channel)) AS d (dimension, value)
    GROUP BY 1, 2, 3, 4, 5
) x FULL JOIN funnel_tally t USING (dimension, value, day, stage, furthest_rank)
WHERE x.customers IS DISTINCT FROM t.customers
UNION ALL
SELECT 'stored events missing from timeline_event, or the other way round', count(*)
FROM domain_event_entry d FULL JOIN timeline_event t ON t.customer_id = d.aggregate_identifier
                                                    AND t.seq = d.sequence_number
WHERE d.global_index IS NULL OR t.action_id IS NULL
UNION ALL
SELECT 'timeline rows whose type, time, action id or data differ from the stored event', count(*)
FROM domain_event_entry d JOIN timeline_event t ON t.customer_id = d.aggregate_identifier
                                               AND t.seq = d.sequence_number
WHERE t.type <> substring(d.payload_type FROM '[^.]+$')
   OR t.time_text <> convert_from(d.meta_data, 'UTF8')::jsonb ->> 'occurredAt'
   OR t.action_id <> convert_from(d.meta_data, 'UTF8')::jsonb ->> 'actionId'
   OR t.data::jsonb <> (convert_from(d.payload, 'UTF8')::jsonb - 'customerId' - 'additional');
