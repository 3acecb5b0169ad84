package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.events.integrity.StoredEvent;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signed checkpoints of the audit log over HTTP: any authenticated principal reads them (the latest, one by tree
 * size, all of them page by page), nobody unauthenticated does; the public key is open to all, as PEM. A checkpoint
 * verifies with that key, and its root is the Merkle tree head of the events as the store holds them. A query side
 * started without a key says so on every one of these endpoints.
 */
class AuditCheckpointsIT {

    private static final String LATEST = "/v1/audit/checkpoints/latest";
    private static final String LIST = "/v1/audit/checkpoints";
    private static final String PUBLIC_KEY = "/v1/audit/public-key";
    private static final String EVENTS = """
            SELECT event_identifier, aggregate_identifier, sequence_number, type, payload_type, payload_revision,
                   time_stamp, payload, meta_data
              FROM command_side.domain_event_entry ORDER BY global_index LIMIT ?
            """;

    /** MerkleLogAppender's advisory lock ("merkle" in ASCII): whoever holds it is the one node appending. */
    private static final long APPENDER_LOCK = 0x6d65726b6c65L;

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("checkpoints");
    @RegisterExtension
    static final RunningSystem unsigned = RunningSystem.perTestClass("checkpoints-unsigned",
            "--svcaccounts.audit.signing-key-file=");
    private static Api api;
    private static String admin;
    private static String robotToken;
    private static final AtomicInteger writes = new AtomicInteger();

    @BeforeAll
    static void traffic() {
        api = system.api();
        admin = api.createWorkspace("checkpoints", "alice").path("token").path("secret").asText();
        JsonNode robot = api.createServiceAccount("checkpoints", admin, "robot");
        robotToken = robot.path("token").path("secret").asText();
    }

    /** Some events: a new service account. */
    private static void write() {
        api.createServiceAccount("checkpoints", admin, "writer-" + writes.incrementAndGet());
    }

    private static Response get(String path, String token) {
        Api.Request request = api.query("GET", path);
        return (token == null ? request : request.token(token)).send();
    }

    private static long storedEvents() {
        Long count = system.database().jdbc().queryForObject(
                "SELECT count(*) FROM command_side.domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }

    /** The latest checkpoint once it covers every stored event (checkpoints come at least every second here). */
    private static JsonNode latestCoveringTheStore() {
        long stored = storedEvents();
        return Eventually.read(() -> get(LATEST, robotToken),
                json -> assertThat(json.path("treeSize").asLong()).isEqualTo(stored));
    }

    @Test
    void theLatestCheckpoint_verifiesWithThePublishedKey_andItsRootIsTheHeadOfTheStoredEvents() throws Exception {
        write();
        JsonNode latest = latestCoveringTheStore();

        Response key = get(PUBLIC_KEY, null).expect(200);
        assertThat(key.contentType()).startsWith("application/x-pem-file");
        PublicKey publicKey = CheckpointKeys.publicKeyFromPem(key.body());
        assertThat(key.body()).isEqualTo(RunningSystem.SIGNING_KEYS.publicKeyPem());

        Checkpoint checkpoint = checkpoint(latest);
        assertThat(latest.path("keyId").asText()).isEqualTo(CheckpointKeys.keyId(publicKey));
        assertThat(latest.path("issuedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(CheckpointKeys.verify(checkpoint, publicKey)).isTrue();

        List<byte[]> leaves = new ArrayList<>();
        system.database().jdbc().query(EVENTS, rs -> {
            leaves.add(new StoredEvent(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getBytes(8), rs.getBytes(9)).leafHash());
        }, checkpoint.treeSize());
        assertThat(leaves).hasSize((int) checkpoint.treeSize());
        assertThat(checkpoint.rootHash()).isEqualTo(MerkleLog.root(leaves, leaves.size()));

        // the same checkpoint by its tree size
        assertThat(get(LIST + "/" + checkpoint.treeSize(), admin).expect(200).json()).isEqualTo(latest);
    }

    @Test
    void everyPrincipal_readsCheckpoints_butNobodyUnauthenticated() {
        latestCoveringTheStore();
        for (String token : List.of(admin, robotToken, api.operatorToken())) {
            get(LATEST, token).expect(200);
            get(LIST, token).expect(200);
        }
        for (String path : List.of(LATEST, LIST, LIST + "/1")) {
            Response anonymous = get(path, null).expectProblem(401, "unauthenticated");
            assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
            get(path, "svcacct_not-a-token").expectProblem(401, "unauthenticated");
        }
    }

    @Test
    void thePublicKey_needsNoToken_ignoresOne_andAnswersAClientThatAcceptsPemOnly() {
        String pem = RunningSystem.SIGNING_KEYS.publicKeyPem();
        assertThat(get(PUBLIC_KEY, "svcacct_not-a-token").expect(200).body()).isEqualTo(pem);
        Response pemOnly = api.query("GET", PUBLIC_KEY).header("Accept", "application/x-pem-file").send().expect(200);
        assertThat(pemOnly.body()).isEqualTo(pem).startsWith("-----BEGIN PUBLIC KEY-----").doesNotContain("PRIVATE");
    }

    @Test
    void checkpoints_arePagedInTreeSizeOrder_fromAfter() {
        for (int i = 0; i < 3; i++) {
            write(); // each round's events get a checkpoint of their own
            latestCoveringTheStore();
        }
        List<Long> all = sizes(get(LIST + "?limit=500", admin).expect(200).json());
        assertThat(all).hasSizeGreaterThanOrEqualTo(3).isSorted().doesNotHaveDuplicates();

        List<Long> paged = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = get(LIST + "?limit=1" + (next == null ? "" : "&after=" + next), robotToken)
                    .expect(200).json();
            assertThat(page.path("items").size()).isLessThanOrEqualTo(1);
            paged.addAll(sizes(page));
            next = page.path("next").isNull() ? null : page.path("next").asText();
        } while (next != null);
        assertThat(paged.subList(0, all.size())).containsExactlyElementsOf(all);

        long second = all.get(1);
        assertThat(sizes(get(LIST + "?after=" + second, admin).expect(200).json()))
                .containsExactlyElementsOf(all.subList(2, all.size()));
        JsonNode last = get(LIST + "?after=" + all.get(all.size() - 1), admin).expect(200).json();
        assertThat(last.path("items").isEmpty()).isTrue();
        assertThat(last.path("next").isNull()).isTrue();
    }

    @Test
    void badParameters_areRefusedNamingThem_andAnUnknownSize_isNotFound() {
        for (String query : List.of("limit=0", "limit=501", "limit=x", "after=-1", "after=1e3", "after=")) {
            Response refused = get(LIST + "?" + query, admin).expectProblem(400, "invalid-parameter");
            assertThat(refused.detail()).contains("'" + query.substring(0, query.indexOf('=')) + "'");
        }
        latestCoveringTheStore();
        for (String size : List.of("999999999", "0", "abc", "-1")) {
            get(LIST + "/" + size, admin).expectProblem(404, "checkpoint-not-found");
        }
    }

    @Test
    void withoutASigningKey_everyCheckpointEndpoint_saysSo() {
        Api plain = unsigned.api();
        String token = plain.createWorkspace("no-key", "bob").path("token").path("secret").asText();
        for (String path : List.of(LATEST, LIST, LIST + "/1")) {
            plain.query("GET", path).token(token).send().expectProblem(404, "audit-signing-not-configured");
            plain.query("GET", path).send().expectProblem(401, "unauthenticated");
        }
        plain.query("GET", PUBLIC_KEY).send().expectProblem(404, "audit-signing-not-configured");
        assertThat(unsigned.database().jdbc().queryForObject("SELECT count(*) FROM query_side.merkle_checkpoint",
                Long.class)).isZero();
        assertThat(plain.query("GET", "/actuator/prometheus").header("Accept", "text/plain").send().expect(200).body())
                .as("what SvcaccountsAuditSigningNotConfigured alerts on")
                .containsPattern("svcaccounts_audit_signing_configured\\{[^}]*\\} 0\\.0\n");
    }

    @Test
    void theGauges_showTheLogCaughtUp_thenTrailing_whileItCannotAppend() throws Exception {
        long stored = latestCoveringTheStore().path("treeSize").asLong();
        Eventually.untilAsserted(() -> assertThat(scrape())
                .containsPattern("svcaccounts_merkle_log_leaves\\{[^}]*\\} " + stored + "\\.0\n")
                .containsPattern("svcaccounts_merkle_log_lag_events\\{[^}]*\\} 0\\.0\n")
                .containsPattern("svcaccounts_merkle_log_lag_seconds\\{[^}]*\\} 0\\.0\n")
                .containsPattern("svcaccounts_audit_checkpoint_tree_size\\{[^}]*\\} " + stored + "\\.0\n")
                .containsPattern("svcaccounts_audit_checkpoint_age_seconds\\{[^}]*\\} [0-9]+\\.[0-9]+\n")
                .containsPattern("svcaccounts_audit_signing_configured\\{[^}]*\\} 1\\.0\n"));

        // holding the appender's advisory lock stops the log; commands go on
        try (Connection connection = system.database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + APPENDER_LOCK + ")");
            write();
            long behind = storedEvents() - stored;
            assertThat(behind).isPositive();
            Eventually.untilAsserted(() -> assertThat(scrape())
                    .containsPattern("svcaccounts_merkle_log_leaves\\{[^}]*\\} " + stored + "\\.0\n")
                    .containsPattern("svcaccounts_merkle_log_lag_events\\{[^}]*\\} " + behind + "\\.0\n")
                    .containsPattern("svcaccounts_merkle_log_lag_seconds\\{[^}]*\\} [1-9][0-9]*\\.[0-9]+\n"));
            statement.execute("SELECT pg_advisory_unlock(" + APPENDER_LOCK + ")");
        }
        long now = latestCoveringTheStore().path("treeSize").asLong();
        Eventually.untilAsserted(() -> assertThat(scrape())
                .containsPattern("svcaccounts_merkle_log_leaves\\{[^}]*\\} " + now + "\\.0\n")
                .containsPattern("svcaccounts_merkle_log_lag_events\\{[^}]*\\} 0\\.0\n")
                .containsPattern("svcaccounts_merkle_log_lag_seconds\\{[^}]*\\} 0\\.0\n"));
    }

    private static String scrape() {
        return api.query("GET", "/actuator/prometheus").header("Accept", "text/plain").send().expect(200).body();
    }

    private static Checkpoint checkpoint(JsonNode json) {
        Base64.Decoder base64 = Base64.getDecoder();
        return new Checkpoint(json.path("treeSize").asLong(), base64.decode(json.path("rootHash").asText()),
                Instant.parse(json.path("issuedAt").asText()), json.path("keyId").asText(),
                base64.decode(json.path("signature").asText()));
    }

    private static List<Long> sizes(JsonNode page) {
        List<Long> sizes = new ArrayList<>();
        page.path("items").forEach(item -> sizes.add(item.path("treeSize").asLong()));
        return sizes;
    }
}
