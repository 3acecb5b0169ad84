package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.events.integrity.MerkleTree;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The complete subtrees one request's proofs need, computed from the stored hashes in tiles: a tile is a block of 256
 * hashes of one stored level (the leaves; merkle_subtree's levels 8, 16...), read whole, many tiles per query, and kept
 * with the nodes computed in it (the seven levels above its base). A page of 500 proofs thus reads its leaf tiles in
 * one query, and the levels 8 to 15 of a log of up to 16.7 million leaves in one more, instead of one query per node.
 * The leaf tiles kept are the most recently used, so an export of any size holds a bounded amount.
 */
final class ProofTiles implements MerkleTree.CompleteSubtrees {

    static final int BITS = MerkleLogStore.TILE_BITS;
    static final int TILE = 1 << BITS;
    private static final int KEPT_LEAF_TILES = 300;

    private final JdbcTemplate jdbc;
    private final Map<Long, Tile> leafTiles = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Tile> eldest) {
            return size() > KEPT_LEAF_TILES;
        }
    };
    /** Tiles of levels 8 and above: one covers 65,536 leaves or more, so few are ever needed. */
    private final Map<Long, Tile> upperTiles = new HashMap<>();
    private int tilesRead;

    ProofTiles(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public byte[] hash(int level, long index) {
        int base = level - level % BITS;
        long first = index << (level - base);
        Tile tile = tiles(base).get(key(base, first >> BITS));
        if (tile == null) {
            load(base, List.of(first >> BITS));
            tile = tiles(base).get(key(base, first >> BITS));
        }
        return tile.node(level - base, (int) (first & (TILE - 1)) >> (level - base));
    }

    /** Reads, in a query per stored level, the tiles these leaves' proofs start from that are not kept yet. */
    void preload(Collection<Long> leafIndexes) {
        for (int base : new int[] {0, BITS}) {
            List<Long> missing = leafIndexes.stream().map(i -> i >> (base + BITS)).distinct()
                    .filter(t -> !tiles(base).containsKey(key(base, t))).toList();
            if (!missing.isEmpty()) {
                load(base, missing);
            }
        }
    }

    /** How many tiles were read from the database (for benchmarks). */
    int tilesRead() {
        return tilesRead;
    }

    private Map<Long, Tile> tiles(int base) {
        return base == 0 ? leafTiles : upperTiles;
    }

    /** Tiles of every level above the leaves share one map. */
    private static long key(int base, long tileIndex) {
        return ((long) base << 56) | tileIndex;
    }

    private void load(int base, List<Long> tileIndexes) {
        Map<Long, Tile> loaded = new HashMap<>();
        tileIndexes.forEach(t -> loaded.put(t, new Tile()));
        Map<Long, Tile> kept = tiles(base);
        Long[] tiles = tileIndexes.toArray(Long[]::new);
        RowCallbackHandler row = rs -> {
            long index = rs.getLong(1);
            loaded.get(index >> BITS).put((int) (index & (TILE - 1)), rs.getBytes(2));
        };
        if (base == 0) {
            jdbc.query("SELECT l.leaf_index, l.leaf_hash FROM unnest(?::bigint[]) t(tile) "
                    + "JOIN query_side.merkle_leaf l ON l.leaf_index >= t.tile * ? AND l.leaf_index < (t.tile + 1) * ?",
                    row, tiles, TILE, TILE);
        } else {
            jdbc.query("SELECT s.idx, s.hash FROM unnest(?::bigint[]) t(tile) JOIN query_side.merkle_subtree s "
                    + "ON s.level = ? AND s.idx >= t.tile * ? AND s.idx < (t.tile + 1) * ?", row, tiles, base, TILE,
                    TILE);
        }
        loaded.forEach((index, tile) -> kept.put(key(base, index), tile));
        tilesRead += loaded.size();
    }

    /** 256 stored hashes of one level (fewer at the log's right edge) and the nodes computed over them. */
    private static final class Tile {

        private final byte[][][] levels = new byte[BITS][][];

        Tile() {
            for (int level = 0; level < levels.length; level++) {
                levels[level] = new byte[TILE >> level][];
            }
        }

        void put(int offset, byte[] hash) {
            levels[0][offset] = hash;
        }

        byte[] node(int level, int offset) {
            byte[] hash = levels[level][offset];
            if (hash == null) {
                if (level == 0) {
                    throw new IllegalStateException("the Merkle log lacks a hash its checkpoint covers");
                }
                hash = MerkleLog.nodeHash(node(level - 1, 2 * offset), node(level - 1, 2 * offset + 1));
                levels[level][offset] = hash;
            }
            return hash;
        }
    }
}
