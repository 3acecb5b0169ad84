package dev.svcaccounts.events.integrity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A signed tree head: the log's size and root hash at a time, signed with the log's Ed25519 key. The signature covers
 * {@link #signedText()}, five lines of text an auditor can rebuild from the checkpoint's JSON with anything that knows
 * Base64 and Ed25519 ({@code scripts/VerifyAuditExport.java} does it with the JDK only):
 * <pre>
 * svcaccounts audit checkpoint v1
 * tree_size 1234
 * root_hash &lt;Base64 of the 32-byte root&gt;
 * issued_at 2026-12-07T10:15:30Z
 * key_id &lt;16 hex digits&gt;
 * </pre>
 * each line ending with a line feed. {@code issuedAt} has whole seconds, so every JSON library writes it the same.
 */
public record Checkpoint(long treeSize, byte[] rootHash, Instant issuedAt, String keyId, byte[] signature) {

    public static final String HEADER = "svcaccounts audit checkpoint v1";

    public Checkpoint {
        if (treeSize < 0 || rootHash.length != MerkleLog.HASH_LENGTH || issuedAt.getNano() != 0) {
            throw new IllegalArgumentException("a checkpoint has a size, a 32-byte root and a time in whole seconds");
        }
    }

    public static String signedText(long treeSize, byte[] rootHash, Instant issuedAt, String keyId) {
        return HEADER + "\n"
                + "tree_size " + treeSize + "\n"
                + "root_hash " + Base64.getEncoder().encodeToString(rootHash) + "\n"
                + "issued_at " + issuedAt + "\n"
                + "key_id " + keyId + "\n";
    }

    public String signedText() {
        return signedText(treeSize, rootHash, issuedAt, keyId);
    }

    public byte[] signedBytes() {
        return signedText().getBytes(StandardCharsets.UTF_8);
    }
}
