package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.infra.database.LongStatements;
import dev.svcaccounts.query.projection.BulkRebuild;
import org.springframework.jdbc.core.JdbcTemplate;

/** The audit trail's bulk rebuild for tests of other packages (its classes are the package's own). */
public final class AuditRebuildFixture {

    private AuditRebuildFixture() {
    }

    public static BulkRebuild auditRebuild(JdbcTemplate jdbc) {
        return new AuditBulkRebuild(new AuditProjection(jdbc, new ObjectMapper(),
                new LongStatements(jdbc.getDataSource())));
    }
}
