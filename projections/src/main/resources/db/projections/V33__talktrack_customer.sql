-- Whose customer it is, for the talk-track effect's scope (contract §7): its registration region and its owner now
-- (CustomerReassigned, pool claims included; none while in the public pool); last_seq, the customer's sequence
-- number of the last of those events applied, makes a repeated one change nothing.
CREATE TABLE talktrack_customer (
    customer_id  VARCHAR(255) NOT NULL PRIMARY KEY,
    region       VARCHAR(255),
    owner_rep_id VARCHAR(255),
    last_seq     BIGINT       NOT NULL
);
CREATE INDEX talktrack_customer_region ON talktrack_customer (region, customer_id);
CREATE INDEX talktrack_customer_owner ON talktrack_customer (owner_rep_id, customer_id);
