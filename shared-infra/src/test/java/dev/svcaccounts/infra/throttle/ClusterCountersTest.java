package dev.svcaccounts.infra.throttle;

import dev.svcaccounts.infra.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterCountersTest {

    /** A window boundary: counts start in a fresh window. */
    private static final Instant START = Instant.parse("2030-01-01T12:00:00Z");

    private final TestClock clock = new TestClock(START);
    private final ClusterCounters writes = new ClusterCounters("writes", 10, Duration.ofMinutes(1), clock, 1000);

    @Test
    void upToTheLimitPass_thenTheKeyWaitsUntilItsSlidingCountIsBelowAgain() {
        assertThat(acquired("acme user bob", 15)).isEqualTo(10);
        assertThat(acquired("acme user alice", 3)).as("another key").isEqualTo(3);

        // 10 in this window: in the next one they weigh (1 - elapsed/60 s), below 10 from its first millisecond on
        OptionalLong wait = writes.tryAcquire("acme user bob");
        assertThat(wait).hasValue(Duration.ofMinutes(1).toMillis() + 1);

        clock.advance(Duration.ofMillis(60_001));
        assertThat(acquired("acme user bob", 1)).as("10 x 59.999/60 < 10").isEqualTo(1);
        // now 1 + 10 x 59.999/60 >= 10: until the previous window weighs less than 9, 6 s into this one
        assertThat(writes.tryAcquire("acme user bob")).hasValue(6000);
        clock.advance(Duration.ofMillis(6000));
        assertThat(acquired("acme user bob", 1)).isEqualTo(1);
    }

    @Test
    void slidingWindow_allowsNoBurstOfTwiceTheLimitAtAWindowEdge() {
        clock.advance(Duration.ofSeconds(59));
        assertThat(acquired("k", 10)).isEqualTo(10);
        clock.advance(Duration.ofSeconds(1));
        assertThat(acquired("k", 10)).as("a second later, in the next fixed window").isZero();
        clock.advance(Duration.ofSeconds(30));
        assertThat(acquired("k", 10)).as("half a window later, half of the previous count has slid out").isEqualTo(5);
    }

    @Test
    void failuresAreCountedOneByOne_andBlockOnceAtTheLimit() {
        ClusterCounters failures = new ClusterCounters("failed-authentications", 3, Duration.ofMinutes(1), clock, 10);
        failures.add("10.0.0.1");
        failures.add("10.0.0.1");
        assertThat(failures.blockedForMillis("10.0.0.1")).isEmpty();
        failures.add("10.0.0.1");
        assertThat(failures.blockedForMillis("10.0.0.1")).isPresent();
        assertThat(failures.blockedForMillis("10.0.0.2")).isEmpty();
        assertThat(failures.size()).as("asking does not create a key").isEqualTo(1);
    }

    @Test
    void otherNodesCounts_readBack_countHereToo() {
        acquired("acme user bob", 4);
        List<ClusterCounters.Unsent> unsent = writes.takeUnsent();
        assertThat(unsent).containsExactly(new ClusterCounters.Unsent("acme user bob", START.toEpochMilli(), 4));
        assertThat(writes.takeUnsent()).as("taken once").isEmpty();

        acquired("acme user bob", 1); // while the write is under way
        // the table's total after this node's 4: another node had written 5
        writes.clusterTotals(List.of(new ClusterCounters.Unsent("acme user bob", START.toEpochMilli(), 9)));
        assertThat(acquired("acme user bob", 5)).as("9 written + 1 not yet").isZero();

        // a key only other nodes count is taken up once it is near its limit (a tenth of it)
        writes.clusterTotals(List.of(new ClusterCounters.Unsent("acme user carol", START.toEpochMilli(), 10),
                new ClusterCounters.Unsent("acme user dave", START.toEpochMilli(), 0)));
        assertThat(writes.tryAcquire("acme user carol")).isPresent();
        assertThat(writes.size()).isEqualTo(2);
    }

    @Test
    void countsNotWritten_areWrittenWithTheNextOnes() {
        acquired("k", 3);
        List<ClusterCounters.Unsent> unsent = writes.takeUnsent();
        writes.notWritten(unsent);
        acquired("k", 1);
        assertThat(writes.takeUnsent()).containsExactly(new ClusterCounters.Unsent("k", START.toEpochMilli(), 4));
    }

    @Test
    void countsOfThePreviousWindowNotWrittenYet_areWrittenForThatWindow() {
        acquired("k", 3);
        clock.advance(Duration.ofSeconds(61));
        acquired("k", 2);
        assertThat(writes.takeUnsent()).containsExactlyInAnyOrder(
                new ClusterCounters.Unsent("k", START.toEpochMilli(), 3),
                new ClusterCounters.Unsent("k", START.plusSeconds(60).toEpochMilli(), 2));
    }

    @Test
    void idleKeysAreForgotten_andNoMoreThanTheMostAreKept() {
        ClusterCounters small = new ClusterCounters("writes", 2, Duration.ofMinutes(1), clock, 2);
        small.tryAcquire("a");
        small.tryAcquire("b");
        assertThat(IntStream.range(0, 5).filter(i -> small.tryAcquire("c").isEmpty()).count())
                .as("a key beyond the most kept is not limited").isEqualTo(5);
        assertThat(small.size()).isEqualTo(2);

        small.takeUnsent();
        clock.advance(Duration.ofMinutes(2));
        small.forgetIdle();
        assertThat(small.size()).isZero();
    }

    @Test
    void aLimitOfZero_turnsTheThrottleOff() {
        ClusterCounters off = new ClusterCounters("writes", 0, Duration.ofMinutes(1), clock, 10);
        assertThat(IntStream.range(0, 1000).filter(i -> off.tryAcquire("k").isEmpty()).count()).isEqualTo(1000);
        assertThat(off.size()).isZero();
    }

    private int acquired(String key, int attempts) {
        return (int) IntStream.range(0, attempts).filter(i -> writes.tryAcquire(key).isEmpty()).count();
    }
}
