package dev.svcaccounts.infra.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * At most {@code perWindow} refusals recorded per key (a token, or a principal) in each window, which starts at
 * the key's first refusal; the rest are only counted. Someone hammering with a revoked token fills the event
 * store with ten entries a minute, not thousands. Per node, in memory.
 */
final class RefusalLimiter {

    /** Refusals of one key that were not recorded in the window starting at {@code windowStart}. */
    record Skipped(String key, Instant windowStart, int count) {
    }

    private static final class Window {
        final Instant start;
        int recorded;
        int skipped;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final int perWindow;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> windows = new HashMap<>();
    private final List<Skipped> ended = new ArrayList<>();

    RefusalLimiter(int perWindow, Duration window, Clock clock) {
        this.perWindow = perWindow;
        this.window = window;
        this.clock = clock;
    }

    /** True if this refusal of {@code key} is to be recorded; false if it was counted as skipped. */
    synchronized boolean tryAcquire(String key) {
        Instant now = clock.instant();
        Window current = windows.get(key);
        if (current == null || hasEnded(current, now)) {
            if (current != null) {
                end(key, current);
            }
            current = new Window(now);
            windows.put(key, current);
        }
        if (current.recorded < perWindow) {
            current.recorded++;
            return true;
        }
        current.skipped++;
        return false;
    }

    /** The windows that have ended with refusals skipped, each once; forgets every ended window. */
    synchronized List<Skipped> takeEndedWithSkips() {
        return take(false);
    }

    /** Every window with refusals skipped, ended or not, each once (on shutdown); forgets every window. */
    synchronized List<Skipped> takeAllWithSkips() {
        return take(true);
    }

    private List<Skipped> take(boolean evenIfOpen) {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Window> entry = it.next();
            if (evenIfOpen || hasEnded(entry.getValue(), now)) {
                end(entry.getKey(), entry.getValue());
                it.remove();
            }
        }
        List<Skipped> taken = List.copyOf(ended);
        ended.clear();
        return taken;
    }

    private boolean hasEnded(Window w, Instant now) {
        return !now.isBefore(w.start.plus(window));
    }

    private void end(String key, Window w) {
        if (w.skipped > 0) {
            ended.add(new Skipped(key, w.start, w.skipped));
        }
    }
}
