package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.MerkleTree;
import dev.svcaccounts.events.integrity.StoredEvent;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inclusion proofs of event-store positions against one checkpoint, for one request: leaves and events are read by
 * positions in batches, and the tree's nodes are computed from stored hashes read a tile at a time and kept for the
 * request ({@link ProofTiles}), so a page or an export chunk costs a handful of queries whatever its size.
 */
public final class ProofSession {

    /** Positions proven per batch of reads: their tiles fit in what {@link ProofTiles} keeps. */
    static final int BATCH = 250;

    private static final String EVENTS = """
            SELECT global_index, event_identifier, aggregate_identifier, sequence_number, type, payload_type,
                   payload_revision, time_stamp, payload, meta_data
              FROM command_side.domain_event_entry
             WHERE global_index = ANY(?::bigint[])
            """;

    private record Leaf(long leafIndex, byte[] hash) {
    }

    private final JdbcTemplate jdbc;
    private final Checkpoint checkpoint;
    private final long cutPosition;
    private final ProofTiles tiles;
    private final MerkleTree tree;

    ProofSession(JdbcTemplate jdbc, Checkpoint checkpoint, long cutPosition) {
        this.jdbc = jdbc;
        this.checkpoint = checkpoint;
        this.cutPosition = cutPosition;
        this.tiles = new ProofTiles(jdbc);
        this.tree = new MerkleTree(tiles);
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The position of the checkpoint's last leaf: every event at or below it is in the checkpoint's tree. */
    public long cutPosition() {
        return cutPosition;
    }

    /**
     * Proofs of the events at these positions, by position. A position without a leaf in the checkpoint's tree (an
     * entry whose event never entered the log) has none.
     */
    public Map<Long, EntryProof> prove(List<Long> positions) {
        Map<Long, EntryProof> proofs = new HashMap<>();
        for (int from = 0; from < positions.size(); from += BATCH) {
            proveBatch(positions.subList(from, Math.min(positions.size(), from + BATCH)), proofs);
        }
        return proofs;
    }

    int tilesRead() {
        return tiles.tilesRead();
    }

    private void proveBatch(List<Long> positions, Map<Long, EntryProof> proofs) {
        Long[] wanted = positions.toArray(Long[]::new);
        Map<Long, Leaf> leaves = new HashMap<>();
        // leaves past the checkpoint's tree are left out here, not in SQL: the planner would scan the leaf index
        jdbc.query("SELECT position, leaf_index, leaf_hash FROM query_side.merkle_leaf "
                + "WHERE position = ANY(?::bigint[])", rs -> {
                    if (rs.getLong(2) < checkpoint.treeSize()) {
                        leaves.put(rs.getLong(1), new Leaf(rs.getLong(2), rs.getBytes(3)));
                    }
                }, (Object) wanted);
        Map<Long, StoredEvent> events = new HashMap<>();
        jdbc.query(EVENTS, rs -> {
            events.put(rs.getLong(1), new StoredEvent(rs.getString(2), rs.getString(3), rs.getLong(4),
                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getBytes(9),
                    rs.getBytes(10)));
        }, (Object) wanted);
        tiles.preload(leaves.values().stream().map(Leaf::leafIndex).toList());
        Base64.Encoder base64 = Base64.getEncoder();
        for (Long position : positions) {
            Leaf leaf = leaves.get(position);
            if (leaf == null) {
                continue;
            }
            List<String> path = new ArrayList<>();
            for (byte[] hash : tree.inclusionProof(leaf.leafIndex(), checkpoint.treeSize())) {
                path.add(base64.encodeToString(hash));
            }
            StoredEvent event = events.get(position);
            proofs.put(position, new EntryProof(checkpoint.treeSize(), leaf.leafIndex(),
                    base64.encodeToString(leaf.hash()), path, event == null ? null : StoredEventView.of(event)));
        }
    }
}
