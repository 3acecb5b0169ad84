-- Keyless pipelines (issue 16). federation_rule: the command side's directory of federation rules, for POST /v1/token
-- to find the rules that may trust a JWT by its claimed issuer without loading every workspace. Written by the
-- subscribing FederationRuleDirectory projection in the transaction of the command that adds or removes a rule
-- (or deletes its account); the Workspace aggregate still decides every exchange. The rule is kept whole as JSON
-- (public keys only: a rule never holds a secret).
CREATE TABLE federation_rule (
    workspace_id       VARCHAR(64)   NOT NULL,
    service_account_id VARCHAR(64)   NOT NULL,
    rule_id            VARCHAR(64)   NOT NULL,
    issuer             TEXT          NOT NULL,
    rule               JSONB         NOT NULL,
    added              BIGINT        GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (workspace_id, service_account_id, rule_id)
);
CREATE INDEX federation_rule_by_issuer ON federation_rule (issuer);

-- The JWT ids already exchanged, per issuer, so a JWT is exchanged once across all command nodes. A row is kept
-- until its JWT can no longer be accepted (its exp plus the allowed clock skew), then deleted now and then.
CREATE TABLE federation_jti (
    issuer     TEXT          NOT NULL,
    jti        TEXT          NOT NULL,
    expires_at TIMESTAMPTZ   NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX federation_jti_by_expiry ON federation_jti (expires_at);
