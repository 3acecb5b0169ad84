-- The workspaces whose credential policy sets a maximum idle time (issue 15), for the command side's idle sweeper,
-- which must find idle tokens without reading the query side's tables. Written by the credentials module's
-- subscribing TokenPolicyProjection in the transaction of the command that sets the policy (a row while maxIdleDays
-- is set, none otherwise). idle_counts_from: a token's idle time counts from its last use (or issue) but not before
-- it; null when an enforced policy counts it from the last use however old. Workspaces that never set a policy have
-- no row, so nothing existing needs a backfill.
CREATE TABLE token_idle_policy (
    workspace_id     VARCHAR(64) NOT NULL PRIMARY KEY,
    max_idle_days    INTEGER     NOT NULL,
    idle_counts_from TIMESTAMPTZ
);
