-- :tokens more tokens in the credential table, as a deployment accumulates them over time (a few working, most
-- revoked), for the deactivation figure: deactivating an account revokes its working tokens by principal
-- (CredentialProjection.revokeEveryToken), a statement whose cost must not grow with the table. They belong to
-- 100 tokens each to accounts of a workspace of their own, written straight into the table (no events: only the
-- credential table's size matters to that statement, and no other part of the run reads them).
INSERT INTO command_side.auth_principal
            (workspace_id, principal_type, principal_id, display_name, workspace_role, active)
SELECT 'bench-seeded', 'SERVICE_ACCOUNT', 'seeded-' || p, 'seeded ' || p, NULL, TRUE
  FROM generate_series(1, (:tokens + 99) / 100) p;

INSERT INTO command_side.auth_token (token_id, secret_hash, workspace_id, principal_type, principal_id, expires_at,
                                     revoked_at, issued_at, revocation_cause)
SELECT 'seeded-' || t, encode(sha256(convert_to('seeded-' || t, 'UTF8')), 'hex'), 'bench-seeded', 'SERVICE_ACCOUNT',
       'seeded-' || (1 + (t - 1) / 100), NULL,
       CASE WHEN t % 100 >= 3 THEN now() - interval '1 day' END, now() - interval '30 days',
       CASE WHEN t % 100 >= 3 THEN 'REVOKED' END
  FROM generate_series(1, :tokens) t;

ANALYZE command_side.auth_token;
