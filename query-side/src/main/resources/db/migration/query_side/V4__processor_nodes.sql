-- The query nodes running right now: each writes a heartbeat every 2 s, and the ones seen in the last 6 s
-- share each processor's segments (SegmentBalancing). Rows of nodes gone for an hour are deleted.
CREATE TABLE processor_node (
    node_id   VARCHAR(64) NOT NULL PRIMARY KEY,
    last_seen TIMESTAMPTZ NOT NULL
);
