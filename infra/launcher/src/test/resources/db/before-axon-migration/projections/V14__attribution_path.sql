-- Data-driven attribution at scale (ADR 0014): each customer's path kept by the projection, so that markov and
-- Shapley group about one narrow row per customer instead of aggregating every touch when asked. Per customer,
-- lookback_days -1 holds all its touches' channels in order (its path while it has not converted) and the time of
-- its last touch; once it has converted, one row per precomputed lookback holds the channels of its touches in
-- that window before its first conversion. A row is a function of the customer's touches and first conversion,
-- rewritten whenever they change, so a replay or a rebuild writes the same rows. The read model is emptied and
-- rebuilt from the first event.
TRUNCATE TABLE attribution_definition;
TRUNCATE TABLE attribution_customer;
TRUNCATE TABLE attribution_touch;
TRUNCATE TABLE attribution_conversion;
TRUNCATE TABLE attribution_action;
TRUNCATE TABLE attribution_cost;
TRUNCATE TABLE attribution_credit;
TRUNCATE TABLE attribution_cost_sum;
TRUNCATE TABLE attribution_won;
DELETE FROM token_entry WHERE processor_name = 'attribution';

CREATE TABLE attribution_path (
    customer_id   VARCHAR(255)   NOT NULL,
    -- a precomputed window's lookback, or -1 for all the customer's touches
    lookback_days INTEGER        NOT NULL,
    path          VARCHAR(255)[] NOT NULL,
    -- for lookback_days -1: the time of the customer's last touch
    last_touch_at TIMESTAMPTZ,
    PRIMARY KEY (customer_id, lookback_days)
);
