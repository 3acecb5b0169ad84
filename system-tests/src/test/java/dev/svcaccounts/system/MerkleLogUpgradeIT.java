package dev.svcaccounts.system;

import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.events.integrity.StoredEvent;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written by a release before the Merkle log (query_side V15) gets every event it holds into the log when
 * the new release starts, in store order, and a signed checkpoint over all of them.
 */
class MerkleLogUpgradeIT {

    @Test
    void everyEventOfAnEarlierRelease_entersTheLog_andACheckpointCoversThem() {
        Database database = TestDatabases.fresh("merkle-upgrade");
        try (RunningSystem system = RunningSystem.start(database)) {
            Api api = system.api();
            String admin = api.createWorkspace("upgrade", "alice").path("token").path("secret").asText();
            for (int i = 0; i < 5; i++) {
                String id = api.createServiceAccount("upgrade", admin, "sa-" + i).path("id").asText();
                api.issueToken("upgrade", admin, id);
            }
        }
        // back to the release before V15: no log at all (and none of the query side's later migrations)
        database.jdbc().execute("DROP TABLE query_side.merkle_leaf, query_side.merkle_subtree, "
                + "query_side.merkle_checkpoint");
        database.jdbc().execute("DROP TABLE query_side.audit_verification"); // V16
        database.jdbc().execute("DROP TABLE query_side.bulk_rebuild_index"); // V17
        database.jdbc().execute("""
                DROP INDEX query_side.audit_entry_project, query_side.audit_entry_account, query_side.audit_entry_token,
                           query_side.audit_entry_actor;
                CREATE INDEX audit_entry_project
                    ON query_side.audit_entry (workspace_id, (details ->> 'project'), position);
                CREATE INDEX audit_entry_account ON query_side.audit_entry (workspace_id, account_id, position);
                CREATE INDEX audit_entry_token ON query_side.audit_entry (workspace_id, token_id, position);
                CREATE INDEX audit_entry_actor ON query_side.audit_entry (workspace_id, actor_id, position);
                DROP STATISTICS query_side.audit_entry_project_values;
                """); // V18: the indexes as they were
        database.jdbc().update("DELETE FROM query_side.flyway_schema_history WHERE CAST(version AS integer) >= 15");
        long events = database.jdbc().queryForObject("SELECT count(*) FROM command_side.domain_event_entry",
                Long.class);
        assertThat(events).isGreaterThan(10);

        try (RunningSystem ignored = RunningSystem.start(database)) {
            Eventually.untilAsserted(Duration.ofSeconds(30), () -> assertThat(database.jdbc().queryForObject(
                    "SELECT max(tree_size) FROM query_side.merkle_checkpoint", Long.class)).isEqualTo(events));
        }

        List<byte[]> leaves = database.jdbc().query("""
                SELECT event_identifier, aggregate_identifier, sequence_number, type, payload_type, payload_revision,
                       time_stamp, payload, meta_data FROM command_side.domain_event_entry ORDER BY global_index
                """, (rs, i) -> new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9)).leafHash());
        Checkpoint checkpoint = database.jdbc().queryForObject("SELECT tree_size, root_hash, issued_at, key_id, "
                + "signature FROM query_side.merkle_checkpoint ORDER BY tree_size DESC LIMIT 1", (rs, i) ->
                new Checkpoint(rs.getLong(1), rs.getBytes(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                        rs.getBytes(5)));
        assertThat(MerkleLog.hex(checkpoint.rootHash())).as("the head over the store's rows, in store order")
                .isEqualTo(MerkleLog.hex(MerkleLog.root(leaves, leaves.size())));
        assertThat(CheckpointKeys.verify(checkpoint, RunningSystem.SIGNING_KEYS.publicKey())).isTrue();
    }
}
