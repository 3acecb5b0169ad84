package dev.svcaccounts.infra.idempotency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Deletes expired idempotency keys every {@code svcaccounts.idempotency.sweep-interval}, on every node: an indexed
 * delete of at most {@value #BATCH} rows at a time, so nodes sweeping at once only share the work. An expired key
 * that is still there is ignored anyway; the sweep only keeps the table small.
 */
@Component
class ExpiredKeySweeper {

    private static final Logger log = LoggerFactory.getLogger(ExpiredKeySweeper.class);
    static final int BATCH = 10_000;

    private final IdempotencyKeys keys;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "idempotency-key-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    ExpiredKeySweeper(IdempotencyKeys keys, @Value("${svcaccounts.idempotency.sweep-interval:10m}") Duration interval) {
        this.keys = keys;
        this.interval = interval;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        long period = interval.toMillis();
        // a random first delay, so that nodes started together do not sweep in step
        executor.scheduleWithFixedDelay(this::sweep, ThreadLocalRandom.current().nextLong(period), period,
                TimeUnit.MILLISECONDS);
    }

    @EventListener(ContextClosedEvent.class)
    void stop() {
        executor.shutdownNow();
    }

    void sweep() {
        try {
            int deleted;
            int total = 0;
            do {
                deleted = keys.deleteExpired(BATCH);
                total += deleted;
            } while (deleted == BATCH && !Thread.currentThread().isInterrupted());
            if (total > 0) {
                log.debug("Deleted {} expired idempotency keys", total);
            }
        } catch (RuntimeException e) {
            // the database may be away for a while; the next sweep catches up
            log.debug("Could not delete expired idempotency keys: {}", e.getMessage());
        }
    }
}
