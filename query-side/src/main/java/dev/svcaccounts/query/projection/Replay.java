package dev.svcaccounts.query.projection;

import java.time.Instant;

/**
 * One replay of a processing group, as {@code query_side.projection_replay} holds it. {@code startedAt},
 * {@code resetPosition} and {@code resetBy} are set by the reset; {@code endedAt} once it finished or was abandoned.
 */
record Replay(long id, String group, ReplayState state, Instant requestedAt, String requestedBy, String requestId,
              String reason, Instant startedAt, Long resetPosition, String resetBy, Instant endedAt, String note) {
}
