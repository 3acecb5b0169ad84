package dev.svcaccounts.query.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.infra.database.LongStatements;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

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

    private final JdbcTemplate jdbc;
    private final AuditEntryWriter writer;
    private final ObjectMapper objectMapper;
    private final LongStatements longStatements;

    AuditProjection(JdbcTemplate jdbc, ObjectMapper objectMapper, LongStatements longStatements) {
        this.jdbc = jdbc;
        this.writer = new AuditEntryWriter(jdbc);
        this.objectMapper = objectMapper;
        this.longStatements = longStatements;
    }

    /**
     * Collects the entry; the batch's entries are written together when its transaction commits. The position is
     * the event's global index, looked up by its id as the entries are written. Not the tracking token's position:
     * that is the highest index the processor has seen, so for an event committed after a later one (it fills a
     * gap) it is the later event's, and the late event would be dropped as that one's duplicate.
     */
    @EventHandler
    void on(WorkspaceEvent event, EventMessage<?> message) throws JsonProcessingException {
        pendingEntries().add(entry(event, message));
    }

    /**
     * The event's entry, without its position: the one mapping of an event to its entry, for the live handler above
     * and the bulk rebuild ({@link AuditBulkRebuild}) alike.
     */
    AuditEntryWriter.PendingEntry entry(WorkspaceEvent event, EventMessage<?> message) throws JsonProcessingException {
        AuditEntryMapper.Described described = AuditEntryMapper.describe(event);
        MetaData meta = message.getMetaData();
        return new AuditEntryWriter.PendingEntry(
                message.getIdentifier(), event.workspaceId(), message.getTimestamp(),
                described.type(), described.subjectType(), described.subjectId(),
                described.account() == null ? null : described.account().type().name().toLowerCase(),
                described.account() == null ? null : described.account().id(),
                lower(meta.get(AuditMetadata.ACTOR_TYPE)), text(meta.get(AuditMetadata.ACTOR_ID)),
                text(meta.get(AuditMetadata.ACTOR_NAME)), text(meta.get(AuditMetadata.ACTOR_TOKEN_ID)),
                text(meta.get(AuditMetadata.REQUEST_ID)), text(meta.get(AuditMetadata.CORRELATION_ID)),
                text(meta.get(AuditMetadata.CLIENT_IP)),
                text(meta.get(AuditMetadata.USER_AGENT)), text(meta.get(AuditMetadata.REASON)),
                objectMapper.writeValueAsString(described.details()));
    }

    /**
     * The entries of the processor's current batch (its unit of work spans the batch), written together just before
     * the batch's transaction commits.
     */
    private List<AuditEntryWriter.PendingEntry> pendingEntries() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING_ENTRIES, key -> {
            List<AuditEntryWriter.PendingEntry> entries = new ArrayList<>();
            batch.onPrepareCommit(committing -> writer.write(entries));
            return entries;
        });
    }

    /**
     * Empties the trail with TRUNCATE: a DELETE would leave every old row and its ten index entries for vacuum to
     * clean up while the replay writes the new ones; TRUNCATE hands the space back at once. It needs the table to
     * itself: when a reader holds it (a long export) for more than 2 s, the rows are deleted instead, which takes
     * as long as the trail is large: without the socket timeout of the other statements.
     */
    @ResetHandler
    void reset() {
        longStatements.run(() -> {
            jdbc.execute("""
                    DO $$
                    BEGIN
                        SET LOCAL lock_timeout = '2s';
                        TRUNCATE query_side.audit_entry;
                        SET LOCAL lock_timeout TO DEFAULT;
                    EXCEPTION WHEN lock_not_available THEN
                        DELETE FROM query_side.audit_entry;
                    END $$""");
            return null;
        });
    }

    private static String lower(Object value) {
        return value == null ? null : value.toString().toLowerCase();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
