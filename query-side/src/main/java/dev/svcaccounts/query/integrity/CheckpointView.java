package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;

import java.time.Instant;
import java.util.Base64;

/** A checkpoint on the wire: hashes and the signature in standard Base64, the time in whole seconds. */
public record CheckpointView(long treeSize, String rootHash, Instant issuedAt, String keyId, String signature) {

    public static CheckpointView of(Checkpoint checkpoint) {
        Base64.Encoder base64 = Base64.getEncoder();
        return new CheckpointView(checkpoint.treeSize(), base64.encodeToString(checkpoint.rootHash()),
                checkpoint.issuedAt(), checkpoint.keyId(), base64.encodeToString(checkpoint.signature()));
    }
}
