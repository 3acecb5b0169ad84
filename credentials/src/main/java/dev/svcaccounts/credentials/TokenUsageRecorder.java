package dev.svcaccounts.credentials;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When each token was last used and from where ({@code command_side.token_usage}), without an event or a write
 * per request: a request only notes its use in memory, and the newest use per token is written in one batch
 * every {@code svcaccounts.token-usage.flush-interval} (10 s by default) and when the application stops. A token
 * used again within a minute of its last written use is not written again, so the recorded last use is exact
 * to about a minute (plus the flush interval). The operator credential is not tracked.
 */
@Component
public class TokenUsageRecorder {

    private static final Logger log = LoggerFactory.getLogger(TokenUsageRecorder.class);

    /** How close to the truth the stored last use is kept. */
    public static final Duration RESOLUTION = Duration.ofMinutes(1);
    private static final int MAX_IP_LENGTH = 64;

    // GREATEST: another node, or a late flush of this one, may bring an older use than the one stored
    private static final String UPSERT = """
            INSERT INTO command_side.token_usage AS u (token_id, workspace_id, last_used_at, last_used_ip)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (token_id) DO UPDATE
               SET last_used_at = GREATEST(u.last_used_at, EXCLUDED.last_used_at),
                   last_used_ip = CASE WHEN EXCLUDED.last_used_at >= u.last_used_at
                                       THEN EXCLUDED.last_used_ip ELSE u.last_used_ip END
            """;

    private record Use(String tokenId, String workspaceId, Instant at, String clientIp) {
        Use newer(Use other) {
            return other.at.isAfter(at) ? other : this;
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration flushInterval;
    /** Uses not written yet, the newest per token. */
    private final Map<String, Use> pending = new ConcurrentHashMap<>();
    /** The last use written per token, while it is less than {@link #RESOLUTION} old. */
    private final Map<String, Instant> written = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "token-usage-flush");
        thread.setDaemon(true);
        return thread;
    });

    public TokenUsageRecorder(JdbcTemplate jdbc, Clock clock,
                              @Value("${svcaccounts.token-usage.flush-interval:10s}") Duration flushInterval) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.flushInterval = flushInterval;
    }

    /** Once the application runs (the table migrated). */
    @EventListener(ApplicationReadyEvent.class)
    void startFlushing() {
        long millis = flushInterval.toMillis();
        flusher.scheduleWithFixedDelay(this::flush, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Notes that the principal's token was used now, from {@code clientIp}. Memory only: never a database call. */
    public void record(AuthenticatedPrincipal principal, String clientIp) {
        if (principal.isOperator() || principal.tokenId() == null) {
            return;
        }
        Instant now = clock.instant();
        Instant lastWritten = written.get(principal.tokenId());
        if (lastWritten != null && now.isBefore(lastWritten.plus(RESOLUTION))) {
            return;
        }
        String ip = clientIp != null && clientIp.length() > MAX_IP_LENGTH
                ? clientIp.substring(0, MAX_IP_LENGTH) : clientIp;
        pending.merge(principal.tokenId(), new Use(principal.tokenId(), principal.workspaceId(), now, ip), Use::newer);
    }

    /**
     * Writes the uses noted since the last flush, in one batch; returns how many tokens it wrote. Should the
     * database be away, they stay noted for the next flush.
     */
    public synchronized int flush() {
        List<Use> batch = new ArrayList<>();
        for (String tokenId : pending.keySet()) {
            Use use = pending.remove(tokenId);
            if (use != null) {
                batch.add(use);
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        // the same order on every node: two nodes flushing the same tokens at once cannot deadlock
        batch.sort(Comparator.comparing(Use::tokenId));
        try {
            jdbc.batchUpdate(UPSERT, batch.stream().map(use -> new Object[]{use.tokenId(), use.workspaceId(),
                    Timestamp.from(use.at()), use.clientIp()}).toList());
        } catch (RuntimeException e) {
            batch.forEach(use -> pending.merge(use.tokenId(), use, Use::newer));
            log.warn("Could not record the last use of {} tokens, will try again: {}", batch.size(),
                    NestedExceptionUtils.getMostSpecificCause(e).getMessage());
            return 0;
        }
        batch.forEach(use -> written.merge(use.tokenId(), use.at(), (a, b) -> a.isAfter(b) ? a : b));
        Instant stale = clock.instant().minus(RESOLUTION);
        written.values().removeIf(at -> at.isBefore(stale));
        return batch.size();
    }

    /** At shutdown (after the web server has stopped taking requests): nothing noted is lost. */
    @PreDestroy
    public void stop() {
        flusher.shutdown();
        try {
            if (!flusher.awaitTermination(5, TimeUnit.SECONDS)) {
                flusher.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
