-- Synthetic history for measuring the rules' what-if (POST /api/v1/rules/dry-run): :customers customers, each
-- registered in one of 12 regions during 2025 and with two PRICE objections 1 to 20 days later, written straight
-- into Axon's event table in the form the command side stores (payload and metadata as Jackson writes them).
-- A TAG rule "≥ 2 price objections in 30 days" matches every one of them. Run it on an empty event store with the
-- system stopped:
--
--   psql -v customers=1000000 -f infra/bench/sql/rules-dry-run-events.sql
\set ON_ERROR_STOP on
\timing on
SET TimeZone = 'UTC';

INSERT INTO domain_event_entry (event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp,
                                aggregate_identifier, sequence_number, type)
SELECT gen_random_uuid()::text,
       convert_to('{"actor":"rep-' || (c.i % 800) || '","occurredAt":"'
                  || to_char(e.at, 'YYYY-MM-DD"T"HH24:MI:SS') || 'Z","actionId":"dry-' || c.i || '-' || e.k
                  || '","source":"/bench"}', 'UTF8'),
       convert_to(CASE WHEN e.k = 0 THEN
           '{"customerId":"dry-' || c.i || '","name":"Customer ' || c.i || '","region":"'
           || (ARRAY['east','west','north','south','central','northeast','northwest','southwest','southeast',
                     'coastal','inland','capital'])[1 + c.i % 12]
           || '","ownerRepId":"rep-' || (c.i % 800) || '","channel":"web","additional":{}}'
           ELSE '{"customerId":"dry-' || c.i || '","objectionType":"PRICE","additional":{}}' END, 'UTF8'),
       NULL,
       CASE WHEN e.k = 0 THEN 'org.salesledger.kernel.customer.CustomerRegistered'
            ELSE 'org.salesledger.kernel.deal.ObjectionRaised' END,
       to_char(e.at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       'dry-' || c.i,
       e.k,
       'Customer'
FROM (SELECT i, timestamptz '2025-01-01 00:00:00+00' + (i % 360) * interval '1 day' AS registered
      FROM generate_series(1, :customers) AS i) AS c,
     LATERAL (SELECT k, c.registered + k * (1 + c.i % 10) * interval '1 day' AS at
              FROM generate_series(0, 2) AS k) AS e
ORDER BY c.i, e.k;
ANALYZE domain_event_entry;
