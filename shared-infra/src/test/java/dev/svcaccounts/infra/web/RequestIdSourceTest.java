package dev.svcaccounts.infra.web;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdSourceTest {

    @Test
    void ids_areVersion4Uuids_neverRepeated() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            String id = RequestIdSource.next();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(seen.add(id)).as(id).isTrue();
        }
    }

    @Test
    void consecutiveIds_lookUnrelated() {
        // a counter must not show through: consecutive ids differ in about half of their 122 free bits
        int changedBits = 0;
        int pairs = 1_000;
        UUID previous = UUID.fromString(RequestIdSource.next());
        for (int i = 0; i < pairs; i++) {
            UUID next = UUID.fromString(RequestIdSource.next());
            changedBits += Long.bitCount(previous.getMostSignificantBits() ^ next.getMostSignificantBits())
                    + Long.bitCount(previous.getLeastSignificantBits() ^ next.getLeastSignificantBits());
            previous = next;
        }
        assertThat(changedBits / (double) pairs).isBetween(55.0, 67.0);
    }
}
