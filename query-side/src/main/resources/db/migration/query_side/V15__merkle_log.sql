-- The Merkle log over the event store (issue 17), written by MerkleLogAppender only, never by a projection: a replay
-- of any read model leaves these tables alone, and nothing here is derived from a read model.

-- One leaf per stored event, in global-index order; leaf_index counts from 0 with no gaps (holes in the global index
-- that are settled for good get no leaf). leaf_hash = SHA-256(0x00 || StoredEvent canonical bytes).
CREATE TABLE merkle_leaf (
    leaf_index BIGINT PRIMARY KEY,
    position   BIGINT NOT NULL UNIQUE,
    leaf_hash  BYTEA  NOT NULL CHECK (length(leaf_hash) = 32)
);

-- Hashes of complete subtrees of 2^level leaves at levels 8, 16, 24...: subtree idx covers leaves
-- [idx * 2^level, (idx + 1) * 2^level). Any other complete subtree is at most 255 rows below one of these (or the
-- leaves), so proofs never read more than a few hundred rows per hash.
CREATE TABLE merkle_subtree (
    level INTEGER NOT NULL CHECK (level > 0 AND level % 8 = 0),
    idx   BIGINT  NOT NULL,
    hash  BYTEA   NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (level, idx)
);

-- Signed tree heads. The signature covers Checkpoint.signedText(); only a key held outside the database makes one.
CREATE TABLE merkle_checkpoint (
    tree_size BIGINT      PRIMARY KEY,
    root_hash BYTEA       NOT NULL CHECK (length(root_hash) = 32),
    issued_at TIMESTAMPTZ NOT NULL,
    key_id    VARCHAR(16) NOT NULL,
    signature BYTEA       NOT NULL
);
