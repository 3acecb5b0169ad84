-- The command side owns this schema. The query side only reads the event store and the credential tables.

-- Axon's JDBC event store. bigserial allocates the global index one by one (no increment-50 gaps);
-- payload and metadata are JSON in bytea, readable with convert_from(payload, 'UTF8').
CREATE TABLE domain_event_entry (
    global_index         BIGSERIAL    NOT NULL PRIMARY KEY,
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255),
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    meta_data            BYTEA,
    payload              BYTEA        NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    -- two writers of the same aggregate (two threads, two nodes): the second append fails here
    UNIQUE (aggregate_identifier, sequence_number)
);

CREATE TABLE snapshot_event_entry (
    aggregate_identifier VARCHAR(255) NOT NULL,
    sequence_number      BIGINT       NOT NULL,
    type                 VARCHAR(255) NOT NULL,
    event_identifier     VARCHAR(255) NOT NULL UNIQUE,
    meta_data            BYTEA,
    payload              BYTEA        NOT NULL,
    payload_revision     VARCHAR(255),
    payload_type         VARCHAR(255) NOT NULL,
    time_stamp           VARCHAR(255) NOT NULL,
    PRIMARY KEY (aggregate_identifier, sequence_number)
);

-- Tracking tokens of the command side's own streaming processors (none yet; Axon expects the table).
CREATE TABLE token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    PRIMARY KEY (processor_name, segment)
);

-- Credentials, written by CredentialProjection in the same transaction as the events that change them,
-- so both sides see a revocation as soon as the revoking command has returned.
CREATE TABLE auth_principal (
    workspace_id   VARCHAR(64)  NOT NULL,
    principal_type VARCHAR(32)  NOT NULL,
    principal_id   VARCHAR(64)  NOT NULL,
    display_name   VARCHAR(255) NOT NULL,
    workspace_role VARCHAR(32),
    active         BOOLEAN      NOT NULL,
    PRIMARY KEY (workspace_id, principal_type, principal_id)
);

CREATE TABLE auth_token (
    token_id       VARCHAR(64) NOT NULL PRIMARY KEY,
    secret_hash    CHAR(64)    NOT NULL UNIQUE,
    workspace_id   VARCHAR(64) NOT NULL,
    principal_type VARCHAR(32) NOT NULL,
    principal_id   VARCHAR(64) NOT NULL,
    expires_at     TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    FOREIGN KEY (workspace_id, principal_type, principal_id)
        REFERENCES auth_principal (workspace_id, principal_type, principal_id)
);

CREATE TABLE operator_credential (
    id          SMALLINT    NOT NULL PRIMARY KEY CHECK (id = 1),
    secret_hash CHAR(64)    NOT NULL,
    set_at      TIMESTAMPTZ NOT NULL
);
