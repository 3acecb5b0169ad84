-- Idempotency-Key (IETF httpapi draft): each principal's keys with the answer its first request got, for 24 h
-- (svcaccounts.idempotency.retention), shared by every node of both sides. A row is written in the transaction of
-- the write it stands for (on the command side, before that write's events are appended), so it exists exactly
-- when the write committed. Expired rows are ignored, replaced by a new use of their key, and deleted by every
-- node's periodic sweep (created_at index).
-- A key belongs to one principal: workspace ('' for the operator), principal type and id.
-- body is the answer's JSON as it was sent, except that a token's secret is never kept: issued_token_id names the
-- token whose secret the answer held, and a retry gets 409 idempotent-replay-of-secret instead of the answer.
CREATE TABLE idempotency_key (
    workspace_id    VARCHAR(64)  NOT NULL,
    principal_type  VARCHAR(32)  NOT NULL,
    principal_id    VARCHAR(64)  NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    fingerprint     BYTEA        NOT NULL,
    method          VARCHAR(16)  NOT NULL,
    path            TEXT         NOT NULL,
    status          SMALLINT     NOT NULL,
    location        TEXT,
    body            TEXT,
    issued_token_id VARCHAR(64),
    created_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (workspace_id, principal_type, principal_id, idempotency_key)
);

CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
