package dev.svcaccounts.infra.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.events.AccessRefusalsNotRecordedEvent;
import dev.svcaccounts.events.AuditMetadata;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The trail's summaries of refusals that were counted but not recorded ({@link AccessRefusalsNotRecordedEvent}), one
 * per key and window, written when the window ends and at shutdown. While a window is open its counts are also kept
 * in {@code command_side.refusal_skip} (about once a second, only when they changed), so that a node that dies does
 * not take them along: a row whose window ended more than {@code orphanedAfter} ago (2 minutes) belongs to a dead
 * node, and any node writes its summary. The row is deleted in the transaction that appends the summary, so each is
 * written once, by its own node or by the one that took it over. On SIGKILL a node loses only the refusals it counted
 * since its last save (about a second).
 */
final class RefusalSummaries {

    private static final Logger log = LoggerFactory.getLogger(RefusalSummaries.class);

    private static final int TAKE_OVER_BATCH = 100;

    /** What a saved row holds: the summary's payload and metadata, as they will be appended. */
    record Pending(AccessRefusalsNotRecordedEvent event, Map<String, Object> metadata) {
    }

    private record WindowId(RefusalLimiter.Key key, Instant start) {
        static WindowId of(RefusalLimiter.Skipped s) {
            return new WindowId(s.key(), s.windowStart());
        }
    }

    private final RefusalLimiter limiter;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final ObjectMapper json;
    private final Duration orphanedAfter;
    private final String nodeId = UUID.randomUUID().toString();
    /** Windows of this node with a saved row (the row must be deleted with the summary, or was taken over). */
    private final Set<WindowId> saved = new HashSet<>();
    /** Summaries of ended windows not written yet (the database was away): tried again on the next tick. */
    private final Deque<RefusalLimiter.Skipped> unwritten = new ArrayDeque<>();
    private boolean failing;

    RefusalSummaries(RefusalLimiter limiter, EventStore eventStore, JdbcTemplate jdbc,
                     TransactionTemplate ownTransaction, ObjectMapper json, Duration orphanedAfter) {
        this.orphanedAfter = orphanedAfter;
        this.limiter = limiter;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.ownTransaction = ownTransaction;
        this.json = json;
    }

    /** Run about once a second, on one thread: saves what changed, writes the summaries of ended windows. */
    synchronized void tick() {
        try {
            save(limiter.takeChangedOpenWindows());
            write(limiter.takeEndedWithSkips());
            recovered();
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Run now and then by every node: writes the summaries that dead nodes left behind. */
    synchronized int takeOverOrphans() {
        try {
            Integer written = ownTransaction.execute(tx -> {
                List<String> orphans = jdbc.queryForList("""
                        DELETE FROM command_side.refusal_skip
                         WHERE ctid IN (SELECT ctid FROM command_side.refusal_skip
                                         WHERE window_end < now() - make_interval(secs => ?)
                                         LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING summary""", String.class, orphanedAfter.toMillis() / 1000.0, TAKE_OVER_BATCH);
                for (String orphan : orphans) {
                    read(orphan).ifPresent(this::publish);
                }
                return orphans.size();
            });
            recovered();
            return written == null ? 0 : written;
        } catch (RuntimeException e) {
            failed(e);
            return 0;
        }
    }

    /** At shutdown: every window with refusals not recorded, open or not, gets its summary now. */
    synchronized void writeAll() {
        try {
            write(limiter.takeAllWithSkips());
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void save(List<RefusalLimiter.Skipped> changed) {
        if (changed.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                INSERT INTO command_side.refusal_skip
                       (node_id, limit_key, window_start, window_end, workspace_id, summary)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (node_id, limit_key, window_start) DO UPDATE SET summary = EXCLUDED.summary
                """, changed.stream().map(s -> new Object[]{nodeId, s.key().toString(),
                Timestamp.from(s.windowStart()), Timestamp.from(s.windowEnd()), s.key().workspaceId(),
                text(pending(s))}).toList());
        changed.forEach(s -> saved.add(WindowId.of(s)));
    }

    /** Writes the summaries of {@code ended} and any left over by a failure before; on failure keeps the rest. */
    private void write(List<RefusalLimiter.Skipped> ended) {
        unwritten.addAll(ended);
        while (!unwritten.isEmpty()) {
            RefusalLimiter.Skipped s = unwritten.peekFirst();
            boolean wasSaved = saved.contains(WindowId.of(s));
            Boolean written = ownTransaction.execute(tx -> {
                int deleted = jdbc.update("""
                        DELETE FROM command_side.refusal_skip
                         WHERE node_id = ? AND limit_key = ? AND window_start = ?""",
                        nodeId, s.key().toString(), Timestamp.from(s.windowStart()));
                if (wasSaved && deleted == 0) {
                    return false; // another node took it over, thinking this one dead: written already
                }
                publish(pending(s));
                return true;
            });
            unwritten.removeFirst();
            saved.remove(WindowId.of(s));
            if (Boolean.TRUE.equals(written)) {
                log.info("Refused requests of {} not recorded one by one: {} beyond {} in the window from {}; "
                        + "summed up in the audit trail", s.key(), s.count(), s.limit(), s.windowStart());
            }
        }
    }

    private void publish(Pending pending) {
        eventStore.publish(GenericEventMessage.asEventMessage(pending.event()).andMetaData(pending.metadata()));
    }

    static Pending pending(RefusalLimiter.Skipped s) {
        AccessRefusalsNotRecordedEvent event = new AccessRefusalsNotRecordedEvent(s.key().workspaceId(), s.principal(),
                s.key().kind().equals("token") ? s.key().id() : s.tokenId(), s.count(), s.limit(), s.windowStart(),
                s.windowEnd(), s.rules());
        Map<String, Object> metadata = new HashMap<>();
        metadata.put(AuditMetadata.ACTOR_TYPE, s.principal().type().name());
        metadata.put(AuditMetadata.ACTOR_ID, s.principal().id());
        put(metadata, AuditMetadata.ACTOR_NAME, s.actorName());
        put(metadata, AuditMetadata.ACTOR_TOKEN_ID, event.tokenId());
        put(metadata, AuditMetadata.CLIENT_IP, s.clientIp());
        return new Pending(event, metadata);
    }

    private static void put(Map<String, Object> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }

    private Optional<Pending> read(String text) {
        try {
            return Optional.of(json.readValue(text, Pending.class));
        } catch (JsonProcessingException e) {
            log.warn("A saved summary of refused requests could not be read and is dropped: {}",
                    e.getOriginalMessage());
            return Optional.empty();
        }
    }

    private String text(Pending pending) {
        try {
            return json.writeValueAsString(pending);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A refusal summary could not be written as JSON", e);
        }
    }

    private void failed(RuntimeException e) {
        if (!failing) {
            log.warn("Could not save or write summaries of refused requests not recorded, will try again: {}",
                    e.toString());
        }
        failing = true;
    }

    private void recovered() {
        if (failing) {
            log.info("Summaries of refused requests not recorded are saved and written again");
        }
        failing = false;
    }
}
