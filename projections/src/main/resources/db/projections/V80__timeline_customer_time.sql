-- A customer's actions in the order of their time (contract §9's state and changes fold them so): the state's
-- check of a snapshot counts the actions up to its last (time, seq), known at knownAt, from this index alone, and
-- the actions after a snapshot are a range of it instead of a sort of all the customer's rows (ADR 0040).
CREATE INDEX timeline_event_customer_time ON timeline_event (customer_id, occurred_at, seq) INCLUDE (recorded_at);
