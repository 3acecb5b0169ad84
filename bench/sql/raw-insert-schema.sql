-- The table of the raw insert: the shape of command_side.domain_event_entry (bigserial global index, unique event
-- id, unique aggregate + sequence number), so pgbench maintains the same three indexes as an event append. It
-- lives in a database of its own (pgbench), made afresh by each run.
CREATE TABLE raw_event_entry (
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
    UNIQUE (aggregate_identifier, sequence_number)
);
-- each client appends to its own aggregate; a sequence keeps (aggregate, sequence_number) unique
CREATE SEQUENCE raw_event_sequence;
