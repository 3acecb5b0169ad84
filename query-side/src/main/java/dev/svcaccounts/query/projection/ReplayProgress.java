package dev.svcaccounts.query.projection;

import dev.svcaccounts.query.processor.TrackingPositions.Segment;

import java.util.List;

/**
 * How far a replay is, judged from every segment's token in the token store, so on any node. Not from Axon's
 * {@code isReplaying()}: a segment stays "replaying" there until it handles an event after the reset point, which
 * in a quiet system never comes.
 *
 * @param resetPosition where the head of the store was at the reset: the replay is over once every segment is there
 * @param position      the slowest segment's position (-1: none has handled an event yet)
 * @param percent       0-100; 100 only once it is over
 * @param over          every segment reached both its own reset point and {@code resetPosition}
 */
record ReplayProgress(long resetPosition, long position, int percent, boolean over) {

    /**
     * @param resetPosition the head at the reset as the replay's record holds it; null for a reset made some other
     *                      way (Axon's API), whose segments' own reset points stand in for it
     */
    static ReplayProgress of(List<Segment> segments, Long resetPosition) {
        long target = resetPosition != null ? resetPosition
                : segments.stream().mapToLong(Segment::resetPosition).max().orElse(-1);
        long position = segments.stream().mapToLong(Segment::position).min().orElse(-1);
        boolean over = !segments.isEmpty() && segments.stream().noneMatch(Segment::replaying)
                && (target <= 0 || position >= target);
        int percent = target <= 0 ? 100 : (int) Math.min(100, 100 * Math.max(0, position) / target);
        return new ReplayProgress(target, position, over ? 100 : Math.min(percent, 99), over);
    }
}
