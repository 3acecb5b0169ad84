package dev.svcaccounts.credentials.projection;

import dev.svcaccounts.credentials.testing.CommandSideDatabase;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deactivating or deleting an account and removing a user revoke the principal's working tokens in the command's
 * own transaction. With many tokens stored that statement must find them through an index, never by reading the
 * whole credential table (issue 12: deactivation went from 14 ms to 105 ms as tokens accumulated). Each case runs
 * the projection's real statement in a transaction and asks PostgreSQL how it read {@code auth_token}.
 */
class RevocationByPrincipalIT {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final int PRINCIPALS = 400;
    private static final int TOKENS_EACH = 50;

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void manyTokens() throws IOException {
        postgres = CommandSideDatabase.start();
        JdbcTemplate jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        // 20,000 tokens of 400 accounts and 400 users, most revoked, as a deployment accumulates them
        for (String type : new String[]{"SERVICE_ACCOUNT", "USER"}) {
            jdbc.update("""
                    INSERT INTO command_side.auth_principal
                    SELECT 'acme', ?, ? || p, 'principal ' || p, NULL, TRUE FROM generate_series(1, ?) p
                    """, type, type.toLowerCase() + "-", PRINCIPALS);
            jdbc.update("""
                    INSERT INTO command_side.auth_token (token_id, secret_hash, workspace_id, principal_type,
                                                         principal_id, revoked_at, issued_at)
                    SELECT ? || t, encode(sha256(convert_to(? || t, 'UTF8')), 'hex'), 'acme', ?,
                           ? || (1 + t % ?), CASE WHEN t % 10 <> 0 THEN now() END, now()
                      FROM generate_series(1, ?) t
                    """, type + "-token-", type + "-token-", type, type.toLowerCase() + "-", PRINCIPALS,
                    PRINCIPALS * TOKENS_EACH / 2);
        }
        jdbc.execute("ANALYZE command_side.auth_token");
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void deactivatingAnAccount_findsItsTokensThroughAnIndex() throws SQLException {
        assertRevokedWithoutReadingTheWholeTable("SERVICE_ACCOUNT", "service_account-7", projection ->
                projection.on(new ServiceAccountDeactivatedEvent("acme", "service_account-7", "leaked"), AT));
    }

    @Test
    void deletingAnAccount_findsItsTokensThroughAnIndex() throws SQLException {
        assertRevokedWithoutReadingTheWholeTable("SERVICE_ACCOUNT", "service_account-8", projection ->
                projection.on(new ServiceAccountDeletedEvent("acme", "service_account-8", "principal 8"), AT));
    }

    @Test
    void removingAUser_findsItsTokensThroughAnIndex() throws SQLException {
        assertRevokedWithoutReadingTheWholeTable("USER", "user-9", projection ->
                projection.on(new MemberRemovedEvent("acme", "user-9", WorkspaceRole.MEMBER), AT));
    }

    private static void assertRevokedWithoutReadingTheWholeTable(String type, String id,
                                                                 Consumer<CredentialProjection> event)
            throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            connection.setAutoCommit(false);
            JdbcTemplate transaction = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            try {
                event.accept(new CredentialProjection(transaction));

                // this transaction's scans of the table so far, counted by PostgreSQL
                assertThat(transaction.queryForObject("SELECT seq_scan FROM pg_stat_xact_user_tables "
                        + "WHERE relid = 'command_side.auth_token'::regclass", Long.class))
                        .as("sequential scans of auth_token").isZero();
                assertThat(transaction.queryForObject("""
                        SELECT count(*) FROM command_side.auth_token
                         WHERE workspace_id = 'acme' AND principal_type = ? AND principal_id = ? AND revoked_at IS NULL
                        """, Long.class, type, id)).as("the principal's working tokens").isZero();
            } finally {
                connection.rollback();
            }
        }
    }
}
