-- When each token was last used, and from where: for compliance reports ("tokens not used for N days").
-- Both applications write it: each authenticates every request it serves, and each node's TokenUsageRecorder
-- keeps the newest use per token in memory and flushes it here every few seconds (an upsert that keeps the
-- later time). It is not a read model: it is not derived from events, no event records a use, and a replay
-- neither clears nor rebuilds it. Exact to about a minute: a use within a minute of the last one written is
-- not written again.
-- No foreign key to auth_token: this bookkeeping must never block or fail a change to the credentials.
CREATE TABLE token_usage (
    token_id     VARCHAR(64) NOT NULL PRIMARY KEY,
    workspace_id VARCHAR(64) NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    last_used_ip VARCHAR(64)
);
