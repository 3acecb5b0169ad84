-- Keyless pipelines (issue 16). A service account's federation rules as GET .../federation-rules and the account's
-- detail show them, written by the service-accounts processor (FederationRuleProjection): a row per rule in force,
-- deleted when the rule is removed or its account deleted, emptied and rebuilt with the group by a replay. Public
-- keys only (jwks: the inline JWK set's JSON text exactly as the event holds it); never a JWT.
CREATE TABLE federation_rule (
    workspace_id               VARCHAR(64)  NOT NULL,
    rule_id                    VARCHAR(64)  NOT NULL,
    service_account_id         VARCHAR(64)  NOT NULL,
    issuer                     TEXT         NOT NULL,
    jwks_uri                   TEXT,
    jwks                       TEXT,
    audience                   TEXT         NOT NULL,
    subject                    TEXT         NOT NULL,
    claims                     JSONB        NOT NULL,
    max_token_lifetime_seconds INTEGER      NOT NULL,
    created_at                 TIMESTAMPTZ  NOT NULL,
    created_by_type            VARCHAR(32),
    created_by_id              VARCHAR(200),
    PRIMARY KEY (workspace_id, rule_id)
);
CREATE INDEX federation_rule_account ON federation_rule (workspace_id, service_account_id);

-- How a token was obtained by a token exchange (TokenIssuedEvent.exchange): the rule, and the JWT's iss, sub and jti
-- (never the JWT). NULL for every other token, and for every token issued before this. member_token gets the same
-- columns (always NULL: only service accounts are federated) so that both tables are written and read alike.
ALTER TABLE service_account_token ADD COLUMN exchange_rule_id VARCHAR(64), ADD COLUMN exchange_issuer TEXT,
    ADD COLUMN exchange_subject TEXT, ADD COLUMN exchange_jti TEXT;
ALTER TABLE member_token ADD COLUMN exchange_rule_id VARCHAR(64), ADD COLUMN exchange_issuer TEXT,
    ADD COLUMN exchange_subject TEXT, ADD COLUMN exchange_jti TEXT;
