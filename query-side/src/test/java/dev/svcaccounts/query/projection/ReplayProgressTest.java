package dev.svcaccounts.query.projection;

import dev.svcaccounts.query.processor.TrackingPositions.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayProgressTest {

    @Test
    void justReset_nothingReplayedYet_isAtZeroPercent() {
        ReplayProgress progress =
                ReplayProgress.of(List.of(replaying(0, -1, 10_000), replaying(1, -1, 10_000)), 10_000L);
        assertThat(progress).isEqualTo(new ReplayProgress(10_000, -1, 0, false));
    }

    @Test
    void halfway_isTheSlowestSegmentsShareOfTheHeadAtTheReset() {
        ReplayProgress progress = ReplayProgress.of(List.of(replaying(0, 4_800, 10_000), replaying(1, 4_500, 10_000),
                replaying(2, 7_000, 10_000), live(3, 10_000)), 10_000L);
        assertThat(progress).isEqualTo(new ReplayProgress(10_000, 4_500, 45, false));
    }

    /** Axon's isReplaying() would stay true here until a newer event arrives; the replay is over all the same. */
    @Test
    void everySegmentAtItsResetPoint_isOver_evenWhileItsTokenIsStillAReplayToken() {
        ReplayProgress progress = ReplayProgress.of(List.of(replaying(0, 10_000, 10_000), live(1, 10_000)), 10_000L);
        assertThat(progress.over()).isTrue();
        assertThat(progress.percent()).isEqualTo(100);
    }

    /** A segment that was behind when the reset came has its own, lower reset point; the head at the reset counts. */
    @Test
    void aSegmentPastItsOwnResetPoint_butShortOfTheHeadAtTheReset_isNotOverYet() {
        ReplayProgress progress = ReplayProgress.of(List.of(live(0, 9_990), live(1, 10_000)), 10_000L);
        assertThat(progress.over()).isFalse();
        assertThat(progress.percent()).isEqualTo(99);
    }

    @Test
    void aResetMadeOutsideTheApi_isMeasuredAgainstTheSegmentsOwnResetPoints() {
        ReplayProgress progress = ReplayProgress.of(List.of(replaying(0, 250, 1_000), replaying(1, 600, 990)), null);
        assertThat(progress).isEqualTo(new ReplayProgress(1_000, 250, 25, false));
    }

    @Test
    void anEmptyStoreAtTheReset_isOverAtOnce() {
        ReplayProgress progress = ReplayProgress.of(List.of(live(0, -1), live(1, -1)), 0L);
        assertThat(progress.over()).isTrue();
        assertThat(progress.percent()).isEqualTo(100);
    }

    private static Segment replaying(int segment, long position, long resetPosition) {
        return new Segment(segment, position, position, resetPosition, "1@node");
    }

    private static Segment live(int segment, long position) {
        return new Segment(segment, position, position, -1, "1@node");
    }
}
