package dev.svcaccounts.infra.audit;

import dev.svcaccounts.events.AccessRefusedEvent;
import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.FormerTokens;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Text;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
 */
@Component
public class RefusalRecorder {

    private static final Logger log = LoggerFactory.getLogger(RefusalRecorder.class);

    static final int PER_MINUTE = 10;
    static final int MAX_TEXT_LENGTH = 1000;
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final EventStore eventStore;
    private final FormerTokens formerTokens;
    private final TransactionTemplate ownTransaction;
    private final RefusalLimiter limiter;
    private final ScheduledExecutorService skipReports;

    public RefusalRecorder(EventStore eventStore, FormerTokens formerTokens, PlatformTransactionManager transactions,
                           Clock clock) {
        this.eventStore = eventStore;
        this.formerTokens = formerTokens;
        this.ownTransaction = new TransactionTemplate(transactions);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.limiter = new RefusalLimiter(PER_MINUTE, Duration.ofMinutes(1), clock);
        this.skipReports = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "refusal-skip-reports");
            thread.setDaemon(true);
            return thread;
        });
        skipReports.scheduleWithFixedDelay(this::reportSkipped, 10, 10, TimeUnit.SECONDS);
    }

    /**
     * A request answered 403 by {@code rule}: recorded if it was a write by a principal of a workspace (the
     * operator belongs to none).
     */
    public void forbidden(HttpServletRequest request, String rule, String detail) {
        try {
            if (READS.contains(request.getMethod())
                    || !(request.getAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE) instanceof AuthenticatedPrincipal principal)
                    || principal.workspaceId() == null) {
                return;
            }
            String key = principal.type().name().toLowerCase() + " " + principal.id();
            record(request, principal, key, rule, HttpStatus.FORBIDDEN, detail);
        } catch (RuntimeException e) {
            warnNotRecorded(request, rule, e);
        }
    }

    /** A request answered 401 for this bearer secret: recorded if the secret is a token that worked once. */
    public void unauthenticated(HttpServletRequest request, String secret) {
        try {
            formerTokens.refused(secret).ifPresent(token -> record(request, token.owner(),
                    "token " + token.owner().tokenId(), token.rule(), HttpStatus.UNAUTHORIZED, token.detail()));
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
            if (request.getAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE) instanceof AuthenticatedPrincipal principal
                    && principal.workspaceId() != null) {
                record(request, principal, "token " + principal.tokenId(), rule, HttpStatus.UNAUTHORIZED, detail);
            }
        } catch (RuntimeException e) {
            warnNotRecorded(request, rule, e);
        }
    }

    private void record(HttpServletRequest request, AuthenticatedPrincipal actor, String limitKey, String rule,
                        HttpStatus status, String detail) {
        if (!limiter.tryAcquire(limitKey)) {
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

    /** One WARN line per key and minute in which refusals were not recorded, once that minute has passed. */
    void reportSkipped() {
        try {
            report(limiter.takeEndedWithSkips());
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again
            log.warn("Could not report refused requests not recorded: {}", e.toString());
        }
    }

    private static void report(List<RefusalLimiter.Skipped> skipped) {
        skipped.forEach(s -> log.warn("Refused requests of {} not recorded in the audit trail: {} beyond {} a minute, "
                + "in the minute from {}", s.key(), s.count(), PER_MINUTE, s.windowStart()));
    }

    private static void warnNotRecorded(HttpServletRequest request, String rule, RuntimeException e) {
        log.warn("Could not record a refused request ({} {} {}) in the audit trail: {}", request.getMethod(),
                request.getRequestURI(), rule, e.toString());
    }

    @PreDestroy
    void stop() {
        skipReports.shutdownNow();
        report(limiter.takeAllWithSkips());
    }
}
