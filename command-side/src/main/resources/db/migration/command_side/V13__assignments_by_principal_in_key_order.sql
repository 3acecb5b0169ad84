-- A principal's assignments in the order its listings give them (project key, byte order: COLLATE "C"). An
-- introspection lists the first 100 of a principal's assignments by key (CredentialStore); with the index in that
-- order PostgreSQL reads those 100 in order and stops, where it read and sorted them all before: for a service
-- account with 300 assignments the introspection's statement went from 0.90-0.95 to 0.61-0.65 ms a round trip
-- (docs/performance.md, issue 18). It replaces the index on the principal alone, a prefix of it, under its name.
-- IF [NOT] EXISTS: a database brought back to an earlier release (RevocationCauseBackfillIT) runs this again.
CREATE INDEX IF NOT EXISTS auth_project_role_listing
    ON auth_project_role (workspace_id, principal_type, principal_id, project_key COLLATE "C");
DROP INDEX IF EXISTS auth_project_role_principal;
ALTER INDEX auth_project_role_listing RENAME TO auth_project_role_principal;
