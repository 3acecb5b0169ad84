-- The id a client chose to tie a request to its own records (X-Correlation-Id, or X-Request-Id as many clients
-- send it), kept beside our own request id, which is now always ours and unique. Null when the client sent none,
-- and for the rows written before this migration until the "audit" group is replayed.
ALTER TABLE audit_entry ADD COLUMN correlation_id VARCHAR(128);
CREATE INDEX audit_entry_correlation ON audit_entry (workspace_id, correlation_id, position)
    WHERE correlation_id IS NOT NULL;
-- user agents are stored as sent, up to 512 characters (longer ones are refused), never cut
ALTER TABLE audit_entry ALTER COLUMN user_agent TYPE VARCHAR(512);
