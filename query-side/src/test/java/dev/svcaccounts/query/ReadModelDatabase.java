package dev.svcaccounts.query;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A real PostgreSQL with the query side's migrations applied, one per test JVM, for testing projections and
 * read models by calling them directly: their SQL is the part worth testing against the real database.
 */
public final class ReadModelDatabase {

    private static JdbcTemplate jdbc;

    private ReadModelDatabase() {
    }

    public static synchronized JdbcTemplate jdbc() {
        if (jdbc == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is going away anyway
                    }
                }));
                Flyway.configure().dataSource(postgres.getPostgresDatabase())
                        .schemas("query_side").defaultSchema("query_side")
                        .locations("classpath:db/migration/query_side").load().migrate();
                jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jdbc;
    }

    /**
     * An empty stand-in for the command side's event store, its columns as command_side V1 has them but only the
     * position and time required (the audit's tests store those alone): the query side's migrations do not create it.
     * Positions drawn from its sequence start again at 1; the Merkle log, which belongs to the store, is emptied too.
     */
    public static void emptyEventStore() {
        jdbc().execute("CREATE SCHEMA IF NOT EXISTS command_side");
        jdbc().execute("""
                CREATE TABLE IF NOT EXISTS command_side.domain_event_entry (global_index BIGSERIAL PRIMARY KEY,
                    aggregate_identifier VARCHAR(255), sequence_number BIGINT, type VARCHAR(255),
                    event_identifier VARCHAR(255) UNIQUE, meta_data BYTEA, payload BYTEA, payload_revision VARCHAR(255),
                    payload_type VARCHAR(255), time_stamp VARCHAR(255) NOT NULL)""");
        jdbc().execute("TRUNCATE command_side.domain_event_entry RESTART IDENTITY");
        jdbc().execute("TRUNCATE query_side.merkle_leaf, query_side.merkle_subtree, query_side.merkle_checkpoint");
    }

    /**
     * An empty stand-in for the command side's {@code token_usage} (V5's columns), which the token views join for
     * last use: the query side's migrations do not create it.
     */
    public static void emptyTokenUsage() {
        jdbc().execute("CREATE SCHEMA IF NOT EXISTS command_side");
        jdbc().execute("""
                CREATE TABLE IF NOT EXISTS command_side.token_usage (token_id VARCHAR(64) PRIMARY KEY,
                    workspace_id VARCHAR(64) NOT NULL, last_used_at TIMESTAMPTZ NOT NULL, last_used_ip VARCHAR(64))""");
        jdbc().update("DELETE FROM command_side.token_usage");
    }

    /** Empties every read-model table. */
    public static void clear() {
        for (String table : List.of("member_token", "member", "project_assignment", "project",
                "service_account_token", "service_account", "federation_rule", "audit_entry", "platform_audit_entry")) {
            jdbc().update("DELETE FROM query_side." + table);
        }
    }

    /** Every row of a table as JSON text, sorted: equal dumps mean equal contents. */
    public static List<String> dump(String table) {
        return jdbc().queryForList("SELECT row_to_json(r)::text FROM query_side." + table + " r ORDER BY 1",
                String.class);
    }
}
