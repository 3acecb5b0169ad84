package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A workspace counts as written by another node for a while after the last sign of it, and only so many do. */
class SharedWorkspacesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T20:00:00Z"));

    @Test
    void aWorkspace_isSharedForTheWindowAfterTheLastSign() {
        SharedWorkspaces shared = new SharedWorkspaces(clock, Duration.ofMinutes(1), 10);
        assertThat(shared.recently("ws")).isFalse();

        shared.seen("ws");
        clock.advance(Duration.ofSeconds(40));
        assertThat(shared.recently("ws")).isTrue();
        shared.seen("ws"); // seen again: the window starts again
        clock.advance(Duration.ofSeconds(40));
        assertThat(shared.recently("ws")).isTrue();

        clock.advance(Duration.ofSeconds(21));
        assertThat(shared.recently("ws")).isFalse();
        assertThat(shared.recently("other")).isFalse();
    }

    @Test
    void theLeastRecentlySeen_isDroppedBeyondTheCapacity() {
        SharedWorkspaces shared = new SharedWorkspaces(clock, Duration.ofMinutes(1), 2);
        shared.seen("a");
        shared.seen("b");
        shared.recently("a"); // b is now the least recently used
        shared.seen("c");

        assertThat(shared.recently("a")).isTrue();
        assertThat(shared.recently("b")).isFalse();
        assertThat(shared.recently("c")).isTrue();
    }
}
