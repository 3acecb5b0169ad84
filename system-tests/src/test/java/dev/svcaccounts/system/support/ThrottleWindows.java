package dev.svcaccounts.system.support;

import java.time.Duration;

/**
 * The throttles count in windows aligned to the epoch, and weigh the previous window by how much of it still lies
 * within one window of now (a sliding-window counter). A test counting exactly to a limit must not straddle a
 * window's start: just after it, the previous window's count weighs a little less than all of it, and one more
 * request goes through than the test expects.
 */
public final class ThrottleWindows {

    private ThrottleWindows() {
    }

    /** Returns once at least {@code needed} is left of the current window of length {@code window}. */
    public static void awaitRoom(Duration window, Duration needed) {
        long windowMillis = window.toMillis();
        long left = windowMillis - Math.floorMod(System.currentTimeMillis(), windowMillis);
        if (left < needed.toMillis()) {
            try {
                Thread.sleep(left + 500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
