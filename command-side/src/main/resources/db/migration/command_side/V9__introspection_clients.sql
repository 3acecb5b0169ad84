-- The clients of /v1/introspect (issue 14): resource servers that authenticate with a client id and secret
-- (RFC 7662 §2.1, client_secret_basic or client_secret_post). Written by the credentials module's projection in the
-- transaction of the command that registers or revokes one, so a revocation is exact when the DELETE returns. Only
-- the SHA-256 of the secret (256 random bits, as a token's) is kept; an introspection looks a client up by its
-- primary key and compares the hash in the same statement.
CREATE TABLE auth_introspection_client (
    client_id     VARCHAR(64)  PRIMARY KEY,
    secret_hash   VARCHAR(64)  NOT NULL,
    hint          VARCHAR(32)  NOT NULL,
    name          VARCHAR(100) NOT NULL,
    description   VARCHAR(256),
    registered_at TIMESTAMPTZ  NOT NULL,
    registered_by VARCHAR(200),
    revoked_at    TIMESTAMPTZ
);
