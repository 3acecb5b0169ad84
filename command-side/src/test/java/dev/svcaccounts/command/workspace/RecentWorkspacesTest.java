package dev.svcaccounts.command.workspace;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The workspace cache holds at most so many workspaces, and workspaces built from at most so many events. */
class RecentWorkspacesTest {

    @Test
    void workspacesWithLongHistories_areDroppedLeastRecentlyUsedFirst_whenTheirEventsExceedTheBound() {
        RecentWorkspaces cache = new RecentWorkspaces(500, 1_000);
        cached(cache, "a", 400);
        cached(cache, "b", 400);
        cache.get("a"); // b is now the least recently used

        cached(cache, "c", 400);

        assertThat(cache.containsKey("a")).isTrue();
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(cache.containsKey("c")).isTrue();
        assertThat(cache.events()).isEqualTo(800);
    }

    @Test
    void aWorkspaceGrowingPastTheBound_pushesTheOthersOut_butStaysItself() {
        RecentWorkspaces cache = new RecentWorkspaces(500, 1_000);
        cached(cache, "small", 10);
        cached(cache, "huge", 900);

        cache.weigh("huge", 5_000); // one more command on it, with a long history

        assertThat(cache.containsKey("small")).isFalse();
        assertThat(cache.containsKey("huge")).isTrue();
        assertThat(cache.entries()).isEqualTo(1);
    }

    @Test
    void theNumberOfEntries_isStillBounded() {
        RecentWorkspaces cache = new RecentWorkspaces(2, 1_000_000);
        cached(cache, "a", 1);
        cached(cache, "b", 1);
        cached(cache, "c", 1);

        assertThat(cache.containsKey("a")).isFalse();
        assertThat(cache.entries()).isEqualTo(2);
        assertThat(cache.events()).isEqualTo(2);
    }

    @Test
    void aRemovedEntry_givesItsEventsBack() {
        RecentWorkspaces cache = new RecentWorkspaces(500, 1_000);
        cached(cache, "a", 300);
        cached(cache, "b", 300);

        cache.remove("a"); // Axon drops an entry when its command rolls back

        assertThat(cache.events()).isEqualTo(300);
        cache.removeAll();
        assertThat(cache.events()).isZero();
    }

    /** What the repository does after a command: Axon caches the aggregate, then the repository weighs it. */
    private static void cached(RecentWorkspaces cache, String workspace, long events) {
        cache.put(workspace, "aggregate of " + workspace);
        cache.weigh(workspace, events);
    }
}
