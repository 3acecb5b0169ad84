package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An auditor's round trip over HTTP: a workspace admin exports the trail with proofs, and the offline verifier
 * ({@code java scripts/VerifyAuditExport.java}, run as an auditor would) accepts it against the signed checkpoint and
 * the pinned public key; after the actor of a stored event is changed with SQL, a new export fails naming that entry
 * while the export taken before still verifies; a consistency proof between two checkpoints verifies, a forged
 * checkpoint does not.
 */
class AuditProofsIT {

    private static final String WS = "proven";
    private static final String OTHER = "elsewhere-ws";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("proofs");
    private static Api api;
    private static String admin;
    private static String otherAdmin;

    @TempDir
    Path dir;

    @BeforeAll
    static void history() {
        api = system.api();
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
        otherAdmin = api.createWorkspace(OTHER, "olga").path("token").path("secret").asText();
        for (int i = 0; i < 4; i++) {
            String id = api.createServiceAccount(WS, admin, "proven-" + i).path("id").asText();
            api.issueToken(WS, admin, id);
            api.createServiceAccount(OTHER, otherAdmin, "other-" + i);
        }
    }

    @Test
    void anExportWithProofs_verifiesOffline_untilAStoredEventIsChanged() throws Exception {
        JsonNode page = provenPageCoveringEverything();
        JsonNode checkpoint = page.path("checkpoint");
        long treeSize = checkpoint.path("treeSize").asLong();
        Path checkpointFile = write("checkpoint.json", checkpoint.toString());
        Path key = write("public-key.pem", RunningSystem.SIGNING_KEYS.publicKeyPem());

        Response export = api.query("GET", Api.audit(WS) + "/export?proofs=true&checkpoint=" + treeSize).token(admin)
                .send().expect(200);
        Path before = write("before.ndjson", export.body());
        List<JsonNode> entries = lines(export.body());
        assertThat(entries).hasSize(page.path("items").size()).hasSizeGreaterThan(10);
        assertThat(entries).allSatisfy(e -> assertThat(e.path("proof").path("treeSize").asLong()).isEqualTo(treeSize));
        assertThat(Long.parseLong(export.header("X-Audit-Complete-Up-To")))
                .isEqualTo(entries.get(entries.size() - 1).path("position").asLong());
        assertThat(export.body()).as("nothing of another workspace but hashes").doesNotContain(OTHER);

        ScriptRun pass = ScriptRun.of(before.toString(), checkpointFile.toString(), key.toString());
        assertThat(pass.exitCode()).as(pass.output()).isZero();
        assertThat(pass.output()).contains("OK: " + entries.size() + " entries")
                .contains("tree size " + treeSize).contains(RunningSystem.SIGNING_KEYS.keyId());

        // an operator with write access to the database rewrites who created an account
        JsonNode created = entries.stream().filter(e -> e.path("type").asText().equals("service_account.created"))
                .findFirst().orElseThrow();
        String eventId = created.path("eventId").asText();
        int changed = system.database().jdbc().update("UPDATE command_side.domain_event_entry SET meta_data = "
                + "convert_to(replace(convert_from(meta_data, 'UTF8'), 'alice', 'mallory'), 'UTF8') "
                + "WHERE event_identifier = ?", eventId);
        assertThat(changed).isOne();

        Response after = api.query("GET", Api.audit(WS) + "/export?proofs=true&checkpoint=" + treeSize).token(admin)
                .send().expect(200);
        assertThat(new String(metadataOf(after.body(), eventId), java.nio.charset.StandardCharsets.UTF_8))
                .as("the proof carries the row as it is now").contains("mallory");
        ScriptRun fail = ScriptRun.of(write("after.ndjson", after.body()).toString(), checkpointFile.toString(),
                key.toString());
        assertThat(fail.exitCode()).as(fail.output()).isEqualTo(1);
        assertThat(fail.output()).contains("eventId " + eventId).contains("leaf hash does not match the event");
        int line = entries.indexOf(created) + 1;
        assertThat(fail.output()).contains("line " + line + " ");

        ScriptRun stillPasses = ScriptRun.of(before.toString(), checkpointFile.toString(), key.toString());
        assertThat(stillPasses.exitCode()).as("the export taken before: " + stillPasses.output()).isZero();
    }

    @Test
    void aTrailRewrittenInTheReadModel_failsOffline_namingTheField() throws Exception {
        JsonNode page = provenPageCoveringEverything();
        long treeSize = page.path("checkpoint").path("treeSize").asLong();
        JsonNode issued = null;
        for (JsonNode item : page.path("items")) {
            if (item.path("type").asText().equals("token.issued")) {
                issued = item;
            }
        }
        assertThat(issued).isNotNull();
        String name = issued.path("actor").path("name").asText();
        long position = issued.path("position").asLong();
        // the entry, not the event, is rewritten: its leaf still matches, its actor no longer the event's
        system.database().jdbc().update("UPDATE query_side.audit_entry SET actor_name = 'Mallory' WHERE position = ?",
                position);
        try {
            Response export = api.query("GET", Api.audit(WS) + "/export?proofs=true&checkpoint=" + treeSize)
                    .token(admin).send().expect(200);
            ScriptRun run = ScriptRun.of(write("rewritten.ndjson", export.body()).toString(),
                    write("checkpoint.json", page.path("checkpoint").toString()).toString(),
                    write("public-key.pem", RunningSystem.SIGNING_KEYS.publicKeyPem()).toString());
            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("eventId " + issued.path("eventId").asText())
                    .contains("fields differ from the event: actor.name \"Mallory\" vs the event's actorName \""
                            + name + "\"");
        } finally {
            system.database().jdbc().update("UPDATE query_side.audit_entry SET actor_name = ? WHERE position = ?",
                    name, position);
        }
    }

    @Test
    void aConsistencyProof_betweenTwoCheckpoints_verifiesOffline_andAForgedCheckpointDoesNot() throws Exception {
        JsonNode older = provenPageCoveringEverything().path("checkpoint");
        api.createServiceAccount(WS, admin, "later-" + System.nanoTime());
        JsonNode newer = Eventually.read(() -> api.audit(WS, admin, Map.of("proofs", "true", "limit", "1")),
                page -> assertThat(page.path("checkpoint").path("treeSize").asLong())
                        .isGreaterThan(older.path("treeSize").asLong())).path("checkpoint");
        long from = older.path("treeSize").asLong();
        long to = newer.path("treeSize").asLong();
        Response proof = api.query("GET", "/v1/audit/consistency?from=" + from + "&to=" + to).token(admin).send()
                .expect(200);
        assertThat(proof.json().path("fromTreeSize").asLong()).isEqualTo(from);
        assertThat(proof.json().path("toTreeSize").asLong()).isEqualTo(to);
        Path oldFile = write("old.json", older.toString());
        Path newFile = write("new.json", newer.toString());
        Path proofFile = write("consistency.json", proof.body());
        Path key = write("public-key.pem", RunningSystem.SIGNING_KEYS.publicKeyPem());

        ScriptRun pass = ScriptRun.of("--consistency", oldFile.toString(), newFile.toString(), proofFile.toString(),
                key.toString());
        assertThat(pass.exitCode()).as(pass.output()).isZero();
        assertThat(pass.output()).contains("tree size " + from).contains("tree size " + to);

        // a checkpoint whose root was replaced: its signature no longer holds
        byte[] forgedRoot = Base64.getDecoder().decode(newer.path("rootHash").asText());
        forgedRoot[0] ^= 1;
        ObjectNode altered = newer.deepCopy();
        altered.put("rootHash", Base64.getEncoder().encodeToString(forgedRoot));
        ScriptRun badSignature = ScriptRun.of("--consistency", oldFile.toString(),
                write("altered.json", altered.toString()).toString(), proofFile.toString(), key.toString());
        assertThat(badSignature.exitCode()).as(badSignature.output()).isEqualTo(1);
        assertThat(badSignature.output()).contains("bad checkpoint signature");

        // a head signed with another key: refused against the pinned key, and with the forger's own key the proof
        // does not lead from the old head to it
        CheckpointKeys forger = CheckpointKeys.generate();
        Checkpoint forged = forger.sign(to, forgedRoot, Instant.parse(newer.path("issuedAt").asText()));
        Path forgedFile = write("forged.json", Api.JSON.writeValueAsString(Map.of("treeSize", forged.treeSize(),
                "rootHash", Base64.getEncoder().encodeToString(forged.rootHash()), "issuedAt",
                forged.issuedAt().toString(), "keyId", forged.keyId(), "signature",
                Base64.getEncoder().encodeToString(forged.signature()))));
        ScriptRun otherKey = ScriptRun.of("--consistency", oldFile.toString(), forgedFile.toString(),
                proofFile.toString(), key.toString());
        assertThat(otherKey.exitCode()).isEqualTo(1);
        assertThat(otherKey.output()).contains("differs from the pinned key");
    }

    @Test
    void refusals_sayWhatIsWrong() {
        api.query("GET", Api.audit(WS) + "/export?format=csv&proofs=true").token(admin).send()
                .expectProblem(400, "invalid-parameter");
        api.query("GET", Api.audit(WS) + "?proofs=yes").token(admin).send().expectProblem(400, "invalid-parameter");
        api.query("GET", Api.audit(WS) + "?checkpoint=3").token(admin).send().expectProblem(400, "invalid-parameter");
        api.query("GET", Api.audit(WS) + "?proofs=true&checkpoint=999999999").token(admin).send()
                .expectProblem(404, "checkpoint-not-found");
        api.query("GET", Api.audit(WS) + "/export?proofs=true&checkpoint=999999999").token(admin).send()
                .expectProblem(404, "checkpoint-not-found");
        // another workspace's admin learns nothing, not even that the workspace exists
        api.query("GET", Api.audit(WS) + "?proofs=true").token(otherAdmin).send()
                .expectProblem(404, "workspace-not-found");
        api.query("GET", "/v1/audit/consistency?from=2&to=1").token(admin).send()
                .expectProblem(400, "invalid-parameter");
        api.query("GET", "/v1/audit/consistency?from=1").token(admin).send().expectProblem(400, "invalid-parameter");
        api.query("GET", "/v1/audit/consistency?from=1&to=999999999").token(admin).send()
                .expectProblem(404, "checkpoint-not-found");
        assertThat(api.query("GET", "/v1/audit/consistency?from=1&to=2").send().status()).isEqualTo(401);
    }

    /** A page of the workspace's whole trail with proofs, once a checkpoint covers all of it. */
    private static JsonNode provenPageCoveringEverything() {
        system.awaitProjectionsCaughtUp();
        int all = api.audit(WS, admin, Map.of("limit", "500")).expect(200).json().path("items").size();
        return Eventually.read(() -> api.audit(WS, admin, Map.of("proofs", "true", "limit", "500")),
                page -> assertThat(page.path("items").size()).isEqualTo(all));
    }

    private static List<JsonNode> lines(String ndjson) throws Exception {
        List<JsonNode> entries = new java.util.ArrayList<>();
        for (String line : ndjson.split("\n")) {
            entries.add(Api.JSON.readTree(line));
        }
        return entries;
    }

    private static byte[] metadataOf(String ndjson, String eventId) throws Exception {
        for (JsonNode entry : lines(ndjson)) {
            if (entry.path("eventId").asText().equals(eventId)) {
                return Base64.getDecoder().decode(entry.path("proof").path("event").path("metadata").asText());
            }
        }
        throw new AssertionError("no entry " + eventId);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
