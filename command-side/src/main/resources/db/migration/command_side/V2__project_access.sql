-- What every principal may do in every project right now, written by the "credentials" processing group in
-- the same transaction as the events that change it (like auth_principal and auth_token). /v1/me,
-- /v1/introspect and every project read decide from these rows, so a change is in force when its command
-- returns. Effective roles are computed from them by ProjectAccess (explicit role, visibility, admin).

CREATE TABLE auth_project (
    workspace_id VARCHAR(64)  NOT NULL,
    project_key  VARCHAR(64)  NOT NULL,
    name         VARCHAR(255) NOT NULL,
    visibility   VARCHAR(16)  NOT NULL,
    PRIMARY KEY (workspace_id, project_key)
);

-- explicit assignments only; implicit access (visibility, workspace admin) is derived, never stored
CREATE TABLE auth_project_role (
    workspace_id   VARCHAR(64) NOT NULL,
    project_key    VARCHAR(64) NOT NULL,
    principal_type VARCHAR(32) NOT NULL,
    principal_id   VARCHAR(64) NOT NULL,
    role           VARCHAR(16) NOT NULL,
    PRIMARY KEY (workspace_id, project_key, principal_type, principal_id),
    FOREIGN KEY (workspace_id, project_key) REFERENCES auth_project (workspace_id, project_key) ON DELETE CASCADE
);
CREATE INDEX auth_project_role_principal ON auth_project_role (workspace_id, principal_type, principal_id);

-- when each token was issued, for introspection's "iat"
ALTER TABLE auth_token ADD COLUMN issued_at TIMESTAMPTZ;
