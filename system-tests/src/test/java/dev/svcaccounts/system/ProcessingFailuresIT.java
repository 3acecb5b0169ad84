package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A projection that fails on an event retries it until it succeeds: the event is never skipped, and once the
 * cause is gone the read model holds it exactly once. Other projections keep going meanwhile.
 */
class ProcessingFailuresIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("failures");
    private static Api api;
    private static JdbcTemplate sql;

    @BeforeAll
    static void setUp() {
        api = system.api();
        sql = system.database().jdbc();
    }

    @Test
    void failingProjection_retriesTheEventUntilItSucceeds_andNeverSkipsIt() throws InterruptedException {
        String admin = api.createWorkspace("retry", "alice").path("token").path("secret").asText();
        system.awaitProjectionsCaughtUp();

        // every new audit row now violates a constraint, as a full disk or a bad migration would make it fail
        sql.execute("ALTER TABLE query_side.audit_entry ADD CONSTRAINT refuse_new_rows CHECK (position < 0) NOT VALID");
        String accountId = api.createServiceAccount("retry", admin, "while-broken").path("id").asText();

        // the other projection is not held up by the failing one
        Eventually.read(() -> api.getServiceAccount("retry", admin, accountId),
                account -> assertThat(account.path("name").asText()).isEqualTo("while-broken"));
        Instant brokenUntil = Instant.now().plus(Duration.ofSeconds(3));
        while (Instant.now().isBefore(brokenUntil)) {
            assertThat(auditEntriesAbout(accountId)).as("audit rows while the projection fails").isZero();
            Thread.sleep(200);
        }

        sql.execute("ALTER TABLE query_side.audit_entry DROP CONSTRAINT refuse_new_rows");

        Eventually.untilAsserted(() -> assertThat(auditEntriesAbout(accountId)).isEqualTo(1));
        system.awaitProjectionsCaughtUp();
        Long events = sql.queryForObject(
                "SELECT count(*) FROM command_side.domain_event_entry WHERE aggregate_identifier = 'retry'",
                Long.class);
        Long entries = sql.queryForObject(
                "SELECT count(*) FROM query_side.audit_entry WHERE workspace_id = 'retry'", Long.class);
        assertThat(entries).as("one audit entry per event, none lost, none twice").isEqualTo(events);
        JsonNode trail = api.audit("retry", admin, java.util.Map.of("subject", accountId)).expect(200).json();
        assertThat(trail.path("items")).hasSize(1);
        assertThat(trail.path("items").get(0).path("type").asText()).isEqualTo("service_account.created");
    }

    private static long auditEntriesAbout(String subjectId) {
        Long count = sql.queryForObject("SELECT count(*) FROM query_side.audit_entry WHERE subject_id = ?",
                Long.class, subjectId);
        return count == null ? 0 : count;
    }
}
