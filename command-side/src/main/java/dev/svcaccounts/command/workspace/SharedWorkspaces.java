package dev.svcaccounts.command.workspace;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The workspaces in which this node has lately found events another command node appended (a lost append race, a
 * stale decision, events read when catching up), each for {@code window} after the last sign. While a workspace is
 * here, {@link CatchingUpRepository} reads the events appended since its cached copy before each command, as that
 * costs less than losing a race and reloading the whole history. Only a cost: nothing here decides a rule. At most
 * {@code capacity} workspaces, the least recently seen dropped first.
 */
final class SharedWorkspaces {

    private final Clock clock;
    private final long windowMillis;
    private final Map<String, Long> lastSeen;

    SharedWorkspaces(Clock clock, Duration window, int capacity) {
        this.clock = clock;
        this.windowMillis = window.toMillis();
        this.lastSeen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Another node's events were found in this workspace's stream now. */
    synchronized void seen(String workspaceId) {
        lastSeen.put(workspaceId, clock.millis());
    }

    /** Whether another node's events were found in this workspace's stream within the window. */
    synchronized boolean recently(String workspaceId) {
        Long at = lastSeen.get(workspaceId);
        if (at == null) {
            return false;
        }
        if (clock.millis() - at > windowMillis) {
            lastSeen.remove(workspaceId);
            return false;
        }
        return true;
    }
}
