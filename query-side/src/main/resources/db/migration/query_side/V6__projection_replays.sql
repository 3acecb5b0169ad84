-- Replays of query-side processing groups (POST /v1/admin/projections/{name}/replay), one row each, kept as
-- history. The query nodes coordinate through it (ReplayCoordinator):
--   pausing    every live node stops that group's processor, so its segments are claimed by nobody;
--   replaying  one node has reset the tokens (the reset handlers cleared the read model) in the same transaction
--              that set this state and reset_position, the head of the event store then; every node runs the
--              processor again, from the first event;
--   finished   a node saw every segment at or past reset_position;
--   abandoned  the nodes did not all let go within the pause timeout: no reset, the nodes resumed.
-- A node that dies holds its claims until the token store's claim timeout, after which another node resets
-- without it; a node killed during the replay resumes from the stored replay tokens.
CREATE TABLE projection_replay (
    id               BIGSERIAL    PRIMARY KEY,
    processing_group VARCHAR(255) NOT NULL,
    state            VARCHAR(16)  NOT NULL CHECK (state IN ('pausing', 'replaying', 'finished', 'abandoned')),
    requested_at     TIMESTAMPTZ  NOT NULL,
    requested_by     VARCHAR(64)  NOT NULL,
    request_id       VARCHAR(128),
    reason           TEXT,
    started_at       TIMESTAMPTZ,
    reset_position   BIGINT,
    reset_by         VARCHAR(255),
    -- when a node last logged this replay's progress: one line per interval for the whole cluster
    reported_at      TIMESTAMPTZ,
    ended_at         TIMESTAMPTZ,
    note             TEXT
);
-- one replay of a processing group at a time, whichever node is asked
CREATE UNIQUE INDEX projection_replay_running ON projection_replay (processing_group)
    WHERE state IN ('pausing', 'replaying');
