-- Per-token scope (issue 15): a token's cap per project, as command_side.auth_token.scope holds it
-- ({"churn":"VIEWER"}, written from TokenIssuedEvent.scope through ScopeColumn); null for the owner's full access,
-- as every token issued before scopes existed had. Shown on the token views as "scope".
ALTER TABLE service_account_token ADD COLUMN scope JSONB;
ALTER TABLE member_token ADD COLUMN scope JSONB;
