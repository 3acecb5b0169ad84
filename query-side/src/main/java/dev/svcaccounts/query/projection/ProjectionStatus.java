package dev.svcaccounts.query.projection;

import java.time.Instant;
import java.util.List;

/**
 * One query-side processing group as the whole cluster runs it, read from the token store.
 *
 * @param state    {@code live}, {@code pausing} (a replay waits for every node to let go), {@code replaying}, or
 *                 {@code stopped} (no node holds any of its segments)
 * @param position every event up to this position has been handled by every segment (-1: none yet)
 * @param head     the newest event's position in the store
 * @param lag      events between {@code position} and {@code head}
 * @param replay   while pausing or replaying, else null
 */
record ProjectionStatus(String name, String state, long position, long head, long lag, List<SegmentStatus> segments,
                        ReplayStatus replay, LastReplay lastReplay) {

    /** One segment: the node holding it (Axon's {@code pid@host}, null when free) and how far it is. */
    record SegmentStatus(int segment, String owner, long position, boolean replaying) {
    }

    /**
     * A replay under way. {@code resetPosition}, {@code position} and {@code startedAt} are null while pausing;
     * {@code requestedAt} and {@code requestedBy} are null for a reset made outside this API.
     */
    record ReplayStatus(Instant requestedAt, String requestedBy, String reason, Instant startedAt, Long resetPosition,
                        Long position, int percent) {
    }

    /**
     * The group's newest replay that has ended: {@code finished}, or {@code abandoned} (with a note, never reset:
     * {@code startedAt} and {@code resetPosition} null).
     */
    record LastReplay(String outcome, Instant requestedAt, String requestedBy, String reason, Instant startedAt,
                      Long resetPosition, Instant endedAt, String note) {
    }
}
