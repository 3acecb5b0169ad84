-- processing group "members": users' token metadata (never the secret, never its hash), as
-- service_account_token holds service accounts'. A removed user's tokens stay, revoked, as history.
CREATE TABLE member_token (
    token_id       VARCHAR(64) NOT NULL PRIMARY KEY,
    workspace_id   VARCHAR(64) NOT NULL,
    username       VARCHAR(64) NOT NULL,
    hint           VARCHAR(64) NOT NULL,
    description    TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    created_by_id  VARCHAR(64),
    expires_at     TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    revoked_reason VARCHAR(32)
);
CREATE INDEX member_token_owner ON member_token (workspace_id, username);
