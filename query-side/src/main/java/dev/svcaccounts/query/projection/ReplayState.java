package dev.svcaccounts.query.projection;

import java.util.Locale;

/** Where a replay stands; stored lowercase in {@code query_side.projection_replay.state}. */
enum ReplayState {
    /** Every node is asked to stop the processing group; nothing is reset yet. */
    PAUSING,
    /** The tokens were reset (the read model cleared); the processors replay from the first event. */
    REPLAYING,
    /** Every segment reached the position the head of the store had at the reset. */
    FINISHED,
    /** The nodes did not all let go of the group within the pause timeout; nothing was reset. */
    ABANDONED;

    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ReplayState of(String column) {
        return valueOf(column.toUpperCase(Locale.ROOT));
    }

    boolean running() {
        return this == PAUSING || this == REPLAYING;
    }
}
