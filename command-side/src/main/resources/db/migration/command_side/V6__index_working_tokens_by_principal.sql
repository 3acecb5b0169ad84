-- Deactivating or deleting a service account and removing a user revoke every working token of that principal
-- in the command's own transaction (CredentialProjection.revokeEveryToken, by workspace, principal type and id).
-- Without an index that was a sequential scan of every token ever issued: deactivation slowed from 14 ms at
-- 20,000 tokens to 105 ms at 240,000. Only working tokens are indexed: that is all the statement looks for, and
-- a principal's revoked tokens, however many it rotated through, stay out of the index.
-- The same columns reference auth_principal, whose rows are never deleted or re-keyed, so the foreign key's own
-- checks (on insert, by auth_principal's primary key) need no index here.
CREATE INDEX auth_token_working_by_principal ON auth_token (workspace_id, principal_type, principal_id)
    WHERE revoked_at IS NULL;
