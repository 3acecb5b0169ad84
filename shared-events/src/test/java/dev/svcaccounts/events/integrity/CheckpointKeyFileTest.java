package dev.svcaccounts.events.integrity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointKeyFileTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CheckpointKeyFile.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aMissingFile_isCreatedOwnerOnly_withAKeyPair_andTheKeyIsNotPrinted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit-signing-key.pem");

        assertThat(run(file.toString())).isZero();

        String text = Files.readString(file);
        CheckpointKeys keys = CheckpointKeys.fromKeyFile(text);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("created " + file + " (key id " + keys.keyId()
                + ")\n").doesNotContain("PRIVATE");
    }

    @Test
    void anExistingKey_isKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key.pem");
        run(file.toString());
        String before = Files.readString(file);

        assertThat(run(file.toString())).isZero();

        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("kept " + file + " (key id "
                + CheckpointKeys.fromKeyFile(before).keyId() + ")");
    }

    @Test
    void aFileWithoutAKey_isRefused_withoutQuotingIt_andLeftAsItIs(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key.pem");
        Files.writeString(file, "s3cret-not-a-key\n");

        assertThat(run(file.toString())).isEqualTo(1);

        assertThat(Files.readString(file)).isEqualTo("s3cret-not-a-key\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(file + " does not hold an audit signing key")
                .doesNotContain("s3cret");
    }

    @Test
    void noFileNamed_isAUsageError() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage:");
    }
}
