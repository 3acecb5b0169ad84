package dev.svcaccounts.query.integrity;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * An audit entry's inclusion proof against a checkpoint: its leaf (index and hash, as the log holds them), the RFC
 * 9162 audit path from the leaf to the checkpoint's root (Base64 hashes), and the event-store row as it is now, whose
 * canonical bytes hash to {@code leafHash} unless the row was changed after it entered the log. {@code event} is null
 * when the row is gone from the store.
 */
public record EntryProof(long treeSize, long leafIndex,
                         @Schema(description = "SHA-256(0x00 || canonical bytes), standard Base64") String leafHash,
                         List<String> inclusionPath, StoredEventView event) {
}
