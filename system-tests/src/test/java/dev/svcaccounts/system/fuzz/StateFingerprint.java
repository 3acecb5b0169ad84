package dev.svcaccounts.system.fuzz;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

/**
 * What a refused request must leave as it was: the event store (but for the records of refused attempts, which
 * {@code RefusalRecorder} appends on purpose, in a transaction of their own, before the 401 or 403 is sent) and
 * the credential tables that decide who is let in. Read models are not compared: they only follow the events.
 *
 * @param events      events that are no refusal record
 * @param head        the newest of them (its global index)
 * @param refusals    refusal records ({@code AccessRefusedEvent} and any other payload type named "Refus...")
 * @param credentials md5 of every row of the credential tables
 */
public record StateFingerprint(long events, long head, long refusals, String credentials) {

    /** Command-side tables that decide authentication and access; the token usage table is not one. */
    static final List<String> CREDENTIAL_TABLES = List.of("auth_principal", "auth_token", "auth_project",
            "auth_project_role", "operator_credential");

    public static StateFingerprint take(JdbcTemplate jdbc) {
        StringBuilder rows = new StringBuilder();
        for (String table : CREDENTIAL_TABLES) {
            rows.append(rows.length() == 0 ? "" : " UNION ALL ").append("SELECT '").append(table)
                    .append("' || r::text AS line FROM command_side.").append(table).append(" r");
        }
        return jdbc.queryForObject("""
                SELECT count(*) FILTER (WHERE payload_type NOT LIKE '%Refus%'),
                       coalesce(max(global_index) FILTER (WHERE payload_type NOT LIKE '%Refus%'), 0),
                       count(*) FILTER (WHERE payload_type LIKE '%Refus%'),
                       (SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line), '')) FROM (""" + rows + """
                       ) c)
                  FROM command_side.domain_event_entry
                """, (rs, n) -> new StateFingerprint(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
    }

    /** Same events (refusal records aside) and same credentials? */
    public boolean sameStateAs(StateFingerprint other) {
        return events == other.events && head == other.head && credentials.equals(other.credentials);
    }

    public String differenceTo(StateFingerprint after) {
        List<String> changes = new java.util.ArrayList<>();
        if (events != after.events || head != after.head) {
            changes.add((after.events - events) + " event(s) appended (head " + head + " -> " + after.head + ")");
        }
        if (!credentials.equals(after.credentials)) {
            changes.add("credential tables changed");
        }
        return String.join(", ", changes);
    }
}
