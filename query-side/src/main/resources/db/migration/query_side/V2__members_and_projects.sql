-- Members, projects and explicit project assignments, as the listings show them. Who may read them, and every
-- effective role, comes from the command side's synchronous auth_* tables; these rows are only the content.
-- Principal and actor types are stored as the enum names (USER, SERVICE_ACCOUNT, OPERATOR).

-- processing group "members": current members only; a removed member's row is deleted
CREATE TABLE member (
    workspace_id  VARCHAR(64) NOT NULL,
    username      VARCHAR(64) NOT NULL,
    role          VARCHAR(16) NOT NULL,
    added_at      TIMESTAMPTZ NOT NULL,
    added_by_type VARCHAR(32),
    added_by_id   VARCHAR(64),
    PRIMARY KEY (workspace_id, username)
);

-- processing group "projects": a deleted project's row and its assignments are deleted
CREATE TABLE project (
    workspace_id    VARCHAR(64)  NOT NULL,
    project_key     VARCHAR(64)  NOT NULL,
    name            VARCHAR(255) NOT NULL,
    visibility      VARCHAR(16)  NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    created_by_type VARCHAR(32),
    created_by_id   VARCHAR(64),
    PRIMARY KEY (workspace_id, project_key)
);

-- explicit roles only; assigned_at/by are when and by whom the current role was given
CREATE TABLE project_assignment (
    workspace_id     VARCHAR(64) NOT NULL,
    project_key      VARCHAR(64) NOT NULL,
    principal_type   VARCHAR(32) NOT NULL,
    principal_id     VARCHAR(64) NOT NULL,
    role             VARCHAR(16) NOT NULL,
    assigned_at      TIMESTAMPTZ NOT NULL,
    assigned_by_type VARCHAR(32),
    assigned_by_id   VARCHAR(64),
    PRIMARY KEY (workspace_id, project_key, principal_type, principal_id)
);
-- a service account's projects (its detail view)
CREATE INDEX project_assignment_principal ON project_assignment (workspace_id, principal_type, principal_id);

-- the audit trail's "project" filter: every project event names its project in details.project
CREATE INDEX audit_entry_project ON audit_entry (workspace_id, (details ->> 'project'), position);
