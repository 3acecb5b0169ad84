package dev.svcaccounts.events.integrity;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StoredEventTest {

    private static final StoredEvent EVENT = new StoredEvent("e1", "ws-1", 3, "Workspace",
            "dev.svcaccounts.events.TokenRevokedEvent", null, "2026-12-07T10:15:30.123Z",
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "{\"actorId\":\"alice\"}".getBytes(StandardCharsets.UTF_8));

    @Test
    void canonicalBytes_areTheDocumentedLayout() {
        // the vector scripts/VerifyAuditExport.java and any other verifier must reproduce
        assertThat(MerkleLog.hex(EVENT.canonicalBytes())).isEqualTo("01"
                + "00000002" + text("e1") + "00000004" + text("ws-1") + "00000001" + text("3")
                + "00000009" + text("Workspace")
                + "00000028" + text("dev.svcaccounts.events.TokenRevokedEvent")
                + "ffffffff" + "00000018" + text("2026-12-07T10:15:30.123Z") + "00000007" + text("{\"a\":1}")
                + "00000013" + text("{\"actorId\":\"alice\"}"));
        assertThat(MerkleLog.hex(EVENT.leafHash()))
                .isEqualTo(MerkleLog.hex(MerkleLog.leafHash(EVENT.canonicalBytes())));
    }

    @Test
    void everyField_changesTheLeaf_andNullDiffersFromEmpty() {
        byte[] p = EVENT.payload();
        byte[] md = EVENT.metadata();
        List<StoredEvent> variants = List.of(EVENT,
                new StoredEvent("e2", "ws-1", 3, "Workspace", EVENT.payloadType(), null, EVENT.timestamp(), p, md),
                new StoredEvent("e1", "ws-2", 3, "Workspace", EVENT.payloadType(), null, EVENT.timestamp(), p, md),
                new StoredEvent("e1", "ws-1", 4, "Workspace", EVENT.payloadType(), null, EVENT.timestamp(), p, md),
                new StoredEvent("e1", "ws-1", 3, null, EVENT.payloadType(), null, EVENT.timestamp(), p, md),
                new StoredEvent("e1", "ws-1", 3, "Workspace", "x", null, EVENT.timestamp(), p, md),
                new StoredEvent("e1", "ws-1", 3, "Workspace", EVENT.payloadType(), "", EVENT.timestamp(), p, md),
                new StoredEvent("e1", "ws-1", 3, "Workspace", EVENT.payloadType(), null, "2026-12-07T10:15:31Z", p,
                        md),
                new StoredEvent("e1", "ws-1", 3, "Workspace", EVENT.payloadType(), null, EVENT.timestamp(),
                        "{\"a\":2}".getBytes(StandardCharsets.UTF_8), md),
                new StoredEvent("e1", "ws-1", 3, "Workspace", EVENT.payloadType(), null, EVENT.timestamp(), p,
                        "{\"actorId\":\"mallory\"}".getBytes(StandardCharsets.UTF_8)),
                new StoredEvent("e1", "ws-1", 3, "Workspace", EVENT.payloadType(), null, EVENT.timestamp(), p, null),
                // moving bytes from one field to the next keeps the concatenation but not the lengths
                new StoredEvent("e", "1ws-1", 3, "Workspace", EVENT.payloadType(), null, EVENT.timestamp(), p, md));
        Set<String> leaves = new HashSet<>();
        variants.forEach(v -> leaves.add(MerkleLog.hex(v.leafHash())));
        assertThat(leaves).hasSize(variants.size());
    }

    private static String text(String text) {
        return MerkleLog.hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
