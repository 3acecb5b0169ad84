package dev.svcaccounts.infra.throttle;

/**
 * The count of one key as a sliding window: fixed windows aligned to the epoch, and an estimate that weighs the
 * previous window by how much of it still lies within one window length of now (the "sliding window counter" of
 * rate limiters: no burst of twice the limit at a window's edge, and two numbers per key). The counts are the
 * cluster's: this node's own, plus what the other nodes had written when it last looked.
 * Not thread-safe: {@link ClusterCounters} locks it.
 */
final class WindowedCount {

    private final long windowMillis;
    private long windowStart;
    /** The cluster's count of the current window as far as known, this node's own included. */
    private long current;
    /** This node's counts of the current window not yet written to the shared table. */
    private long unsent;
    private long previous;
    private long unsentPrevious;

    WindowedCount(long windowMillis, long nowMillis) {
        this.windowMillis = windowMillis;
        this.windowStart = alignedStart(nowMillis);
    }

    long windowStart() {
        return windowStart;
    }

    /** Moves on to the window of {@code nowMillis}: the current one becomes the previous, or both are forgotten. */
    void roll(long nowMillis) {
        long start = alignedStart(nowMillis);
        if (start <= windowStart) {
            return;
        }
        if (start == windowStart + windowMillis) {
            previous = current;
            unsentPrevious = unsent;
        } else {
            previous = 0;
            unsentPrevious = 0;
        }
        current = 0;
        unsent = 0;
        windowStart = start;
    }

    void add(long nowMillis) {
        roll(nowMillis);
        current++;
        unsent++;
    }

    /**
     * Whether the sliding count at {@code nowMillis}, current + previous (W - elapsed) / W, is below {@code limit};
     * in whole numbers (times W), so that the answer and {@link #millisUntilBelow} agree to the millisecond.
     */
    boolean isBelow(long limit, long nowMillis) {
        roll(nowMillis);
        long elapsed = nowMillis - windowStart;
        return current * windowMillis + previous * (windowMillis - elapsed) < limit * windowMillis;
    }

    /**
     * Milliseconds from {@code nowMillis} until the sliding count is below {@code limit} again, if nothing more is
     * counted; 0 if it is below already.
     */
    long millisUntilBelow(long limit, long nowMillis) {
        if (isBelow(limit, nowMillis)) {
            return 0;
        }
        long elapsed = nowMillis - windowStart;
        if (current >= limit) {
            // in the next window this one weighs (W - e) / W: below once current (W - e) < limit W
            long intoNext = windowMillis - Math.floorDiv(limit * windowMillis - 1, current);
            return windowMillis - elapsed + intoNext;
        }
        // still in this window, once previous (W - e) < (limit - current) W
        long at = windowMillis - Math.floorDiv((limit - current) * windowMillis - 1, previous);
        return Math.max(1, at - elapsed);
    }

    /** This node's counts not yet written, for the window starting at {@code start}; taken (zeroed) by this call. */
    long takeUnsent(long start) {
        long taken;
        if (start == windowStart) {
            taken = unsent;
            unsent = 0;
        } else if (start == windowStart - windowMillis) {
            taken = unsentPrevious;
            unsentPrevious = 0;
        } else {
            taken = 0;
        }
        return taken;
    }

    /** Counts that could not be written are written with the next ones (they are counted here already). */
    void returnUnsent(long start, long count) {
        if (start == windowStart) {
            unsent += count;
        } else if (start == windowStart - windowMillis) {
            unsentPrevious += count;
        }
    }

    /** Whether this node has counts to write, and for which windows. */
    boolean hasUnsent() {
        return unsent > 0 || unsentPrevious > 0;
    }

    boolean hasUnsentPrevious() {
        return unsentPrevious > 0;
    }

    /**
     * The cluster's total of the window starting at {@code start}, as the shared table says, without this node's
     * counts not written yet: the count is at least that plus those.
     */
    void clusterTotal(long start, long total) {
        if (start == windowStart) {
            current = Math.max(current, total + unsent);
        } else if (start == windowStart - windowMillis) {
            previous = Math.max(previous, total + unsentPrevious);
        }
    }

    /** Nothing counted in either window any more, nothing to write: the key can be forgotten. */
    boolean isIdle(long nowMillis) {
        roll(nowMillis);
        return current == 0 && previous == 0 && !hasUnsent();
    }

    private long alignedStart(long millis) {
        return Math.floorDiv(millis, windowMillis) * windowMillis;
    }
}
