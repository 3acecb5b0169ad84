package dev.svcaccounts.infra.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.FormerTokens;
import dev.svcaccounts.events.AccessRefusalsNotRecordedEvent;
import dev.svcaccounts.events.AccessRefusedEvent;
import dev.svcaccounts.infra.metrics.EndedTokenCounter;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Text;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records refused attempts in the audit trail as {@link AccessRefusedEvent}s: a write refused with 403, and a
 * request with a token that worked once (revoked, expired, its account gone) refused with 401. Each event is
 * appended on its own, outside the Workspace aggregate, in a transaction of its own, with the same audit metadata
 * a command carries. Recording never changes the answer: when it fails, one WARN line and the request goes on.
 * Each node records at most {@code svcaccounts.refusals.per-window} (10) refusals per token (401) or principal (403)
 * of a workspace in each {@code svcaccounts.refusals.window} (a minute); the rest are counted and summed up in one
 * {@link AccessRefusalsNotRecordedEvent} per key and window ({@link RefusalSummaries}).
 */
@Component
public class RefusalRecorder {

    private static final Logger log = LoggerFactory.getLogger(RefusalRecorder.class);

    static final int MAX_TEXT_LENGTH = 1000;
    /** Keys (principals and tokens) a node limits at once; a refusal beyond them is recorded. */
    static final int MAX_KEYS = 100_000;
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final EventStore eventStore;
    private final FormerTokens formerTokens;
    private final TransactionTemplate ownTransaction;
    private final RefusalLimiter limiter;
    private final RefusalSummaries summaries;
    private final Duration saveInterval;
    private final Duration takeOverInterval;
    private final ScheduledExecutorService summaryTasks;
    private final EndedTokenCounter endedTokens;

    public RefusalRecorder(EventStore eventStore, FormerTokens formerTokens, PlatformTransactionManager transactions,
                           Clock clock, JdbcTemplate jdbc, ObjectMapper objectMapper, EndedTokenCounter endedTokens,
                           @Value("${svcaccounts.refusals.per-window:10}") int perWindow,
                           @Value("${svcaccounts.refusals.window:1m}") Duration window,
                           @Value("${svcaccounts.refusals.save-interval:1s}") Duration saveInterval,
                           @Value("${svcaccounts.refusals.orphaned-after:2m}") Duration orphanedAfter,
                           @Value("${svcaccounts.refusals.take-over-interval:30s}") Duration takeOverInterval) {
        this.eventStore = eventStore;
        this.formerTokens = formerTokens;
        this.endedTokens = endedTokens;
        this.ownTransaction = new TransactionTemplate(transactions);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.limiter = new RefusalLimiter(perWindow, window, clock, MAX_KEYS);
        this.summaries = new RefusalSummaries(limiter, eventStore, jdbc, ownTransaction, objectMapper, orphanedAfter);
        this.saveInterval = saveInterval;
        this.takeOverInterval = takeOverInterval;
        this.summaryTasks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "refusal-summaries");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Once the application runs (the tables migrated, or on the query side, there). */
    @EventListener(ApplicationReadyEvent.class)
    void startSummaries() {
        long millis = saveInterval.toMillis();
        summaryTasks.scheduleWithFixedDelay(this::writeSummaries, millis, millis, TimeUnit.MILLISECONDS);
        long takeOver = takeOverInterval.toMillis();
        summaryTasks.scheduleWithFixedDelay(this::takeOverOrphans, millis, takeOver, TimeUnit.MILLISECONDS);
    }

    /**
     * A request answered 403 by {@code rule}: recorded if it was a write by a principal of a workspace (the
     * operator belongs to none).
     */
    public void forbidden(HttpServletRequest request, String rule, String detail) {
        try {
            if (READS.contains(request.getMethod())
                    || !(request.getAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE)
                            instanceof AuthenticatedPrincipal principal)
                    || principal.workspaceId() == null) {
                return;
            }
            record(request, principal, RefusalLimiter.Key.principal(principal), rule, HttpStatus.FORBIDDEN, detail);
        } catch (RuntimeException e) {
            warnNotRecorded(request, rule, e);
        }
    }

    /** A request answered 401 for this bearer secret: recorded if the secret is a token that worked once. */
    public void unauthenticated(HttpServletRequest request, String secret) {
        try {
            formerTokens.refused(secret).ifPresent(token -> {
                endedTokens.count(token.rule());
                record(request, token.owner(), tokenKey(token.owner()), token.rule(), HttpStatus.UNAUTHORIZED,
                        token.detail());
            });
        } catch (RuntimeException e) {
            warnNotRecorded(request, "unauthenticated", e);
        }
    }

    /**
     * A request answered 401 by {@code rule} after it was authenticated: its token stopped working on the way (the
     * aggregate found it revoked, expired or its owner gone when it decided). Recorded like any 401 of a token that
     * once worked, under the token of the request's principal.
     */
    public void stoppedWorking(HttpServletRequest request, String rule, String detail) {
        try {
            if (request.getAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE)
                    instanceof AuthenticatedPrincipal principal
                    && principal.workspaceId() != null) {
                endedTokens.count(rule);
                record(request, principal, tokenKey(principal), rule, HttpStatus.UNAUTHORIZED, detail);
            }
        } catch (RuntimeException e) {
            warnNotRecorded(request, rule, e);
        }
    }

    private static RefusalLimiter.Key tokenKey(AuthenticatedPrincipal owner) {
        return RefusalLimiter.Key.token(owner.workspaceId(), owner.tokenId());
    }

    private void record(HttpServletRequest request, AuthenticatedPrincipal actor, RefusalLimiter.Key limitKey,
                        String rule, HttpStatus status, String detail) {
        if (!limiter.tryAcquire(limitKey, new RefusalLimiter.Refusal(actor, rule, request.getRemoteAddr()))) {
            return;
        }
        try {
            append(request, actor, rule, status, detail);
        } catch (RuntimeException e) {
            warnNotRecorded(request, rule, e);
        }
    }

    private void append(HttpServletRequest request, AuthenticatedPrincipal actor, String rule, HttpStatus status,
                        String detail) {
        String path = request.getRequestURI();
        RefusalTarget target = RefusalTarget.of(request, actor.workspaceId());
        AccessRefusedEvent event = new AccessRefusedEvent(actor.workspaceId(), rule, status.value(),
                storable(request.getMethod()), storable(path), target.type(), target.id(), storable(detail));
        Map<String, Object> metadata = AuditContext.ofRefused(request).metadata(actor);
        ownTransaction.executeWithoutResult(tx ->
                eventStore.publish(GenericEventMessage.asEventMessage(event).andMetaData(metadata)));
    }

    /**
     * Bounded, and without control characters: a NUL would make the entry unstorable in the audit trail (PostgreSQL's
     * jsonb refuses it), and a path or a detail can carry what the caller sent.
     */
    private static String storable(String text) {
        if (text == null) {
            return null;
        }
        String visible = Text.withoutControlCharacters(text);
        return visible.codePointCount(0, visible.length()) <= MAX_TEXT_LENGTH ? visible
                : visible.substring(0, visible.offsetByCodePoints(0, MAX_TEXT_LENGTH));
    }

    /** Saves the open windows' counts and writes the summaries of the ended ones (run every save interval). */
    void writeSummaries() {
        summaries.tick();
    }

    /** Writes the summaries that nodes which died left behind (run every half minute). */
    int takeOverOrphans() {
        return summaries.takeOverOrphans();
    }

    private static void warnNotRecorded(HttpServletRequest request, String rule, RuntimeException e) {
        log.warn("Could not record a refused request ({} {} {}) in the audit trail: {}", request.getMethod(),
                request.getRequestURI(), rule, e.toString());
    }

    /**
     * At shutdown, after the web server has stopped taking requests: every window with refusals not recorded gets its
     * summary, ended or not.
     */
    @PreDestroy
    void stop() {
        summaryTasks.shutdown();
        try {
            if (!summaryTasks.awaitTermination(5, TimeUnit.SECONDS)) {
                summaryTasks.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        summaries.writeAll();
    }
}
