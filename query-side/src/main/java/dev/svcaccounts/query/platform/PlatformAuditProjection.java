package dev.svcaccounts.query.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.IntrospectionClientRegisteredEvent;
import dev.svcaccounts.events.IntrospectionClientRevokedEvent;
import dev.svcaccounts.events.PlatformEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform's audit trail: one row per {@link PlatformEvent}, with who acted (the event's metadata), as the
 * workspace trail has. It runs in the audit processor (so a replay of the audit rebuilds it too); an event handled
 * twice is inserted once. Its position is the event's in the store (as the workspace trail's), so a replay rebuilds
 * the same rows. Never a secret: a registered client's entry has its hint, not its hash.
 */
@Component
@ProcessingGroup("audit")
class PlatformAuditProjection {

    private final JdbcTemplate jdbc;
    private final ObjectMapper objectMapper;

    PlatformAuditProjection(JdbcTemplate jdbc, ObjectMapper objectMapper) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
    }

    @EventHandler
    void on(PlatformEvent event, EventMessage<?> message) throws JsonProcessingException {
        MetaData meta = message.getMetaData();
        jdbc.update("""
                INSERT INTO query_side.platform_audit_entry
                    (position, event_id, occurred_at, type, subject_type, subject_id, actor_type, actor_id,
                     actor_name, request_id, correlation_id, client_ip, user_agent, reason, details)
                SELECT d.global_index, d.event_identifier, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
                  FROM command_side.domain_event_entry d WHERE d.event_identifier = ?
                ON CONFLICT (position) DO NOTHING
                """, Timestamp.from(message.getTimestamp()), type(event),
                "introspection_client", event.subjectId(), lower(meta.get(AuditMetadata.ACTOR_TYPE)),
                text(meta.get(AuditMetadata.ACTOR_ID)), text(meta.get(AuditMetadata.ACTOR_NAME)),
                text(meta.get(AuditMetadata.REQUEST_ID)), text(meta.get(AuditMetadata.CORRELATION_ID)),
                text(meta.get(AuditMetadata.CLIENT_IP)), text(meta.get(AuditMetadata.USER_AGENT)),
                text(meta.get(AuditMetadata.REASON)), objectMapper.writeValueAsString(details(event)),
                message.getIdentifier());
    }

    @ResetHandler
    void reset() {
        jdbc.execute("TRUNCATE query_side.platform_audit_entry");
    }

    static String type(PlatformEvent event) {
        if (event instanceof IntrospectionClientRegisteredEvent) {
            return "introspection_client.registered";
        }
        if (event instanceof IntrospectionClientRevokedEvent) {
            return "introspection_client.revoked";
        }
        throw new IllegalArgumentException("no audit type for " + event.getClass().getSimpleName());
    }

    private static Map<String, Object> details(PlatformEvent event) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (event instanceof IntrospectionClientRegisteredEvent registered) {
            details.put("name", registered.name());
            details.put("description", registered.description());
            details.put("hint", registered.hint());
        }
        return details;
    }

    private static String lower(Object value) {
        return value == null ? null : value.toString().toLowerCase();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
