-- Whole-store verifications of the Merkle log (issue 17, POST /v1/admin/audit/verify): one row each, shared by every
-- query node, so any node answers for it and a restart loses no finished result. The node running one refreshes
-- heartbeat_at with its progress; a running verification whose heartbeat is older than the lease is marked
-- 'abandoned' by any node (its node died), so none stays running for ever.
CREATE TABLE audit_verification (
    id                  VARCHAR(36)  PRIMARY KEY,
    status              VARCHAR(16)  NOT NULL
                        CHECK (status IN ('running', 'passed', 'failed', 'error', 'abandoned')),
    requested_at        TIMESTAMPTZ  NOT NULL,
    requested_by        VARCHAR(64)  NOT NULL,
    request_id          VARCHAR(128),
    reason              TEXT,
    -- the node running it (null until one takes it) and when it last reported
    node                VARCHAR(300),
    heartbeat_at        TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    checked_events      BIGINT       NOT NULL DEFAULT 0,
    total_events        BIGINT       NOT NULL DEFAULT 0,
    checkpoints_checked BIGINT       NOT NULL DEFAULT 0,
    failure_kind        VARCHAR(16),
    failure_leaf_index  BIGINT,
    failure_position    BIGINT,
    failure_tree_size   BIGINT,
    failure_detail      TEXT,
    -- why an 'error' or 'abandoned' verification did not finish
    message             TEXT
);
-- one running verification at a time, whichever node is asked
CREATE UNIQUE INDEX audit_verification_running ON audit_verification (status) WHERE status = 'running';
CREATE INDEX audit_verification_requested ON audit_verification (requested_at);
