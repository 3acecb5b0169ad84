package dev.svcaccounts.system.support;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The query side's read-model tables, by the processing group that writes them, and checksums of their content. */
public final class ReadModels {

    /** Every read-model table of schema query_side, by processing group. */
    public static final Map<String, List<String>> TABLES = Map.of(
            "service-accounts", List.of("service_account", "service_account_token", "token_policy",
                    "federation_rule"),
            "audit", List.of("audit_entry", "platform_audit_entry"),
            "members", List.of("member", "member_token"),
            "projects", List.of("project", "project_assignment"));

    /**
     * Tables of schema query_side that are no read model: processor positions, nodes, replays, Flyway's, the
     * Merkle log over the event store ({@link #MERKLE_LOG}), which no replay touches, and its verifications; the
     * indexes a bulk rebuild has dropped until its end.
     */
    private static final List<String> NOT_READ_MODELS =
            List.of("token_entry", "processor_node", "projection_replay", "flyway_schema_history", "merkle_leaf",
                    "merkle_subtree", "merkle_checkpoint", "audit_verification", "bulk_rebuild_index");

    /**
     * The audit trail's indexes, each with its definition, then its constraints: a bulk rebuild drops most indexes
     * and the unique {@code event_id} and must create them again.
     */
    public static List<String> auditIndexes(JdbcTemplate jdbc) {
        return jdbc.queryForList("""
                SELECT indexdef FROM (
                    SELECT 1 AS kind, indexname AS name, indexdef FROM pg_indexes
                     WHERE schemaname = 'query_side' AND tablename IN ('audit_entry', 'platform_audit_entry')
                    UNION ALL
                    SELECT 2, conname, conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
                      FROM pg_constraint
                     WHERE conrelid IN ('query_side.audit_entry'::regclass, 'query_side.platform_audit_entry'::regclass)
                ) d ORDER BY kind, name""", String.class);
    }
    public static final List<String> MERKLE_LOG = List.of("merkle_leaf", "merkle_subtree", "merkle_checkpoint");

    private ReadModels() {
    }

    /**
     * For every read-model table, its row count and the md5 of all its rows (every column, as PostgreSQL prints
     * the row) in a fixed order, computed in SQL: equal checksums, equal content. Fails if the schema holds a
     * table that {@link #TABLES} does not know, so that a new read model is not left out of a comparison.
     */
    public static Map<String, String> checksums(JdbcTemplate jdbc) {
        List<String> tables = jdbc.queryForList("""
                SELECT table_name FROM information_schema.tables
                 WHERE table_schema = 'query_side' AND table_type = 'BASE TABLE'
                """, String.class).stream().filter(t -> !NOT_READ_MODELS.contains(t)).sorted().toList();
        assertThat(tables).as("read-model tables of query_side")
                .containsExactlyInAnyOrderElementsOf(TABLES.values().stream().flatMap(List::stream).toList());
        Map<String, String> checksums = new TreeMap<>();
        for (String table : tables) {
            checksums.put(table, checksum(jdbc, table));
        }
        return checksums;
    }

    /** The checksums of the tables {@code group} writes. */
    public static Map<String, String> checksums(JdbcTemplate jdbc, String group) {
        return TABLES.get(group).stream()
                .collect(Collectors.toMap(t -> t, t -> checksum(jdbc, t), (a, b) -> a, TreeMap::new));
    }

    /** The checksums of the Merkle log's tables. */
    public static Map<String, String> merkleLogChecksums(JdbcTemplate jdbc) {
        return MERKLE_LOG.stream().collect(Collectors.toMap(t -> t, t -> checksum(jdbc, t), (a, b) -> a,
                TreeMap::new));
    }

    private static String checksum(JdbcTemplate jdbc, String table) {
        return jdbc.queryForObject("SELECT count(*) || ' rows, md5 '"
                + " || md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), ''))"
                + " FROM query_side." + table + " r", String.class);
    }
}
