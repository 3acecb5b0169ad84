package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Ed25519 key that signs checkpoints, read at start from the file {@code AUDIT_SIGNING_KEY_FILE} names (run.sh
 * generates one into DATA_DIR). Every query node must be given the same file. A file that cannot be read or does not
 * hold a matching key pair stops the start with a message that names the file and never quotes it. Unset: the log
 * still grows, nothing is signed, and a warning says so.
 */
@Component
public class SigningKey {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    private final CheckpointKeys keys;
    private final TrustedKeys trusted;

    SigningKey(@Value("${svcaccounts.audit.signing-key-file:}") String file) {
        this(file, "");
    }

    @Autowired
    SigningKey(@Value("${svcaccounts.audit.signing-key-file:}") String file,
               @Value("${svcaccounts.audit.trusted-public-keys:}") String trustedFiles) {
        this.keys = file.isBlank() ? null : load(Path.of(file));
        this.trusted = trusted(keys, trustedFiles);
        if (keys == null) {
            log.warn("AUDIT_SIGNING_KEY_FILE is not set: the audit log is kept but no checkpoint is signed, so the "
                    + "trail cannot be proven; run.sh sets it, see docs/operations.md");
        } else {
            log.info("Audit checkpoints are signed with key {} ({}); its public key: GET /v1/audit/public-key",
                    keys.keyId(), file);
        }
    }

    /** The signing key's public key and every PEM public key file in the comma-separated list. */
    private static TrustedKeys trusted(CheckpointKeys keys, String files) {
        Map<String, PublicKey> byKeyId = new HashMap<>();
        if (keys != null) {
            byKeyId.put(keys.keyId(), keys.publicKey());
        }
        for (String name : files.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Path file = Path.of(name.strip());
            try {
                PublicKey key = CheckpointKeys.publicKeyFromPem(Files.readString(file, StandardCharsets.US_ASCII));
                byKeyId.put(CheckpointKeys.keyId(key), key);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("AUDIT_TRUSTED_PUBLIC_KEYS names " + file + ", which does not hold an "
                        + "Ed25519 PUBLIC KEY PEM block (" + e.getClass().getSimpleName() + ")");
            }
        }
        return new TrustedKeys(byKeyId);
    }

    private static CheckpointKeys load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("AUDIT_SIGNING_KEY_FILE " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "); give the query side the key file run.sh generated");
        }
        CheckpointKeys loaded;
        try {
            loaded = CheckpointKeys.fromKeyFile(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("AUDIT_SIGNING_KEY_FILE " + file + ": " + e.getMessage());
        }
        warnIfOthersCanRead(file);
        return loaded;
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("AUDIT_SIGNING_KEY_FILE {} can be read by others than its owner: chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: nothing to say
        }
    }

    public boolean configured() {
        return keys != null;
    }

    public Optional<PublicKey> publicKey() {
        return Optional.ofNullable(keys).map(CheckpointKeys::publicKey);
    }

    /** The keys whose checkpoints a verification accepts: this one's and the earlier ones configured. */
    public TrustedKeys trustedKeys() {
        return trusted;
    }

    public Optional<String> publicKeyPem() {
        return Optional.ofNullable(keys).map(CheckpointKeys::publicKeyPem);
    }

    public Optional<String> keyId() {
        return Optional.ofNullable(keys).map(CheckpointKeys::keyId);
    }

    Checkpoint sign(long treeSize, byte[] rootHash, Instant issuedAt) {
        if (keys == null) {
            throw new IllegalStateException("no signing key");
        }
        return keys.sign(treeSize, rootHash, issuedAt);
    }
}
