package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.query.ReadModelDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trail's listings are planned with their values on every call. Server-prepared (pgjdbc does that from a
 * statement's fifth use on a connection), PostgreSQL may switch to a generic plan, which for a timeline (account OR
 * actor) walks the whole trail in position order: seconds on a large trail for an account with few entries.
 */
class AuditReadModelIT {

    private static final String PREPARED = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE ?";

    @Test
    void aListingUsedOftenOnOneConnection_isNeverServerPrepared() throws Exception {
        try (Connection connection = ReadModelDatabase.jdbc().getDataSource().getConnection()) {
            JdbcTemplate one = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            AuditReadModel reads = new AuditReadModel(one, new ObjectMapper(), null, null, null);

            for (int i = 0; i < 10; i++) {
                reads.find(AuditQuery.timeline("acme", "service_account", "sa-" + i, null), Long.MAX_VALUE, 50);
                reads.find(AuditQuery.timeline("acme", "user", "alice", (long) i), Long.MAX_VALUE, 50);
            }
            assertThat(one.queryForObject(PREPARED, Long.class, "%query_side.audit_entry%")).isZero();

            // what the listing would get otherwise: the same connection server-prepares a statement used as often
            for (int i = 0; i < 10; i++) {
                one.queryForList("SELECT position FROM query_side.audit_entry WHERE workspace_id = ? /* control */",
                        "acme");
            }
            assertThat(one.queryForObject(PREPARED, Long.class, "%/* control */%")).isOne();
        }
    }
}
