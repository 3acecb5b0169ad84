-- A wide workspace for the introspection-size measurement (bench/wide-workspace.sh): :projects projects visible to
-- the whole workspace, a member 'uma' with 3 explicit grants, and a service account 'wide-bot' assigned viewer on
-- the first :grants of them, each with one working token (hashes :'user_hash', :'sa_hash'). Written straight into
-- the credential tables (no events): introspection reads only these, and the workspace limits (500 projects) that
-- keep a real workspace smaller are what this measures past. Run again, it starts over.
DELETE FROM command_side.auth_token WHERE workspace_id = 'wide-bench';
DELETE FROM command_side.auth_project WHERE workspace_id = 'wide-bench';
DELETE FROM command_side.auth_principal WHERE workspace_id = 'wide-bench';

INSERT INTO command_side.auth_principal
            (workspace_id, principal_type, principal_id, display_name, workspace_role, active)
VALUES ('wide-bench', 'USER', 'uma', 'uma', 'MEMBER', TRUE),
       ('wide-bench', 'SERVICE_ACCOUNT', 'wide-bot', 'wide-bot', NULL, TRUE);

INSERT INTO command_side.auth_token (token_id, secret_hash, workspace_id, principal_type, principal_id, expires_at,
                                     revoked_at, issued_at, revocation_cause)
VALUES ('wide-bench-user', :'user_hash', 'wide-bench', 'USER', 'uma', NULL, NULL, now(), NULL),
       ('wide-bench-sa', :'sa_hash', 'wide-bench', 'SERVICE_ACCOUNT', 'wide-bot', NULL, NULL, now(), NULL);

INSERT INTO command_side.auth_project (workspace_id, project_key, name, visibility)
SELECT 'wide-bench', 'project-' || lpad(p::text, 5, '0'), 'Project number ' || p, 'WORKSPACE'
  FROM generate_series(1, :projects) p;

INSERT INTO command_side.auth_project_role (workspace_id, project_key, principal_type, principal_id, role)
SELECT 'wide-bench', 'project-' || lpad(p::text, 5, '0'), 'SERVICE_ACCOUNT', 'wide-bot', 'VIEWER'
  FROM generate_series(1, :grants) p
UNION ALL
SELECT 'wide-bench', 'project-' || lpad(p::text, 5, '0'), 'USER', 'uma', 'OWNER'
  FROM generate_series(1, 3) p;

ANALYZE command_side.auth_project;
ANALYZE command_side.auth_project_role;
