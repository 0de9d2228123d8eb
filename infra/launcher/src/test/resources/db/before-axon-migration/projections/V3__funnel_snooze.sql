-- A customer snoozed until a date (CustomerSnoozed) leaves the stalled and idle lists until the start of that day
-- (UTC); the latest snooze replaces any earlier one.
ALTER TABLE funnel_customer ADD COLUMN snoozed_until DATE;
ALTER TABLE funnel_customer ADD COLUMN snooze_reason TEXT;
