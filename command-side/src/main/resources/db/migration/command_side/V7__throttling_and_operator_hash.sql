-- Throttling (issue 12, holes 2 and 11), shared by every node of both applications.
--
-- throttle_counter: per-window counts of writes per principal and of failed authentications per client address.
-- Each node counts in memory and adds its counts here about once a second, in one statement, reading back the
-- cluster's totals (ClusterCounters), so a cluster of N nodes enforces about the configured limit, not N times it.
-- UNLOGGED: no WAL per flush, and a crash of PostgreSQL empties it, which only forgets the last minute of counts.
-- Not replicated either: after a failover the counts start again from zero.
CREATE UNLOGGED TABLE throttle_counter (
    bucket       VARCHAR(32)  NOT NULL,
    throttle_key VARCHAR(300) NOT NULL,
    window_start TIMESTAMPTZ  NOT NULL,
    count        BIGINT       NOT NULL,
    PRIMARY KEY (bucket, throttle_key, window_start)
);
CREATE INDEX throttle_counter_by_window ON throttle_counter (bucket, window_start);

-- refusal_skip: refusals a node counted but did not record (RefusalLimiter), per key and window, written about once
-- a second while a window is open. The node appends the summary event (AccessRefusalsNotRecordedEvent) when the
-- window ends, deleting the row in the same transaction; a row that outlives its window by minutes belongs to a
-- node that died, and any node writes its summary instead. Logged: it must survive a crash of the node.
CREATE TABLE refusal_skip (
    node_id        VARCHAR(64)  NOT NULL,
    limit_key      VARCHAR(400) NOT NULL,
    window_start   TIMESTAMPTZ  NOT NULL,
    window_end     TIMESTAMPTZ  NOT NULL,
    workspace_id   VARCHAR(64)  NOT NULL,
    summary        TEXT         NOT NULL,
    PRIMARY KEY (node_id, limit_key, window_start)
);
CREATE INDEX refusal_skip_by_end ON refusal_skip (window_end);

-- The operator credential is kept as a salted, slow hash (pbkdf2-sha256$iterations$salt$hash), longer than the
-- SHA-256 hex it replaces. A SHA-256 stored before keeps working and is replaced at its first successful use.
ALTER TABLE operator_credential ALTER COLUMN secret_hash TYPE VARCHAR(255);
