package dev.svcaccounts.command.federation.exchange;

import dev.svcaccounts.command.federation.jwt.ExchangeRefusal;
import dev.svcaccounts.events.TokenExchangeRefusedEvent;
import dev.svcaccounts.infra.web.Text;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records a refused exchange in the trail of a workspace whose rules judged the JWT, as a
 * {@link TokenExchangeRefusedEvent} appended on its own (outside the Workspace aggregate's stream), in a transaction
 * of its own, as refused requests are recorded. Recording never changes the answer: a failure is one WARN line. Text
 * the caller chose (the JWT's claims) is stored without control characters and bounded; the JWT itself never. Each
 * node records at most {@code svcaccounts.federation.refusals-per-window} refusals per workspace and issuer in each
 * {@code svcaccounts.federation.refusal-window}, so a flood of bad JWTs cannot fill a trail; the rest are counted
 * ({@link ExchangeMetrics}).
 */
@Component
class RefusalTrail {

    private static final Logger log = LoggerFactory.getLogger(RefusalTrail.class);
    static final int MAX_TEXT_LENGTH = 500;
    private static final int MAX_KEYS = 10_000;

    private final EventStore eventStore;
    private final TransactionTemplate ownTransaction;
    private final ExchangeMetrics metrics;
    private final Clock clock;
    private final int perWindow;
    private final long windowMillis;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    RefusalTrail(EventStore eventStore, PlatformTransactionManager transactions, ExchangeMetrics metrics, Clock clock,
                 @Value("${svcaccounts.federation.refusals-per-window:20}") int perWindow,
                 @Value("${svcaccounts.federation.refusal-window:1m}") Duration window) {
        this.eventStore = eventStore;
        this.ownTransaction = new TransactionTemplate(transactions);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.metrics = metrics;
        this.clock = clock;
        this.perWindow = perWindow;
        this.windowMillis = window.toMillis();
    }

    /** One entry in {@code workspaceId}'s trail, about the account and rule when the exchange came that far. */
    void record(String workspaceId, String serviceAccountId, String ruleId, ExchangeRefusal refusal,
                ExchangeAttempt attempt) {
        try {
            if (!withinBudget(workspaceId + " " + attempt.issuer())) {
                metrics.notRecorded();
                return;
            }
            TokenExchangeRefusedEvent event = new TokenExchangeRefusedEvent(workspaceId, serviceAccountId, ruleId,
                    refusal.error(), refusal.reason(), storable(refusal.description()), storable(attempt.issuer()),
                    storable(attempt.subject()), storable(attempt.jwtId()));
            ownTransaction.executeWithoutResult(tx -> eventStore.publish(
                    GenericEventMessage.asEventMessage(event).andMetaData(attempt.metadata())));
        } catch (RuntimeException e) {
            log.warn("Could not record a refused token exchange ({} {}) in the trail of workspace {}: {}",
                    refusal.error(), refusal.reason(), workspaceId, e.toString());
        }
    }

    private boolean withinBudget(String key) {
        if (windows.size() > MAX_KEYS) {
            windows.clear(); // a flood of issuers: start counting afresh rather than grow without bound
        }
        long now = clock.millis();
        long[] window = windows.computeIfAbsent(key, k -> new long[] {now, 0});
        synchronized (window) {
            if (now - window[0] >= windowMillis) {
                window[0] = now;
                window[1] = 0;
            }
            return ++window[1] <= perWindow;
        }
    }

    static String storable(String text) {
        if (text == null) {
            return null;
        }
        String visible = Text.printable(text); // control characters and lone surrogates escaped
        return visible.codePointCount(0, visible.length()) <= MAX_TEXT_LENGTH ? visible
                : visible.substring(0, visible.offsetByCodePoints(0, MAX_TEXT_LENGTH));
    }
}
