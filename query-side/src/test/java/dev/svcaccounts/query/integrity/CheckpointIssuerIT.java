package dev.svcaccounts.query.integrity;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.query.ReadModelDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checkpoints come every N events or T seconds of growth, signed, over the log's true head. */
class CheckpointIssuerIT {

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final MerkleLogStore store = new MerkleLogStore(jdbc);
    private Instant now = Instant.parse("2026-12-07T10:00:00Z");
    private CheckpointKeys keys;
    private SigningKey signingKey;
    private int events;

    @TempDir
    Path directory;

    @BeforeEach
    void emptyStore() throws IOException {
        ReadModelDatabase.emptyEventStore();
        keys = CheckpointKeys.generate();
        Path file = directory.resolve("key.pem");
        Files.writeString(file, keys.keyFilePem());
        signingKey = new SigningKey(file.toString());
        events = 0;
    }

    private MerkleLogAppender appender(SigningKey key) {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton("issuer", (LogHeadListener) (size, root) -> new CheckpointIssuer(jdbc, store, key,
                Clock.fixed(now, ZoneOffset.UTC), 1000, Duration.ofSeconds(10)).appended(size, root));
        return new MerkleLogAppender(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()), store,
                new SettledStore(jdbc), beans.getBeanProvider(LogHeadListener.class), Duration.ofSeconds(1));
    }

    @Test
    void theFirstCheckpoint_comesAtOnce_signedOverTheStoredHead() {
        store(700);
        appender(signingKey).appendSettled();

        Checkpoint checkpoint = store.latestCheckpoint().orElseThrow();
        assertThat(checkpoint.treeSize()).isEqualTo(700);
        assertThat(checkpoint.rootHash()).isEqualTo(store.tree().root(700));
        assertThat(checkpoint.issuedAt()).isEqualTo(now);
        assertThat(checkpoint.keyId()).isEqualTo(keys.keyId());
        assertThat(CheckpointKeys.verify(checkpoint, keys.publicKey())).isTrue();
    }

    @Test
    void aSmallGrowth_waitsForTheInterval_evenWithNoNewEvents() {
        store(10);
        MerkleLogAppender appender = appender(signingKey);
        appender.appendSettled();
        store(5);
        now = now.plusSeconds(9);
        appender.appendSettled();
        assertThat(sizes()).containsExactly(10L);

        now = now.plusSeconds(1);
        appender.appendSettled(); // nothing new to append: the time alone makes it due
        assertThat(sizes()).containsExactly(10L, 15L);
        now = now.plusSeconds(60);
        appender.appendSettled();
        assertThat(sizes()).as("no growth, no checkpoint").containsExactly(10L, 15L);
    }

    @Test
    void aLargeGrowth_getsItsCheckpointWithoutWaiting() {
        store(10);
        MerkleLogAppender appender = appender(signingKey);
        appender.appendSettled();
        store(1000);
        appender.appendSettled();
        assertThat(sizes()).containsExactly(10L, 1010L);
        assertThat(MerkleLog.hex(store.checkpoint(1010).orElseThrow().rootHash()))
                .isEqualTo(MerkleLog.hex(store.tree().root(1010)));
    }

    @Test
    void withoutAKey_theLogGrows_andNothingIsSigned() {
        store(10);
        appender(new SigningKey("")).appendSettled();
        assertThat(store.size()).isEqualTo(10);
        assertThat(sizes()).isEmpty();
    }

    @Test
    void aKeyFileThatIsMissingOrNotAKey_stopsTheStart_withoutQuotingIt() throws IOException {
        assertThatThrownBy(() -> new SigningKey(directory.resolve("absent.pem").toString()))
                .hasMessageContaining("cannot be read");
        Path garbage = directory.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new SigningKey(garbage.toString())).hasMessageContaining(garbage.toString())
                .hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void earlierPublicKeys_areTrustedForVerification_andABadOneStopsTheStart() throws IOException {
        CheckpointKeys earlier = CheckpointKeys.generate();
        Path earlierPem = directory.resolve("earlier.pem");
        Files.writeString(earlierPem, earlier.publicKeyPem());
        Path file = directory.resolve("key.pem");
        TrustedKeys trusted = new SigningKey(file.toString(), " " + earlierPem + " ,").trustedKeys();
        assertThat(trusted.forKeyId(keys.keyId())).isPresent();
        assertThat(trusted.forKeyId(earlier.keyId())).contains(earlier.publicKey());
        assertThat(new SigningKey("", earlierPem.toString()).trustedKeys().ids()).isEqualTo(earlier.keyId());

        assertThatThrownBy(() -> new SigningKey(file.toString(), file.toString()))
                .as("a key file is no public key file").hasMessageContaining("AUDIT_TRUSTED_PUBLIC_KEYS");
        assertThatThrownBy(() -> new SigningKey(file.toString(), directory.resolve("absent.pem").toString()))
                .hasMessageContaining("AUDIT_TRUSTED_PUBLIC_KEYS");
    }

    private List<Long> sizes() {
        return jdbc.queryForList("SELECT tree_size FROM query_side.merkle_checkpoint ORDER BY tree_size", Long.class);
    }

    private void store(int count) {
        jdbc.update("INSERT INTO command_side.domain_event_entry (event_identifier, aggregate_identifier, "
                + "sequence_number, payload_type, time_stamp, payload) SELECT 'e' || i, 'ws', i, 'T', "
                + "'2026-12-07T00:00:00Z', convert_to('{}', 'UTF8') FROM generate_series(?, ?) i", events + 1,
                events + count);
        events += count;
    }
}
