-- Whose customer it is, for the timeline's scope (contract §7): one row per registration (its region and first
-- owner) and per change of owner (CustomerReassigned, pool claims included; CustomerReleasedToPool: no owner), by
-- the customer's sequence number. Only ever inserted, like timeline_event: the customer's region is its
-- registration row's, its owner now the owner of its last row.
CREATE TABLE timeline_ownership (
    customer_id  VARCHAR(255) NOT NULL,
    seq          BIGINT       NOT NULL,
    registered   BOOLEAN      NOT NULL,
    region       VARCHAR(255),
    owner_rep_id VARCHAR(255),
    CONSTRAINT timeline_ownership_pk PRIMARY KEY (customer_id, seq)
);
