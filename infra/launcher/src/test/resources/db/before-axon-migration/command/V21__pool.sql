-- The public pool's bookkeeping on the command side (see docs/adr/0011): who owns each customer now and whether it
-- is in the pool, to count a rep's customers (maxCustomersPerRep); and every claim, to count a rep's claims of a day
-- (dailyClaimLimit). Both are written in the claim's transaction under the rep's lock; owner rows are also kept
-- up to date from the customers' events by the pool-owners processor (last_seq makes a repeat a no-op).
CREATE TABLE pool_owner (
    customer_id VARCHAR(255) NOT NULL PRIMARY KEY,
    rep_id      VARCHAR(255),
    in_pool     BOOLEAN      NOT NULL DEFAULT FALSE,
    last_seq    BIGINT       NOT NULL
);
CREATE INDEX pool_owner_rep ON pool_owner (rep_id) WHERE NOT in_pool;

CREATE TABLE pool_claim (
    claim_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    customer_id VARCHAR(255) NOT NULL,
    rep_id      VARCHAR(255) NOT NULL,
    claimed_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX pool_claim_rep ON pool_claim (rep_id, claimed_at);
