-- The platform's own audit trail (issue 14): events outside any workspace (PlatformEvent: introspection clients
-- registered and revoked), with who acted, from where and why, as the workspace trail keeps them. Written by the
-- audit processor (PlatformAuditProjection), emptied and rebuilt with it by a replay; read by the operator's
-- GET /v1/admin/audit. position is the event's global index in the event store, so a replay writes the same rows.
CREATE TABLE platform_audit_entry (
    position        BIGINT       PRIMARY KEY,
    event_id        VARCHAR(64)  NOT NULL UNIQUE,
    occurred_at     TIMESTAMPTZ  NOT NULL,
    type            VARCHAR(64)  NOT NULL,
    subject_type    VARCHAR(64)  NOT NULL,
    subject_id      VARCHAR(64)  NOT NULL,
    actor_type      VARCHAR(32),
    actor_id        VARCHAR(200),
    actor_name      VARCHAR(200),
    request_id      VARCHAR(200),
    correlation_id  VARCHAR(200),
    client_ip       VARCHAR(64),
    user_agent      TEXT,
    reason          TEXT,
    details         TEXT         NOT NULL
);
