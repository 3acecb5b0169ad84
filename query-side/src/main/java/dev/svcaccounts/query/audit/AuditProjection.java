package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.WorkspaceEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The workspace audit trail: one row per event, keyed by the event's position in the store, with who acted
 * (from the event's metadata) and what changed. Inserting a position twice does nothing, so retries and
 * replays cannot duplicate an entry.
 */
@Component
@ProcessingGroup(AuditProjection.PROCESSING_GROUP)
class AuditProjection {

    static final String PROCESSING_GROUP = "audit";
    private static final String PENDING_ENTRIES = AuditProjection.class.getName() + ".pendingEntries";
    private static final int EVENT_ID = 16;

    private final JdbcTemplate jdbc;
    private final ObjectMapper objectMapper;

    AuditProjection(JdbcTemplate jdbc, ObjectMapper objectMapper) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
    }

    /**
     * Collects the entry; the batch's entries are written together when its transaction commits. The position is
     * the event's global index, looked up by its id in the same statement. Not the tracking token's position: that
     * is the highest index the processor has seen, so for an event committed after a later one (it fills a gap) it
     * is the later event's, and the late event would be dropped as that one's duplicate.
     */
    @EventHandler
    void on(WorkspaceEvent event, EventMessage<?> message) throws JsonProcessingException {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(event);
        MetaData meta = message.getMetaData();
        pendingEntries().add(new Object[]{
                event.workspaceId(), Timestamp.from(message.getTimestamp()),
                described.type(), described.subjectType(), described.subjectId(),
                described.account() == null ? null : described.account().type().name().toLowerCase(),
                described.account() == null ? null : described.account().id(),
                lower(meta.get(AuditMetadata.ACTOR_TYPE)), meta.get(AuditMetadata.ACTOR_ID),
                meta.get(AuditMetadata.ACTOR_NAME), meta.get(AuditMetadata.ACTOR_TOKEN_ID),
                meta.get(AuditMetadata.REQUEST_ID), meta.get(AuditMetadata.CLIENT_IP),
                meta.get(AuditMetadata.USER_AGENT), meta.get(AuditMetadata.REASON),
                objectMapper.writeValueAsString(described.details()),
                message.getIdentifier()});
    }

    /**
     * The entries of the processor's current batch (its unit of work spans the batch), written in one JDBC batch
     * just before the batch's transaction commits: one round trip for the batch instead of one per event.
     */
    private List<Object[]> pendingEntries() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING_ENTRIES, key -> {
            List<Object[]> entries = new ArrayList<>();
            batch.onPrepareCommit(committing -> write(entries));
            return entries;
        });
    }

    private void write(List<Object[]> entries) {
        int[] inserted = jdbc.batchUpdate("""
                INSERT INTO query_side.audit_entry
                    (position, event_id, workspace_id, occurred_at, type, subject_type, subject_id,
                     account_type, account_id, actor_type, actor_id, actor_name, token_id, request_id, client_ip,
                     user_agent, reason, details)
                SELECT e.global_index, e.event_identifier, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb)
                  FROM command_side.domain_event_entry e
                 WHERE e.event_identifier = ?
                ON CONFLICT (position) DO NOTHING
                """, entries);
        for (int i = 0; i < inserted.length; i++) {
            String eventId = (String) entries.get(i)[EVENT_ID];
            if (inserted[i] == 0 && !recorded(eventId)) {
                throw new IllegalStateException("Event " + eventId + " is not in the event store");
            }
        }
    }

    private boolean recorded(String eventId) {
        Integer entries = jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry WHERE event_id = ?",
                Integer.class, eventId);
        return entries != null && entries > 0;
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM query_side.audit_entry");
    }

    private static String lower(Object value) {
        return value == null ? null : value.toString().toLowerCase();
    }
}
