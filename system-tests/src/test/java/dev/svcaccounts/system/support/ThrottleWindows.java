package dev.svcaccounts.system.support;

import java.time.Duration;

/**
 * The throttles count in windows aligned to the epoch, and weigh the previous window by how much of it still lies
 * within one window of now (a sliding-window counter). A test counting exactly to a limit must not straddle a
 * window's start: just after it, the previous window's count weighs a little less than all of it, and one more
 * request goes through than the test expects.
 */
public final class ThrottleWindows {

    /** The throttle tests' window: long, so that a test rarely has to wait for the next one. */
    public static final Duration WINDOW = Duration.ofHours(1);
    /**
     * How often the nodes share their counts, and the pause between two requests of a test that alternates between
     * nodes: the overshoot it allows is then a matter of a sync or two, not of how fast a loaded machine answers.
     */
    public static final Duration SYNC_INTERVAL = Duration.ofMillis(200);
    /** What one test needs of a window, on a slow machine: each counts within one. */
    public static final Duration TEST_TIME = Duration.ofMinutes(2);

    private ThrottleWindows() {
    }

    /** The settings of throttle {@code name} ({@code writes}, {@code failed-authentications}) at {@code limit}. */
    public static String[] settings(String name, int limit) {
        return new String[]{"--svcaccounts.throttle." + name + ".limit=" + limit,
                "--svcaccounts.throttle." + name + ".window=" + WINDOW.toSeconds() + "s",
                "--svcaccounts.throttle.sync-interval=" + SYNC_INTERVAL.toMillis() + "ms"};
    }

    /** Returns once at least {@link #TEST_TIME} is left of the current {@link #WINDOW}. */
    public static void awaitRoom() {
        awaitRoom(WINDOW, TEST_TIME);
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
