package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.Base64;

/**
 * A signed checkpoint as the API answers it: binary values in standard Base64 with padding, the time in whole
 * seconds. The signature covers {@link Checkpoint#signedText()}, which an auditor rebuilds from these five fields.
 */
public record CheckpointView(
        @Schema(description = "The number of leaves (events) the checkpoint covers", minimum = "0")
        long treeSize,
        @Schema(description = "The Merkle tree head (RFC 9162) over those leaves, Base64 of 32 bytes",
                maxLength = 44, pattern = "^[A-Za-z0-9+/]{43}=$")
        String rootHash,
        @Schema(description = "When it was signed, whole seconds, UTC")
        Instant issuedAt,
        @Schema(description = "The signing key's id: 16 hex digits of SHA-256 over its public key (SPKI DER)",
                pattern = "^[0-9a-f]{16}$", maxLength = 16)
        String keyId,
        @Schema(description = "Ed25519 signature over the checkpoint's signed text, Base64 of 64 bytes",
                maxLength = 88, pattern = "^[A-Za-z0-9+/]{86}==$")
        String signature) {

    public static CheckpointView of(Checkpoint checkpoint) {
        Base64.Encoder base64 = Base64.getEncoder();
        return new CheckpointView(checkpoint.treeSize(), base64.encodeToString(checkpoint.rootHash()),
                checkpoint.issuedAt(), checkpoint.keyId(), base64.encodeToString(checkpoint.signature()));
    }

    /** The checkpoint this view shows (to verify it with {@code CheckpointKeys.verify}). */
    public Checkpoint checkpoint() {
        Base64.Decoder base64 = Base64.getDecoder();
        return new Checkpoint(treeSize, base64.decode(rootHash), issuedAt, keyId, base64.decode(signature));
    }
}
