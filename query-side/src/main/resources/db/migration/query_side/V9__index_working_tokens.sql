-- Working tokens by owner: the accounts listing counts each account's working tokens, the compliance report lists
-- a workspace's. The owner indexes of V1 and V3 hold every token ever issued, so an account that rotated through
-- 20,000 tokens made its workspace's listing read 20,000 index entries (8 ms instead of 0.3 ms, measured with
-- 340,000 tokens in all). These hold only the tokens not revoked.
CREATE INDEX service_account_token_working ON service_account_token (workspace_id, service_account_id)
    WHERE revoked_at IS NULL;
CREATE INDEX member_token_working ON member_token (workspace_id, username)
    WHERE revoked_at IS NULL;
