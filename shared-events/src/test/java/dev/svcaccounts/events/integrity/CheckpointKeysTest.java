package dev.svcaccounts.events.integrity;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointKeysTest {

    private static final byte[] ROOT = MerkleLog.leafHash(new byte[] {7});

    @Test
    void aCheckpoint_verifiesWithTheKeyReadBackFromItsFiles() {
        CheckpointKeys keys = CheckpointKeys.generate();
        CheckpointKeys reread = CheckpointKeys.fromKeyFile(keys.keyFilePem());
        Checkpoint checkpoint = reread.sign(42, ROOT, Instant.parse("2026-12-07T10:15:30.987Z"));

        assertThat(checkpoint.issuedAt()).isEqualTo(Instant.parse("2026-12-07T10:15:30Z"));
        assertThat(checkpoint.keyId()).isEqualTo(keys.keyId()).matches("[0-9a-f]{16}");
        assertThat(checkpoint.signedText()).isEqualTo("svcaccounts audit checkpoint v1\ntree_size 42\nroot_hash "
                + java.util.Base64.getEncoder().encodeToString(ROOT) + "\nissued_at 2026-12-07T10:15:30Z\nkey_id "
                + keys.keyId() + "\n");
        assertThat(CheckpointKeys.verify(checkpoint, CheckpointKeys.publicKeyFromPem(keys.publicKeyPem()))).isTrue();
    }

    @Test
    void anyChangedField_orAnotherKey_failsTheSignature() {
        CheckpointKeys keys = CheckpointKeys.generate();
        Checkpoint c = keys.sign(42, ROOT, Instant.parse("2026-12-07T10:15:30Z"));
        byte[] otherRoot = MerkleLog.leafHash(new byte[] {8});

        assertThat(CheckpointKeys.verify(new Checkpoint(43, c.rootHash(), c.issuedAt(), c.keyId(), c.signature()),
                keys.publicKey())).isFalse();
        assertThat(CheckpointKeys.verify(new Checkpoint(42, otherRoot, c.issuedAt(), c.keyId(), c.signature()),
                keys.publicKey())).isFalse();
        assertThat(CheckpointKeys.verify(new Checkpoint(42, c.rootHash(), c.issuedAt().plusSeconds(1), c.keyId(),
                c.signature()), keys.publicKey())).isFalse();
        assertThat(CheckpointKeys.verify(c, CheckpointKeys.generate().publicKey())).isFalse();
    }

    @Test
    void aKeyFileWhoseHalvesDoNotMatch_isRefused() {
        String mixed = CheckpointKeys.generate().keyFilePem().split("-----BEGIN PUBLIC KEY-----")[0]
                + CheckpointKeys.generate().publicKeyPem();
        assertThatThrownBy(() -> CheckpointKeys.fromKeyFile(mixed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> CheckpointKeys.fromKeyFile("garbage")).isInstanceOf(IllegalArgumentException.class);
    }
}
