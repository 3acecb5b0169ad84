package dev.svcaccounts.query.processor;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Where every segment of a processing group stands, read from the token store, so it holds across nodes: each
 * node's own processor only knows the segments it has claimed.
 */
@Component
public class TrackingPositions {

    /**
     * One segment's token.
     *
     * @param safePosition every event at or below this position has been handled by this segment (-1: none); a
     *                     gap (an event committed late by a slow transaction) keeps it below the highest position
     * @param position     the highest position handled, -1 for none
     * @param resetPosition where the head of the store was when a replay started, or -1 when not replaying
     * @param owner        the node holding the segment, null when nobody does
     */
    public record Segment(int segment, long safePosition, long position, long resetPosition, String owner) {

        public boolean replaying() {
            return resetPosition >= 0 && position < resetPosition;
        }
    }

    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final String query;

    public TrackingPositions(JdbcTemplate jdbc, Serializer serializer, TokenSchema schema) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.query = "SELECT " + schema.segmentColumn() + ", " + schema.tokenColumn() + ", "
                + schema.tokenTypeColumn() + ", " + schema.ownerColumn() + " FROM " + schema.tokenTable()
                + " WHERE " + schema.processorNameColumn() + " = ? ORDER BY " + schema.segmentColumn();
    }

    /** Every segment of the processing group; empty when it has not started anywhere yet. */
    public List<Segment> segments(String processingGroup) {
        return jdbc.query(query,
                (rs, i) -> segment(rs.getInt(1), token(rs.getBytes(2), rs.getString(3)), rs.getString(4)),
                processingGroup);
    }

    /**
     * Each segment's gaps: positions below its {@code position} that it read past because no committed event held
     * them then. Either a transaction that had taken the position had not committed yet (its event comes later) or
     * it rolled back (a lost append race: no event will ever hold it). Axon keeps both kinds in the token for a
     * long time, so a gap alone does not say an event is missing.
     */
    public Map<Integer, SortedSet<Long>> gaps(String processingGroup) {
        Map<Integer, SortedSet<Long>> gaps = new TreeMap<>();
        jdbc.query(query, rs -> {
            TrackingToken current = WrappedToken.unwrapLowerBound(token(rs.getBytes(2), rs.getString(3)));
            gaps.put(rs.getInt(1), current instanceof GapAwareTrackingToken gapAware
                    ? gapAware.getGaps() : Collections.emptySortedSet());
        }, processingGroup);
        return gaps;
    }

    private TrackingToken token(byte[] bytes, String type) {
        if (bytes == null || type == null) {
            return null;
        }
        return serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type, null));
    }

    public static Segment segment(int segment, TrackingToken token, String owner) {
        long resetPosition = -1;
        if (token instanceof ReplayToken replay) {
            resetPosition = replay.getTokenAtReset() == null ? -1 : replay.getTokenAtReset().position().orElse(-1);
        }
        TrackingToken current = WrappedToken.unwrapLowerBound(token);
        long position = current == null ? -1 : current.position().orElse(-1);
        long safe = position;
        if (current instanceof GapAwareTrackingToken gapAware && !gapAware.getGaps().isEmpty()) {
            safe = gapAware.getGaps().first() - 1;
        }
        return new Segment(segment, safe, position, resetPosition, owner);
    }
}
