package dev.svcaccounts.system.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.integrity.StoredEvent;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Histories;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tampering with the event store in real PostgreSQL, the way someone with write access to the database would, is
 * found by {@code POST /v1/admin/audit/verify} with the right position and kind; a clean store passes. One system
 * for the class: each test tampers, verifies, and puts the store back as it was, so the next starts clean.
 */
class AuditTamperIT {

    private static final String VERIFY = "/v1/admin/audit/verify";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("audit-tamper",
            "--svcaccounts.audit.verification.check-interval=500ms");
    private static Api api;
    private static JdbcTemplate jdbc;
    private static String admin;
    /** A position no event holds: its insert rolled back. */
    private static long hole;

    @BeforeAll
    static void historyInTheLog() {
        api = system.api();
        jdbc = system.database().jdbc();
        admin = Histories.everyKindOfChange(api, "tampered-a");
        hole = rolledBackInsert();
        Histories.everyKindOfChange(api, "tampered-b");
        awaitLogAndCheckpointAtHead();
    }

    @Test
    void aCleanStore_passes_everyEventAndCheckpointChecked_andOnlyTheOperatorMayAsk() {
        JsonNode result = verify(api);
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("passed");
        assertThat(result.path("firstFailure").isNull()).isTrue();
        assertThat(result.path("progress").path("checkedEvents").asLong()).isEqualTo(leaves())
                .isEqualTo(result.path("progress").path("totalEvents").asLong());
        assertThat(result.path("checkpointsChecked").asLong()).isPositive();
        assertThat(result.path("finishedAt").asText()).isNotEmpty();

        api.query("POST", VERIFY).token(admin).send().expectProblem(403, "operator-required");
        api.query("GET", "/v1/admin/audit/verifications/" + result.path("verificationId").asText()).token(admin)
                .send().expectProblem(403, "operator-required");
        api.query("GET", "/v1/admin/audit/verifications/no-such-verification").token(api.operatorToken()).send()
                .expectProblem(404, "verification-not-found");
    }

    @Test
    void whileOneRunsOnAnotherNode_aSecondIsRefused_namingIt_andARetryWithItsKeyGetsTheFirstAnswer() {
        jdbc.update("INSERT INTO query_side.audit_verification (id, status, requested_at, requested_by, node, "
                + "heartbeat_at) VALUES ('running-elsewhere', 'running', now(), 'operator', 'another-node', now())");
        try {
            Response refused = api.query("POST", VERIFY).token(api.operatorToken()).send()
                    .expectProblem(409, "verification-in-progress");
            assertThat(refused.json().path("verificationId").asText()).isEqualTo("running-elsewhere");
            assertThat(refused.detail()).contains("/v1/admin/audit/verifications/running-elsewhere");
        } finally {
            jdbc.update("DELETE FROM query_side.audit_verification WHERE id = 'running-elsewhere'");
        }

        Response first = api.query("POST", VERIFY).token(api.operatorToken()).header("Idempotency-Key", "verify-1")
                .send().expect(202);
        Response retry = api.query("POST", VERIFY).token(api.operatorToken()).header("Idempotency-Key", "verify-1")
                .send().expect(202);
        assertThat(retry.json().path("verificationId")).isEqualTo(first.json().path("verificationId"));
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        Eventually.read(() -> api.query("GET", first.header("Location")).token(api.operatorToken()).send(),
                body -> assertThat(body.path("status").asText()).isEqualTo("passed"));
    }

    /** A verification whose node died is not left running: any node abandons it; one never taken is taken. */
    @Test
    void aRunWhoseNodeDied_isAbandoned_andARequestNoNodeTook_isRunByAnother() {
        jdbc.update("INSERT INTO query_side.audit_verification (id, status, requested_at, requested_by, node, "
                + "heartbeat_at) VALUES ('node-died', 'running', now() - interval '3 minutes', 'operator', "
                + "'a-dead-node', now() - interval '2 minutes')");
        JsonNode abandoned = Eventually.read(() -> api.query("GET", "/v1/admin/audit/verifications/node-died")
                .token(api.operatorToken()).send(), body -> assertThat(body.path("status").asText())
                .isEqualTo("abandoned"));
        assertThat(abandoned.path("message").asText()).contains("stopped reporting progress");
        assertThat(abandoned.path("finishedAt").asText()).isNotEmpty();

        jdbc.update("INSERT INTO query_side.audit_verification (id, status, requested_at, requested_by) "
                + "VALUES ('never-taken', 'running', now(), 'operator')");
        JsonNode taken = Eventually.read(() -> api.query("GET", "/v1/admin/audit/verifications/never-taken")
                .token(api.operatorToken()).send(), body -> assertThat(body.path("status").asText())
                .isEqualTo("passed"));
        assertThat(taken.path("progress").path("checkedEvents").asLong()).isEqualTo(leaves());
    }

    @Test
    void aChangedPayload_isModified_atItsPosition() {
        long position = positionOfType("ServiceAccountCreatedEvent", 1);
        tamperAndRestore(position, "UPDATE command_side.domain_event_entry SET payload = convert_to(jsonb_set("
                + "convert_from(payload, 'UTF8')::jsonb, '{name}', '\"forged\"')::text, 'UTF8') WHERE global_index = ?",
                () -> expectFailure(verify(api), "modified", position));
    }

    @Test
    void aChangedActor_isModified_atItsPosition() {
        long position = jdbc.queryForObject("SELECT min(global_index) FROM command_side.domain_event_entry WHERE "
                + "(convert_from(meta_data, 'UTF8')::jsonb ->> 'actorId') IS NOT NULL AND global_index > ?",
                Long.class, hole);
        tamperAndRestore(position, "UPDATE command_side.domain_event_entry SET meta_data = convert_to(jsonb_set("
                + "convert_from(meta_data, 'UTF8')::jsonb, '{actorId}', '\"mallory\"')::text, 'UTF8') "
                + "WHERE global_index = ?", () -> expectFailure(verify(api), "modified", position));
    }

    @Test
    void aDeletedRow_isDeleted_atItsPosition() {
        long position = positionOfType("TokenRevokedEvent", 0);
        tamperAndRestore(position, "DELETE FROM command_side.domain_event_entry WHERE global_index = ?",
                () -> expectFailure(verify(api), "deleted", position));
    }

    @Test
    void aRowForgedIntoAHole_isInserted_atTheHole() {
        assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.merkle_leaf WHERE position > ?", Long.class,
                hole)).as("the log has passed the hole").isPositive();
        jdbc.update("INSERT INTO command_side.domain_event_entry (global_index, event_identifier, "
                + "aggregate_identifier, sequence_number, type, payload_type, payload_revision, time_stamp, payload, "
                + "meta_data) SELECT ?, 'forged-' || event_identifier, aggregate_identifier, sequence_number + 100000, "
                + "type, payload_type, payload_revision, time_stamp, payload, meta_data "
                + "FROM command_side.domain_event_entry WHERE global_index = ?", hole, hole - 1);
        try {
            JsonNode failure = expectFailure(verify(api), "inserted", hole);
            assertThat(failure.path("leafIndex").isNull()).as("a forged row has no leaf").isTrue();
        } finally {
            jdbc.update("DELETE FROM command_side.domain_event_entry WHERE global_index = ?", hole);
        }
        assertThat(verify(api).path("status").asText()).isEqualTo("passed");
    }

    @Test
    void twoRowsWithTheirContentsSwapped_areReordered_atTheFirst() {
        long first = positionOfType("ServiceAccountUpdatedEvent", 0);
        long second = positionOfType("ServiceAccountDeactivatedEvent", 0);
        assertThat(first).isLessThan(second);
        String swap = "UPDATE command_side.domain_event_entry SET global_index = CASE global_index WHEN ? THEN ? "
                + "ELSE ? END WHERE global_index IN (?, ?)";
        jdbc.update(swap.replace("SET global_index = CASE", "SET global_index = -1 * CASE"), first, second, first,
                first, second);
        jdbc.update("UPDATE command_side.domain_event_entry SET global_index = -global_index WHERE global_index < 0");
        try {
            JsonNode failure = expectFailure(verify(api), "reordered", first);
            assertThat(failure.path("detail").asText()).contains("(position " + second + ")");
        } finally {
            jdbc.update(swap.replace("SET global_index = CASE", "SET global_index = -1 * CASE"), first, second,
                    first, first, second);
            jdbc.update("UPDATE command_side.domain_event_entry SET global_index = -global_index "
                    + "WHERE global_index < 0");
        }
        assertThat(verify(api).path("status").asText()).isEqualTo("passed");
    }

    @Test
    void aCheckpointWhoseRootWasEdited_hasABadSignature() {
        long treeSize = jdbc.queryForObject("SELECT min(tree_size) FROM query_side.merkle_checkpoint", Long.class);
        byte[] root = jdbc.queryForObject("SELECT root_hash FROM query_side.merkle_checkpoint WHERE tree_size = ?",
                byte[].class, treeSize);
        byte[] edited = root.clone();
        edited[0] ^= 1;
        jdbc.update("UPDATE query_side.merkle_checkpoint SET root_hash = ? WHERE tree_size = ?", edited, treeSize);
        try {
            JsonNode result = verify(api);
            assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("failed");
            assertThat(result.path("firstFailure").path("kind").asText()).isEqualTo("bad-signature");
            assertThat(result.path("firstFailure").path("treeSize").asLong()).isEqualTo(treeSize);
        } finally {
            jdbc.update("UPDATE query_side.merkle_checkpoint SET root_hash = ? WHERE tree_size = ?", root, treeSize);
        }
    }

    /** Someone who edits the log's leaf along with the row is caught by the signed root of the next checkpoint. */
    @Test
    void aRowAndItsLeafEditedAlike_areCaughtByTheCheckpointsSignedRoot() {
        long position = positionOfType("ServiceAccountCreatedEvent", 2);
        long leafIndex = jdbc.queryForObject("SELECT leaf_index FROM query_side.merkle_leaf WHERE position = ?",
                Long.class, position);
        byte[] leaf = jdbc.queryForObject("SELECT leaf_hash FROM query_side.merkle_leaf WHERE position = ?",
                byte[].class, position);
        long covering = jdbc.queryForObject("SELECT min(tree_size) FROM query_side.merkle_checkpoint "
                + "WHERE tree_size > ?", Long.class, leafIndex);
        tamperAndRestore(position, "UPDATE command_side.domain_event_entry SET payload = convert_to(jsonb_set("
                + "convert_from(payload, 'UTF8')::jsonb, '{name}', '\"forged\"')::text, 'UTF8') WHERE global_index = ?",
                () -> {
                    jdbc.update("UPDATE query_side.merkle_leaf SET leaf_hash = ? WHERE position = ?",
                            storedLeafHash(position), position);
                    try {
                        JsonNode result = verify(api);
                        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("failed");
                        JsonNode failure = result.path("firstFailure");
                        assertThat(failure.path("kind").asText()).isEqualTo("modified");
                        assertThat(failure.path("treeSize").asLong()).isEqualTo(covering);
                        assertThat(failure.path("position").isNull()).isTrue();
                        assertThat(failure.path("detail").asText()).contains("the log's own tables were edited too");
                    } finally {
                        jdbc.update("UPDATE query_side.merkle_leaf SET leaf_hash = ? WHERE position = ?", leaf,
                                position);
                    }
                });
    }

    /** A node started on the cut store (as after a restart) finds it too, and so does the one that ran before. */
    @Test
    void theNewestRowsDeleted_areTruncated_alsoForAQueryNodeStartedAfterwards() {
        long newest = jdbc.queryForObject("SELECT max(position) FROM query_side.merkle_leaf", Long.class);
        List<Long> cut = jdbc.queryForList("SELECT global_index FROM command_side.domain_event_entry "
                + "ORDER BY global_index DESC LIMIT 5", Long.class);
        long firstCut = cut.get(cut.size() - 1);
        assertThat(cut.get(0)).isEqualTo(newest);
        jdbc.execute("CREATE TABLE command_side.tamper_backup AS SELECT * FROM command_side.domain_event_entry "
                + "WHERE global_index >= " + firstCut);
        jdbc.update("DELETE FROM command_side.domain_event_entry WHERE global_index >= ?", firstCut);
        try (ConfigurableApplicationContext restarted = RunningSystem.startQuerySide(system.database())) {
            Api fresh = new Api(system.commandUrl(), RunningSystem.baseUrl(restarted), api.operatorToken());
            JsonNode failure = expectFailure(verify(fresh), "truncated", firstCut);
            assertThat(failure.path("detail").asText()).contains("the last 5 of the log's " + leaves());
            expectFailure(verify(api), "truncated", firstCut);
        } finally {
            jdbc.update("INSERT INTO command_side.domain_event_entry SELECT * FROM command_side.tamper_backup");
            jdbc.execute("DROP TABLE command_side.tamper_backup");
        }
        assertThat(verify(api).path("status").asText()).isEqualTo("passed");
    }

    private static void tamperAndRestore(long position, String tamper, Runnable check) {
        jdbc.execute("CREATE TABLE command_side.tamper_backup AS SELECT * FROM command_side.domain_event_entry "
                + "WHERE global_index = " + position);
        assertThat(jdbc.update(tamper, position)).as("rows tampered with").isEqualTo(1);
        try {
            check.run();
        } finally {
            jdbc.update("DELETE FROM command_side.domain_event_entry WHERE global_index = ?", position);
            jdbc.update("INSERT INTO command_side.domain_event_entry SELECT * FROM command_side.tamper_backup");
            jdbc.execute("DROP TABLE command_side.tamper_backup");
        }
        assertThat(verify(api).path("status").asText()).as("restored").isEqualTo("passed");
    }

    private static JsonNode expectFailure(JsonNode result, String kind, long position) {
        assertThat(result.path("status").asText()).as(result.toString()).isEqualTo("failed");
        JsonNode failure = result.path("firstFailure");
        assertThat(failure.path("kind").asText()).as(failure.toString()).isEqualTo(kind);
        assertThat(failure.path("position").asLong()).as(failure.toString()).isEqualTo(position);
        if (!"inserted".equals(kind)) {
            assertThat(failure.path("leafIndex").asLong()).as("the leaf of position " + position).isEqualTo(
                    jdbc.queryForObject("SELECT leaf_index FROM query_side.merkle_leaf WHERE position = ?",
                            Long.class, position));
        }
        assertThat(failure.path("treeSize").asLong()).as("a checkpoint covers it").isPositive();
        return failure;
    }

    /** POST verify, then GET its Location until it is over. */
    private static JsonNode verify(Api through) {
        Response accepted = through.query("POST", VERIFY).token(through.operatorToken()).send().expect(202);
        String location = accepted.header("Location");
        assertThat(location).isEqualTo("/v1/admin/audit/verifications/"
                + accepted.json().path("verificationId").asText());
        return Eventually.read(() -> through.query("GET", location).token(through.operatorToken()).send(),
                body -> assertThat(body.path("status").asText()).isNotEqualTo("running"));
    }

    private static long positionOfType(String simpleName, int skip) {
        return jdbc.queryForList("SELECT global_index FROM command_side.domain_event_entry WHERE payload_type LIKE ? "
                + "AND global_index > ? ORDER BY global_index", Long.class, "%." + simpleName, hole).get(skip);
    }

    private static byte[] storedLeafHash(long position) {
        return jdbc.queryForObject("SELECT event_identifier, aggregate_identifier, sequence_number, type, "
                + "payload_type, payload_revision, time_stamp, payload, meta_data FROM command_side.domain_event_entry "
                + "WHERE global_index = ?", (rs, i) -> new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9))
                .leafHash(), position);
    }

    private static long leaves() {
        return jdbc.queryForObject("SELECT count(*) FROM query_side.merkle_leaf", Long.class);
    }

    /** An append that rolled back, as a lost race between two command nodes does: its position stays empty. */
    private static long rolledBackInsert() {
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(
                jdbc.getDataSource()));
        return transaction.execute(status -> {
            status.setRollbackOnly();
            return jdbc.queryForObject("INSERT INTO command_side.domain_event_entry (event_identifier, "
                    + "aggregate_identifier, sequence_number, payload_type, time_stamp, payload) VALUES ('rolled-back',"
                    + " 'nobody', 0, 'T', '2026-12-07T00:00:00Z', convert_to('{}', 'UTF8')) RETURNING global_index",
                    Long.class);
        });
    }

    private static void awaitLogAndCheckpointAtHead() {
        Eventually.untilAsserted(Duration.ofSeconds(30), () -> {
            long events = jdbc.queryForObject("SELECT count(*) FROM command_side.domain_event_entry", Long.class);
            assertThat(leaves()).as("leaves").isEqualTo(events);
            assertThat(jdbc.queryForObject("SELECT coalesce(max(tree_size), 0) FROM query_side.merkle_checkpoint",
                    Long.class)).as("the newest checkpoint").isEqualTo(events);
        });
    }
}
