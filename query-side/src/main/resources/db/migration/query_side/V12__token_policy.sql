-- Each workspace's credential policy (issue 15) as GET /v1/workspaces/{ws}/policies/tokens shows it, and as the
-- compliance report checks tokens against it. Written by the service-accounts processor (TokenPolicyProjection),
-- emptied and rebuilt with it by a replay. A workspace that never set a policy has no row: the default policy.
CREATE TABLE token_policy (
    workspace_id                 VARCHAR(64)  NOT NULL PRIMARY KEY,
    max_lifetime_days            INTEGER,
    require_expiry               BOOLEAN      NOT NULL,
    max_idle_days                INTEGER,
    allow_service_account_tokens BOOLEAN      NOT NULL,
    enforced                     BOOLEAN      NOT NULL,
    idle_counts_from             TIMESTAMPTZ,
    set_at                       TIMESTAMPTZ  NOT NULL,
    set_by_type                  VARCHAR(32),
    set_by_id                    VARCHAR(200)
);
