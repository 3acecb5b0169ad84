-- The query side owns this schema. Every table here is a read model rebuilt from the event store by replay,
-- except token_entry, which records how far each processor segment has read.

CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    PRIMARY KEY (processor_name, segment)
);

-- processing group "service-accounts"
CREATE TABLE service_account (
    workspace_id        VARCHAR(64)  NOT NULL,
    id                  VARCHAR(64)  NOT NULL,
    name                VARCHAR(255) NOT NULL,
    description         TEXT,
    status              VARCHAR(16)  NOT NULL,
    created_at          TIMESTAMPTZ  NOT NULL,
    created_by_type     VARCHAR(32),
    created_by_id       VARCHAR(64),
    updated_at          TIMESTAMPTZ  NOT NULL,
    deactivated_at      TIMESTAMPTZ,
    deactivation_reason TEXT,
    deleted_at          TIMESTAMPTZ,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE service_account_token (
    token_id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    workspace_id       VARCHAR(64)  NOT NULL,
    service_account_id VARCHAR(64)  NOT NULL,
    hint               VARCHAR(64)  NOT NULL,
    description        TEXT,
    created_at         TIMESTAMPTZ  NOT NULL,
    created_by_id      VARCHAR(64),
    expires_at         TIMESTAMPTZ,
    revoked_at         TIMESTAMPTZ,
    revoked_reason     VARCHAR(32)
);
CREATE INDEX service_account_token_owner ON service_account_token (workspace_id, service_account_id);

-- processing group "audit": one row per event, keyed by its position in the event store
CREATE TABLE audit_entry (
    position     BIGINT       NOT NULL PRIMARY KEY,
    event_id     VARCHAR(255) NOT NULL UNIQUE,
    workspace_id VARCHAR(64)  NOT NULL,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    type         VARCHAR(64)  NOT NULL,
    subject_type VARCHAR(32)  NOT NULL,
    subject_id   VARCHAR(64)  NOT NULL,
    actor_type   VARCHAR(32),
    actor_id     VARCHAR(64),
    actor_name   VARCHAR(255),
    token_id     VARCHAR(64),
    request_id   VARCHAR(128),
    client_ip    VARCHAR(64),
    user_agent   VARCHAR(256),
    reason       TEXT,
    details      JSONB        NOT NULL
);
CREATE INDEX audit_entry_workspace ON audit_entry (workspace_id, position);
CREATE INDEX audit_entry_actor ON audit_entry (workspace_id, actor_id, position);
CREATE INDEX audit_entry_subject ON audit_entry (workspace_id, subject_id, position);
CREATE INDEX audit_entry_type ON audit_entry (workspace_id, type, position);
CREATE INDEX audit_entry_time ON audit_entry (workspace_id, occurred_at);
