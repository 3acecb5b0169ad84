-- The audit trail's timelines and investigations.
-- account_type/account_id: the service account or user an entry concerns (the subject itself, a token's owner,
-- an assignment's assignee); a service account's timeline is its entries here plus those it acted in.
-- Filled for existing rows by replaying the "audit" processing group (POST /v1/admin/projections/audit/replay);
-- the rows written before this migration keep null until then.
ALTER TABLE audit_entry ADD COLUMN account_type VARCHAR(32);
ALTER TABLE audit_entry ADD COLUMN account_id   VARCHAR(64);
CREATE INDEX audit_entry_account ON audit_entry (workspace_id, account_id, position);
-- "everything done with this token", e.g. a token that was later revoked
CREATE INDEX audit_entry_token ON audit_entry (workspace_id, token_id, position);
