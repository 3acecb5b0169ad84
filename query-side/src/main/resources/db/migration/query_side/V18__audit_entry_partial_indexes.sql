-- The audit trail's indexes on a column that many entries leave empty hold only the entries that have it: an entry
-- without a project, an account, a token or an actor costs no insert there (in the benchmark's trail 60% of the
-- entries name no project). Each filter compares its column with a value, which implies that it is not null, so the
-- planner uses these indexes as before, with custom and generic plans alike (docs/performance.md, issue 18).
-- The planner ignores a partial index's statistics: the project expression keeps its own (CREATE STATISTICS), without
-- which it would guess the project filter's rows and pick this index for a project and a type together, 100 times
-- slower than the type index in a large workspace.
-- Each index is built under a new name before the old one goes: readers wait only for the swap at the end, writers
-- of the trail for the builds too (about 5 s per index per million entries). IF [NOT] EXISTS: a database brought back
-- to an earlier release (MerkleLogUpgradeIT) runs this again.
CREATE STATISTICS IF NOT EXISTS audit_entry_project_values ON (details ->> 'project') FROM audit_entry;
CREATE INDEX IF NOT EXISTS audit_entry_project_partial ON audit_entry (workspace_id, (details ->> 'project'), position)
    WHERE (details ->> 'project') IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_entry_account_partial ON audit_entry (workspace_id, account_id, position)
    WHERE account_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_entry_token_partial ON audit_entry (workspace_id, token_id, position)
    WHERE token_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_entry_actor_partial ON audit_entry (workspace_id, actor_id, position)
    WHERE actor_id IS NOT NULL;
DROP INDEX IF EXISTS audit_entry_project;
DROP INDEX IF EXISTS audit_entry_account;
DROP INDEX IF EXISTS audit_entry_token;
DROP INDEX IF EXISTS audit_entry_actor;
ALTER INDEX audit_entry_project_partial RENAME TO audit_entry_project;
ALTER INDEX audit_entry_account_partial RENAME TO audit_entry_account;
ALTER INDEX audit_entry_token_partial RENAME TO audit_entry_token;
ALTER INDEX audit_entry_actor_partial RENAME TO audit_entry_actor;
ANALYZE audit_entry;
