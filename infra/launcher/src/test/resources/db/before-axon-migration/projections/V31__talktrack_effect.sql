-- Talk-track effect (read model "talktrack"): every use of a script (TalkTrackFeedbackGiven USED), every signed
-- contract, and per customer its first proposal and first contract — what a script's measured effect is computed
-- from at query time (docs: README "Rules", talk-track effect).
CREATE TABLE talktrack_use (
    action_id   VARCHAR(255) NOT NULL PRIMARY KEY,
    customer_id VARCHAR(255) NOT NULL,
    script_id   VARCHAR(255) NOT NULL,
    used_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX talktrack_use_script ON talktrack_use (script_id, customer_id, used_at);

CREATE TABLE talktrack_contract (
    action_id   VARCHAR(255) NOT NULL PRIMARY KEY,
    customer_id VARCHAR(255) NOT NULL,
    signed_at   TIMESTAMPTZ  NOT NULL
);
CREATE INDEX talktrack_contract_customer ON talktrack_contract (customer_id, signed_at);

CREATE TABLE talktrack_cycle (
    customer_id       VARCHAR(255) NOT NULL PRIMARY KEY,
    first_proposal_at TIMESTAMPTZ,
    first_contract_at TIMESTAMPTZ
);
