package dev.svcaccounts.infra.throttle;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shares each node's throttling counts with the cluster, every {@code svcaccounts.throttle.sync-interval} (a second):
 * per kind of count, one statement adds this node's new counts to {@code command_side.throttle_counter} and answers
 * the totals, and one reads back the keys near their limit on any node. No statement per request. Now and then it
 * forgets idle keys and deletes windows that no longer count. While the database is away, one WARN, and each node
 * goes on limiting by what it knows.
 */
@Component
class ThrottleSync {

    private static final Logger log = LoggerFactory.getLogger(ThrottleSync.class);
    private static final int MAX_READ_BACK = 10_000;
    private static final Duration CLEAN_UP_INTERVAL = Duration.ofMinutes(1);

    private final List<ClusterCounters> counters;
    private final FailedAuthentications failedAuthentications;
    private final ThrottleCounterStore store;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "throttle-sync");
        thread.setDaemon(true);
        return thread;
    });
    private long lastCleanUp;
    private boolean failing;

    ThrottleSync(List<ClusterCounters> counters, FailedAuthentications failedAuthentications,
                 ThrottleCounterStore store, Clock clock,
                 @Value("${svcaccounts.throttle.sync-interval:1s}") Duration interval) {
        this.counters = counters;
        this.failedAuthentications = failedAuthentications;
        this.store = store;
        this.clock = clock;
        this.interval = interval;
        this.lastCleanUp = clock.millis();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(this::sync, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One round: write, read back, and now and then clean up. */
    void sync() {
        try {
            for (ClusterCounters counter : counters) {
                if (counter.enabled()) {
                    sync(counter);
                }
            }
            if (clock.millis() - lastCleanUp >= CLEAN_UP_INTERVAL.toMillis()) {
                cleanUp();
                lastCleanUp = clock.millis();
            }
            if (failing) {
                log.info("Throttling counts are shared between the nodes again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Could not share throttling counts with the other nodes, each limits on its own meanwhile: {}",
                        NestedExceptionUtils.getMostSpecificCause(e).getMessage());
                failing = true;
            }
        }
    }

    private void sync(ClusterCounters counter) {
        List<ClusterCounters.Unsent> unsent = counter.takeUnsent();
        if (!unsent.isEmpty()) {
            List<ClusterCounters.Unsent> totals;
            try {
                totals = store.add(counter.bucket(), unsent);
            } catch (RuntimeException e) {
                counter.notWritten(unsent);
                throw e;
            }
            counter.clusterTotals(totals);
        }
        counter.clusterTotals(store.nearLimit(counter.bucket(), counter.oldestWindowStart(), counter.nearLimit(),
                MAX_READ_BACK));
    }

    private void cleanUp() {
        failedAuthentications.forgetOld();
        for (ClusterCounters counter : counters) {
            counter.forgetIdle();
            if (counter.enabled()) {
                store.deleteBefore(counter.bucket(), counter.oldestWindowStart());
            }
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
