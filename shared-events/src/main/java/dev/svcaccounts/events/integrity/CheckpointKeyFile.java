package dev.svcaccounts.events.integrity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes the checkpoint signing key's file when it is missing: {@code java -cp <shared-events jar>
 * dev.svcaccounts.events.integrity.CheckpointKeyFile FILE}, as run.sh and docker-compose.yml's one-shot
 * {@code audit-key} service do (the runtime images have no compiler for a one-file program). A new file is created
 * owner-only (mode 600) before the key is written to it, and never over an existing file; an existing one is only
 * checked: it must be readable and hold a matching key pair. Prints the outcome and the key id, never the key.
 * Exit status 0 when the file holds a key, 1 otherwise (the reason on standard error, naming the file).
 */
public final class CheckpointKeyFile {

    private CheckpointKeyFile() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1 || args[0].isBlank()) {
            err.println("usage: CheckpointKeyFile FILE (made owner-only with a new Ed25519 key when missing)");
            return 2;
        }
        Path file = Path.of(args[0]);
        try {
            if (!Files.exists(file)) {
                CheckpointKeys created = create(file);
                if (created != null) {
                    out.println("created " + file + " (key id " + created.keyId() + ")");
                    return 0;
                }
            }
            CheckpointKeys kept = CheckpointKeys.fromKeyFile(Files.readString(file, StandardCharsets.US_ASCII));
            out.println("kept " + file + " (key id " + kept.keyId() + ")");
            return 0;
        } catch (IOException | RuntimeException e) { // never the file's text: the messages name what is wrong only
            err.println(file + " does not hold an audit signing key (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e instanceof IOException ? "" : ": " + e.getMessage())
                    + "); fix its permissions, restore it from a backup or move it away to make a new one");
            return 1;
        }
    }

    /** A new key in a new owner-only file; null when another process made the file meanwhile. */
    private static CheckpointKeys create(Path file) throws IOException {
        CheckpointKeys keys = CheckpointKeys.generate();
        try {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return null;
        }
        Files.writeString(file, keys.keyFilePem(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        return keys;
    }
}
