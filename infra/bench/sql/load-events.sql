-- Synthetic action history, written straight into Axon's event table in the exact form Axon writes it: for
-- measuring read models on millions of events without the HTTP import. See README.md in this directory.
--
--   psql -v customers=1000000 -v seed=0.42 -f load-events.sql     (about 10 events per customer)
--   -v reps=210 for fewer owners than the default 800 (rep-001 … rep-210; at most 999)
--
-- Each row is what the command side stores for an accepted action: payload_type the record's class name, payload
-- the record as Jackson writes it (fields in record order, absent optional fields left out, "additional":{}),
-- meta_data the action's metadata (actionId, source, actor, occurredAt with its +08:00 offset, Axon's trace and
-- correlation ids), aggregate_identifier the customer id, sequence_number 0, 1, 2… per customer, type
-- "Customer", time_stamp an ISO-8601 instant (the action's time: as if recorded live). Rows are inserted in time
-- order, so customers interleave in the global order as they do in a live system.
--
-- Customers are "bench-<n>"; run it once per database (their sequence numbers are unique). Stop the system while
-- it runs: a processor that sees the rows of the open transaction would wait for the gap to close.

\set ON_ERROR_STOP on
\timing on
\if :{?reps}
\else
\set reps 800
\endif

-- one order for random(): the same seed gives the same data
SET max_parallel_workers_per_gather = 0;
SET work_mem = '1GB';
SET TimeZone = 'UTC';
-- keep the sorted order from the sort to the insert: each event row fetches its customer by index
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SELECT setseed(:seed);

-- ---- customers: registration data and the shape of their journey ----
DROP TABLE IF EXISTS pg_temp.bench_customer;
CREATE TEMP TABLE bench_customer AS
WITH u AS (
    SELECT i, random() AS u1, random() AS u2, random() AS u3, random() AS u4, random() AS u5, random() AS u6,
           random() AS u7, random() AS u8, random() AS u9, random() AS u10
    FROM generate_series(1, :customers) AS i
), shaped AS (
    SELECT i,
           'bench-' || i AS id,
           (ARRAY['east', 'west', 'north', 'south', 'central', 'northeast', 'northwest', 'southwest', 'southeast',
                  'coastal', 'inland', 'capital'])[1 + floor(u1 * 12)::int] AS region,
           CASE WHEN u2 < 0.1 THEN NULL ELSE 'team-' || (1 + floor(u2 * 6000)::int % 60) END AS team,
           'rep-' || lpad((1 + floor(u3 * :reps)::int)::text, 3, '0') AS rep,
           (ARRAY['exhibition', 'web', 'wechat', 'referral', 'cold-call', 'partner', 'ads', 'seminar'])
               [1 + floor(u4 * 8)::int] AS channel,
           date_trunc('second', timestamptz '2024-01-01 00:00:00+00' + u5 * interval '730 days') AS registered_at,
           -- furthest stage aimed at: 0 first contact … 5 won
           CASE WHEN u6 < 0.30 THEN 0 WHEN u6 < 0.50 THEN 1 WHEN u6 < 0.70 THEN 2 WHEN u6 < 0.80 THEN 3
                WHEN u6 < 0.88 THEN 4 ELSE 5 END AS target,
           u7, u8, u9, u10
    FROM u
)
SELECT s.*,
       s.target < 5 AND s.u7 < 0.4 AS lost,
       1 + floor(s.u9 * 9)::int AS gap_days,
       gen_random_uuid()::text AS trace_id,
       m.milestones,
       cardinality(m.milestones) AS m,
       -- events: the registration, the milestones, and 1 to 13 others (visits, touchpoints, costs…)
       cardinality(m.milestones) + 2 + floor(s.u8 * 12.6)::int AS n
FROM shaped s,
     LATERAL (SELECT array_remove(ARRAY[
         CASE WHEN s.target >= 1 AND (s.target = 1 OR s.u10 >= 0.2) THEN 'NeedsConfirmed' END, -- 1 in 5 skip it
         CASE WHEN s.target >= 2 THEN 'ProposalSent' END,
         CASE WHEN s.target >= 3 THEN 'PriceObjection' END,
         CASE WHEN s.target >= 4 THEN 'TrialRequested' END,
         CASE WHEN s.target = 5 THEN 'ContractSigned' END,
         CASE WHEN s.target = 5 THEN 'PaymentReceived' END,
         CASE WHEN s.target < 5 AND s.u7 < 0.4 THEN 'DealLost' END], NULL) AS milestones) AS m;
CREATE UNIQUE INDEX ON bench_customer (i);
ANALYZE bench_customer;

-- ---- events, in time order ----
-- The sort takes only the keys; each row is then built from its customer, in that order.
INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp,
                                aggregate_identifier, sequence_number, type)
SELECT gen_random_uuid()::text,
       convert_to('{"traceId":"' || c.trace_id || '","actor":' || to_json(c.rep)::text
                  || ',"occurredAt":"' || to_char(e.occurred AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS')
                  || '+08:00","actionId":"' || c.id || '-' || e.k || '","correlationId":"' || c.trace_id
                  || '","source":"/bench"}', 'UTF8'),
       convert_to('{"customerId":' || to_json(c.id)::text || (
           CASE e.kind
               WHEN 'CustomerRegistered' THEN
                   ',"name":' || to_json('Customer ' || c.i)::text || ',"region":' || to_json(c.region)::text
                   || ',"ownerRepId":' || to_json(c.rep)::text || ',"channel":' || to_json(c.channel)::text
                   || coalesce(',"team":' || to_json(c.team)::text, '')
               WHEN 'NeedsConfirmed' THEN ',"needs":["CT scanner"]'
               WHEN 'ProposalSent' THEN
                   ',"document":{"uri":"s3://proposals/' || c.id || '.pdf","mediaType":"application/pdf"}'
                   || ',"expectedDecisionDate":"' || to_char(e.occurred + interval '30 days', 'YYYY-MM-DD')
                   || '","keyParameters":["price","delivery","warranty"],"amount":{"value":'
                   || (10000 + c.i % 190000) || '.00,"currency":"CNY"}'
               WHEN 'PriceObjection' THEN ',"objectionType":"PRICE","detail":"above budget"'
               WHEN 'CompetitorObjection' THEN ',"objectionType":"COMPETITOR"'
               WHEN 'TrialRequested' THEN ',"product":"X-ray"'
               -- nine contracts in ten with one line (the whole amount, a gross margin from 15.0 to 44.9 %) and one
               -- to three departments
               WHEN 'ContractSigned' THEN ',"contractId":"K-' || c.i || '","amount":{"value":'
                   || (10000 + c.i % 190000) || '.00,"currency":"CNY"}'
                   || CASE WHEN c.i % 10 = 0 THEN '' ELSE
                          ',"lines":[{"product":"analyser-a3","quantity":1,"unitPrice":' || (10000 + c.i % 190000)
                          || '.00,"grossMarginPct":' || (150 + (c.i::bigint * 7919) % 300) / 10 || '.'
                          || (150 + (c.i::bigint * 7919) % 300) % 10 || '}],"departments":'
                          || (ARRAY['["radiology"]', '["radiology","laboratory"]', '["radiology","laboratory","icu"]'])
                             [1 + c.i % 3] END
               WHEN 'PaymentReceived' THEN ',"contractId":"K-' || c.i || '","amount":{"value":'
                   || (5000 + c.i % 95000) || '.00,"currency":"CNY"}'
               WHEN 'DealLost' THEN ',"reason":"budget cut"'
               WHEN 'VisitLogged' THEN ',"contactRole":"equipment","location":{"lat":31.2,"lon":121.5}'
                   || ',"objections":["REGISTRATION_CERTIFICATE"]'
               WHEN 'TouchpointRecorded' THEN ',"channel":"wechat","touchType":"article"'
               WHEN 'CostIncurred' THEN ',"category":"SAMPLES","amount":{"value":300.00,"currency":"CNY"}'
               -- the customer reacting to the action just before (a message read, when it was one)
               WHEN 'CustomerActionObserved' THEN ',"kind":"message_read","refActionId":"' || c.id || '-' || (e.k - 1)
                   || '"'
               WHEN 'MessageSent' THEN ',"channel":"wechat","refActionId":"' || c.id || '-' || (e.k - 1)
                   || '","summary":"follow-up"'
               WHEN 'CustomerSnoozed' THEN ',"until":"' || to_char(e.occurred + interval '14 days', 'YYYY-MM-DD')
                   || '","reason":"champion on holiday"'
           END) || ',"additional":{}}', 'UTF8'),
       NULL,
       'org.salesledger.kernel.' || CASE e.kind
           WHEN 'CustomerRegistered' THEN 'customer.CustomerRegistered'
           WHEN 'CustomerSnoozed' THEN 'customer.CustomerSnoozed'
           WHEN 'VisitLogged' THEN 'visit.VisitLogged'
           WHEN 'TouchpointRecorded' THEN 'marketing.TouchpointRecorded'
           WHEN 'CostIncurred' THEN 'marketing.CostIncurred'
           WHEN 'CustomerActionObserved' THEN 'marketing.CustomerActionObserved'
           WHEN 'MessageSent' THEN 'message.MessageSent'
           WHEN 'PriceObjection' THEN 'deal.ObjectionRaised'
           WHEN 'CompetitorObjection' THEN 'deal.ObjectionRaised'
           ELSE 'deal.' || e.kind END,
       to_char(e.occurred AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       c.id,
       e.k,
       'Customer'
FROM (
    SELECT c.i, k.k,
           c.registered_at + k.k * c.gap_days * interval '1 day'
               + CASE WHEN k.k > 0 THEN date_trunc('second', random() * interval '20 hours') ELSE interval '0' END
               AS occurred,
           CASE
               WHEN k.k = 0 THEN 'CustomerRegistered'
               -- the milestones, spread evenly over the journey
               WHEN c.m > 0 AND (k.k - 1) % greatest(1, (c.n - 1) / c.m) = 0
                    AND (k.k - 1) / greatest(1, (c.n - 1) / c.m) < c.m
                   THEN c.milestones[(k.k - 1) / greatest(1, (c.n - 1) / c.m) + 1]
               ELSE (SELECT CASE WHEN r < 0.45 THEN 'VisitLogged' WHEN r < 0.65 THEN 'TouchpointRecorded'
                                 WHEN r < 0.72 THEN 'CompetitorObjection' WHEN r < 0.75 THEN 'PriceObjection'
                                 WHEN r < 0.82 THEN 'CostIncurred' WHEN r < 0.90 THEN 'MessageSent'
                                 WHEN r < 0.97 THEN 'CustomerActionObserved' ELSE 'CustomerSnoozed' END
                     FROM (SELECT random() + 0 * k.k AS r) AS x)
           END AS kind
    FROM bench_customer c, generate_series(0, c.n - 1) AS k (k)
    ORDER BY occurred, c.i, k.k
) AS e
JOIN LATERAL (SELECT * FROM bench_customer b WHERE b.i = e.i) AS c ON true;

ANALYZE domain_event_entry;
SELECT count(*) AS customers, sum(n) AS events FROM bench_customer;
