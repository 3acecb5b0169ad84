package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.events.integrity.MerkleTree;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The complete subtrees one request's proofs need. Those at level 8 and above come from the store (which keeps them);
 * those below are not stored, so each is computed from the leaves of its block of 256 (a tile), read whole, many tiles
 * per query, and kept with the nodes computed in it: a page of 500 proofs reads its tiles in one query instead of
 * eight per proof. Only the most recently used tiles are kept, so an export of any size holds a bounded amount.
 */
final class ProofTiles implements MerkleTree.CompleteSubtrees {

    static final int TILE = 1 << MerkleLogStore.TILE_BITS;
    private static final int KEPT_TILES = 300;

    private final JdbcTemplate jdbc;
    private final MerkleLogStore store;
    private final Map<Long, Tile> tiles = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Tile> eldest) {
            return size() > KEPT_TILES;
        }
    };
    private int tilesRead;

    ProofTiles(JdbcTemplate jdbc, MerkleLogStore store) {
        this.jdbc = jdbc;
        this.store = store;
    }

    @Override
    public byte[] hash(int level, long index) {
        if (level >= MerkleLogStore.TILE_BITS) {
            return store.completeSubtree(level, index);
        }
        long first = index << level;
        Tile tile = tiles.get(first / TILE);
        if (tile == null) {
            load(List.of(first / TILE));
            tile = tiles.get(first / TILE);
        }
        return tile.node(level, (int) (first % TILE) >> level);
    }

    /** Reads, in one query, the tiles holding these leaves that are not kept yet. */
    void preload(Collection<Long> leafIndexes) {
        List<Long> missing = leafIndexes.stream().map(i -> i / TILE).distinct().filter(t -> !tiles.containsKey(t))
                .toList();
        if (!missing.isEmpty()) {
            load(missing);
        }
    }

    /** How many tiles were read from the database (for benchmarks). */
    int tilesRead() {
        return tilesRead;
    }

    private void load(List<Long> tileIndexes) {
        Map<Long, Tile> loaded = new LinkedHashMap<>();
        tileIndexes.forEach(t -> loaded.put(t, new Tile()));
        jdbc.query("SELECT l.leaf_index, l.leaf_hash FROM unnest(?::bigint[]) t(tile) JOIN query_side.merkle_leaf l "
                + "ON l.leaf_index >= t.tile * ? AND l.leaf_index < (t.tile + 1) * ?", rs -> {
                    long leafIndex = rs.getLong(1);
                    loaded.get(leafIndex / TILE).leaf((int) (leafIndex % TILE), rs.getBytes(2));
                }, tileIndexes.toArray(Long[]::new), TILE, TILE);
        tiles.putAll(loaded);
        tilesRead += loaded.size();
    }

    /** The leaves of one tile as stored (fewer than 256 at the log's right edge) and the nodes computed over them. */
    private static final class Tile {

        private final byte[][][] levels = new byte[MerkleLogStore.TILE_BITS][][];

        Tile() {
            for (int level = 0; level < levels.length; level++) {
                levels[level] = new byte[TILE >> level][];
            }
        }

        void leaf(int offset, byte[] hash) {
            levels[0][offset] = hash;
        }

        byte[] node(int level, int offset) {
            byte[] hash = levels[level][offset];
            if (hash == null) {
                if (level == 0) {
                    throw new IllegalStateException("the Merkle log lacks a leaf its checkpoint covers");
                }
                hash = MerkleLog.nodeHash(node(level - 1, 2 * offset), node(level - 1, 2 * offset + 1));
                levels[level][offset] = hash;
            }
            return hash;
        }
    }
}
