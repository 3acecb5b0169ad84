-- A token's scope (TokenScope: {"project-key":"VIEWER"|"CONTRIBUTOR"|"OWNER", ...}), null for its owner's full
-- access; and why its expiry was brought forward after it was issued (a TokenExpiryCause name: a rotation, an
-- enforced credential policy), null if it never was, so a refused request with it is recorded under the right rule.
-- Every token issued before this release has neither.
ALTER TABLE auth_token ADD COLUMN scope JSONB;
ALTER TABLE auth_token ADD COLUMN expiry_cause VARCHAR(32);
