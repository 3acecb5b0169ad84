package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.svcaccounts.events.integrity.Checkpoint;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import dev.svcaccounts.events.integrity.MerkleLog;
import dev.svcaccounts.events.integrity.StoredEvent;
import dev.svcaccounts.system.support.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The offline verifier on crafted files, no server (compiled once, then run as a program, for speed): it hashes
 * events exactly as {@link StoredEvent} does (the vector of StoredEventTest among them), checks RFC 9162 paths and
 * the checkpoint's signature, and on anything malformed or missing answers with the line and the reason (exit 1) or
 * a usage error (exit 2), never a stack trace.
 */
class VerifyAuditExportScriptIT {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    /** StoredEventTest's vector: a null payload revision, UTF-8 JSON payload and metadata. */
    private static final StoredEvent VECTOR = new StoredEvent("e1", "ws-1", 3, "Workspace",
            "dev.svcaccounts.events.TokenRevokedEvent", null, "2026-12-07T10:15:30.123Z",
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "{\"actorId\":\"alice\"}".getBytes(StandardCharsets.UTF_8));

    private final CheckpointKeys keys = CheckpointKeys.generate();
    private final List<StoredEvent> events = new ArrayList<>();
    private Checkpoint checkpoint;

    @TempDir
    Path dir;

    @BeforeEach
    void aLogOfSevenEvents() {
        events.add(VECTOR);
        for (int i = 1; i < 7; i++) {
            events.add(new StoredEvent("e" + (i + 1), i % 2 == 0 ? "ws-1" : null, i, i == 3 ? null : "Workspace",
                    "dev.svcaccounts.events.ServiceAccountCreatedEvent", i == 5 ? "2" : null,
                    "2026-12-07T10:15:3" + i + ".123456789Z",
                    ("{\"n\":\"é" + i + "\"}").getBytes(StandardCharsets.UTF_8),
                    i == 4 ? null : i % 2 == 0 ? ("{\"actorType\":\"USER\",\"actorId\":\"alice\","
                    + "\"actorName\":\"Alice\",\"requestId\":\"r-" + i + "\",\"reason\":\"rotation\","
                    + "\"traceId\":\"t\"}")
                    .getBytes(StandardCharsets.UTF_8) : new byte[] {0, (byte) 0xff, (byte) i}));
        }
        List<byte[]> leaves = events.stream().map(StoredEvent::leafHash).toList();
        checkpoint = keys.sign(events.size(), MerkleLog.root(leaves, events.size()),
                Instant.parse("2026-12-07T11:00:00Z"));
    }

    @Test
    void anExportOfTheLog_verifies_withStoredEventsCanonicalBytes() throws Exception {
        // as an auditor runs it: java scripts/VerifyAuditExport.java ...
        ScriptRun run = ScriptRun.of(export(entries()).toString(), checkpointFile(checkpoint).toString(),
                key(keys).toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("OK: 7 entries").contains("tree size 7").contains(keys.keyId())
                .contains("issued at 2026-12-07T11:00:00Z");
        // only some entries (a workspace's own): their proofs stand alone
        List<ObjectNode> some = entries();
        ScriptRun part = verify(export(List.of(some.get(0), some.get(3), some.get(6))), checkpointFile(checkpoint),
                key(keys));
        assertThat(part.exitCode()).as(part.output()).isZero();
        assertThat(part.output()).contains("OK: 3 entries");
    }

    @Test
    void eachKindOfFailure_isNamed_withTheLineAndTheEvent() throws Exception {
        Path checkpointFile = checkpointFile(checkpoint);
        Path key = key(keys);

        List<ObjectNode> changed = entries();
        event(changed.get(2)).put("metadata", BASE64.encodeToString("{\"actorId\":\"mallory\"}".getBytes()));
        assertFails(verify(export(changed), checkpointFile, key), "line 3 (eventId e3)",
                "leaf hash does not match the event");

        List<ObjectNode> wrongPath = entries();
        ((ObjectNode) wrongPath.get(4).path("proof")).withArray("inclusionPath").set(0,
                Api.JSON.getNodeFactory().textNode(BASE64.encodeToString(new byte[32])));
        assertFails(verify(export(wrongPath), checkpointFile, key), "line 5 (eventId e5)",
                "path does not lead to the checkpoint's root");

        List<ObjectNode> otherEntry = entries();
        otherEntry.get(1).put("eventId", "e9");
        assertFails(verify(export(otherEntry), checkpointFile, key), "line 2 (eventId e9)",
                "fields differ from the event: eventId");
        List<ObjectNode> otherTime = entries();
        otherTime.get(1).put("occurredAt", "2026-12-07T10:15:31.124Z");
        assertFails(verify(export(otherTime), checkpointFile, key), "line 2", "fields differ from the event");

        // the trail's read model rewritten: who acted no longer matches the event's metadata
        List<ObjectNode> otherActor = entries();
        ((ObjectNode) otherActor.get(2).path("actor")).put("id", "mallory");
        assertFails(verify(export(otherActor), checkpointFile, key), "line 3 (eventId e3)",
                "fields differ from the event: actor.id \"mallory\" vs the event's actorId \"alice\"");
        List<ObjectNode> otherReason = entries();
        otherReason.get(6).putNull("reason");
        assertFails(verify(export(otherReason), checkpointFile, key), "line 7", "reason null vs");
        List<ObjectNode> otherType = entries();
        ((ObjectNode) otherType.get(0).path("actor")).put("type", "operator");
        assertFails(verify(export(otherType), checkpointFile, key), "line 1", "actor.type \"operator\" vs");

        List<ObjectNode> otherTree = entries();
        ((ObjectNode) otherTree.get(0).path("proof")).put("treeSize", 8);
        assertFails(verify(export(otherTree), checkpointFile, key), "line 1", "proof is for tree size 8");

        List<ObjectNode> deleted = entries();
        ((ObjectNode) deleted.get(6).path("proof")).putNull("event");
        assertFails(verify(export(deleted), checkpointFile, key), "line 7", "the event is gone from the store");

        List<ObjectNode> repeated = entries();
        repeated.add(3, repeated.get(2).deepCopy());
        assertFails(verify(export(repeated), checkpointFile, key), "line 4", "repeated or out of order");

        Checkpoint reSigned = CheckpointKeys.generate().sign(7, checkpoint.rootHash(), checkpoint.issuedAt());
        assertFails(verify(export(entries()), checkpointFile(reSigned), key), "key id", "differs from the pinned key");
        Checkpoint badSignature = new Checkpoint(7, checkpoint.rootHash(), checkpoint.issuedAt().plusSeconds(1),
                checkpoint.keyId(), checkpoint.signature());
        assertFails(verify(export(entries()), checkpointFile(badSignature), key), "bad checkpoint signature");
    }

    @Test
    void malformedInput_isAMessage_neverAStackTrace() throws Exception {
        Path checkpointFile = checkpointFile(checkpoint);
        Path key = key(keys);
        String first = entries().get(0).toString();
        String good = entries().get(1).toString();
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("{\"eventId\": \"e2\",", "malformed JSON");
        lines.put("[1, 2]", "must be a JSON object");
        lines.put(good + " x", "unexpected text after");
        lines.put(good.replace("\"treeSize\":7", "\"treeSize\":7.5"), "whole number");
        lines.put(good.replace("\"treeSize\":7", "\"treeSize\":\"7\""), "must be a number");
        lines.put(good.replace("\"leafHash\"", "\"leafHash\":\"AA==\",\"leafHash2\""), "32-byte hash");
        lines.put(good.replace("\"eventId\":\"e2\",", "\"eventId\":\"e2\",\"eventId\":\"e2\","), "appears twice");
        lines.put(good.replace("\"payloadType\"", "\"payloadTypo\""), "missing field 'payloadType'");
        lines.put(good.replace("\"payload\":\"", "\"payload\":\"%%"), "not Base64");
        lines.put("[".repeat(100_000), "nested too deep");
        lines.put("{\"eventId\":\"e2\\q\"}", "bad escape");
        lines.put("{\"eventId\":\"e2\"}", "has no proof");
        for (Map.Entry<String, String> line : lines.entrySet()) {
            ScriptRun run = verify(export(first + "\n" + line.getKey() + "\n"), checkpointFile, key);
            assertThat(run.exitCode()).as(line.getValue() + ": " + run.output()).isEqualTo(1);
            assertThat(run.output()).as(line.getValue()).contains("line 2").contains(line.getValue());
            assertNoStackTrace(run);
        }

        Path export = export(first + "\n");
        Map<String, String> checkpoints = Map.of("{\"treeSize\": 7", "malformed JSON",
                "{\"treeSize\": 7, \"rootHash\": \"x\"}", "missing field",
                checkpointJson(checkpoint).replace("11:00:00Z", "11:00:00.5Z"), "whole seconds");
        for (Map.Entry<String, String> broken : checkpoints.entrySet()) {
            ScriptRun run = verify(export, Files.writeString(dir.resolve("broken.json"), broken.getKey()), key);
            assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
            assertThat(run.output()).contains(broken.getValue());
            assertNoStackTrace(run);
        }
        for (ScriptRun run : List.of(ScriptRun.compiled(), ScriptRun.compiled("only-one"),
                ScriptRun.compiled(export.toString(), checkpointFile.toString(), dir.resolve("absent.pem").toString()),
                ScriptRun.compiled(export.toString(), checkpointFile.toString(), checkpointFile.toString()),
                ScriptRun.compiled("--consistency", "a", "b", "c"))) {
            assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
            assertThat(run.output()).containsAnyOf("usage", "no such file", "no PUBLIC KEY");
            assertNoStackTrace(run);
        }
    }

    @Test
    void consistencyMode_checksTheProofBetweenTwoSignedHeads() throws Exception {
        List<byte[]> leaves = events.stream().map(StoredEvent::leafHash).toList();
        Checkpoint older = keys.sign(3, MerkleLog.root(leaves, 3), Instant.parse("2026-12-07T10:59:00Z"));
        List<byte[]> proof = MerkleLog.consistencyProof(leaves, 3, 7);
        Path proofFile = Files.writeString(dir.resolve("consistency.json"), Api.JSON.writeValueAsString(Map.of(
                "fromTreeSize", 3, "toTreeSize", 7, "proof", proof.stream().map(BASE64::encodeToString).toList())));

        ScriptRun pass = ScriptRun.compiled("--consistency", checkpointFile(older).toString(),
                checkpointFile(checkpoint).toString(), proofFile.toString(), key(keys).toString());
        assertThat(pass.exitCode()).as(pass.output()).isZero();
        assertThat(pass.output()).contains("tree size 3").contains("tree size 7");

        // a validly signed head of another history: the proof does not lead to it
        List<byte[]> rewritten = new ArrayList<>(leaves);
        rewritten.set(1, MerkleLog.leafHash(new byte[] {1}));
        Checkpoint forked = keys.sign(3, MerkleLog.root(rewritten, 3), Instant.parse("2026-12-07T10:59:00Z"));
        ScriptRun fork = ScriptRun.compiled("--consistency", checkpointFile(forked).toString(),
                checkpointFile(checkpoint).toString(), proofFile.toString(), key(keys).toString());
        assertThat(fork.exitCode()).as(fork.output()).isEqualTo(1);
        assertThat(fork.output()).contains("does not show the log of the old checkpoint");
        assertNoStackTrace(fork);
    }

    private static void assertFails(ScriptRun run, String... phrases) {
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains(phrases);
        assertNoStackTrace(run);
    }

    private static void assertNoStackTrace(ScriptRun run) {
        assertThat(run.output()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }

    /** The export's entries as the server writes them: an entry with its proof against {@link #checkpoint}. */
    @SuppressWarnings("unchecked")
    private List<ObjectNode> entries() throws Exception {
        List<byte[]> leaves = events.stream().map(StoredEvent::leafHash).toList();
        List<ObjectNode> entries = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            StoredEvent e = events.get(i);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("eventId", e.eventId());
            event.put("aggregateId", e.aggregateId());
            event.put("sequenceNumber", e.sequenceNumber());
            event.put("aggregateType", e.aggregateType());
            event.put("payloadType", e.payloadType());
            event.put("payloadRevision", e.payloadRevision());
            event.put("timestamp", e.timestamp());
            event.put("payload", e.payload() == null ? null : BASE64.encodeToString(e.payload()));
            event.put("metadata", e.metadata() == null ? null : BASE64.encodeToString(e.metadata()));
            Map<String, Object> proof = new LinkedHashMap<>();
            proof.put("treeSize", events.size());
            proof.put("leafIndex", i);
            proof.put("leafHash", BASE64.encodeToString(leaves.get(i)));
            proof.put("inclusionPath", MerkleLog.inclusionProof(leaves, i, events.size()).stream()
                    .map(BASE64::encodeToString).toList());
            proof.put("event", event);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("position", 10 + i);
            entry.put("eventId", e.eventId());
            // the read model keeps microseconds
            entry.put("occurredAt", Instant.parse(e.timestamp()).plusNanos(500).truncatedTo(
                    java.time.temporal.ChronoUnit.MICROS).toString());
            entry.put("type", "service_account.created");
            // the fields the trail takes from the metadata, when it is JSON
            if (e.metadata() != null && e.metadata()[0] == '{') {
                Map<String, String> metadata = Api.JSON.readValue(e.metadata(), Map.class);
                Map<String, Object> actor = new LinkedHashMap<>();
                actor.put("type", metadata.get("actorType") == null ? null : metadata.get("actorType").toLowerCase());
                actor.put("id", metadata.get("actorId"));
                actor.put("name", metadata.get("actorName"));
                entry.put("actor", actor);
                entry.put("tokenId", null);
                entry.put("requestId", metadata.get("requestId"));
                entry.put("reason", metadata.get("reason"));
            }
            entry.put("proof", proof);
            entries.add(Api.JSON.valueToTree(entry));
        }
        return entries;
    }

    private static ObjectNode event(ObjectNode entry) {
        return (ObjectNode) entry.path("proof").path("event");
    }

    private Path export(List<ObjectNode> entries) throws Exception {
        StringBuilder text = new StringBuilder();
        for (ObjectNode entry : entries) {
            text.append(Api.JSON.writeValueAsString(entry)).append('\n');
        }
        return export(text.toString());
    }

    private Path export(String text) throws Exception {
        return Files.writeString(dir.resolve("export.ndjson"), text);
    }

    private Path checkpointFile(Checkpoint c) throws Exception {
        return Files.writeString(dir.resolve("checkpoint-" + c.treeSize() + "-" + System.nanoTime() + ".json"),
                checkpointJson(c));
    }

    private static String checkpointJson(Checkpoint c) throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("treeSize", c.treeSize());
        json.put("rootHash", BASE64.encodeToString(c.rootHash()));
        json.put("issuedAt", c.issuedAt().toString());
        json.put("keyId", c.keyId());
        json.put("signature", BASE64.encodeToString(c.signature()));
        return Api.JSON.writeValueAsString(json);
    }

    private Path key(CheckpointKeys k) throws Exception {
        return Files.writeString(dir.resolve("public-key-" + k.keyId() + ".pem"), k.publicKeyPem());
    }

    private static ScriptRun verify(Path export, Path checkpointFile, Path key) {
        return ScriptRun.compiled(export.toString(), checkpointFile.toString(), key.toString());
    }
}
