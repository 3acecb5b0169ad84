package dev.svcaccounts.query.projection;

import dev.svcaccounts.query.processor.ProcessorProgress;
import dev.svcaccounts.query.processor.TrackingPositions;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.messaging.StreamableMessageSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Carries out the replays in {@code projection_replay} on this node, in step with the other query nodes, which do
 * the same every half second:
 * <ol>
 *   <li>pausing: stop this node's processor of the group (Axon releases its claims), then try the reset. Axon's
 *       reset claims every segment, so it succeeds only on the first node to try after all have let go (or their
 *       claims have timed out: a dead node delays it by the claim timeout, no more). The row lock and the state
 *       check make it happen once; the reset, the cleared read model and the new state commit together.</li>
 *   <li>replaying: start the processor again where it was paused; log progress, one node per interval; once the
 *       token store shows every segment at the reset position, mark it finished and log how long it took.</li>
 *   <li>a group with a {@link BulkRebuild} (the audit) is not replayed by its processor: every node keeps it stopped
 *       while one node loads it in bulk ({@link BulkReplay}) up to a settled position at or past the reset position;
 *       then the replay is finished as above and the processors go on live from there.</li>
 *   <li>a group still pausing after the pause timeout is abandoned, so no replay keeps a group stopped.</li>
 * </ol>
 * Nothing here is held in memory that another node or a restart would need: a node killed at any point leaves
 * either the old tokens or the replay tokens, and whoever runs next carries on from there.
 */
@Component
class ReplayCoordinator {

    private static final Logger log = LoggerFactory.getLogger(ReplayCoordinator.class);

    private final ProcessorProgress processors;
    private final TrackingPositions positions;
    private final ReplayTable replays;
    private final ProjectionStatuses statuses;
    private final TokenStore tokenStore;
    private final TransactionTemplate transaction;
    private final Duration checkInterval;
    private final Duration progressInterval;
    private final Duration pauseTimeout;
    /** The bulk rebuilds by processing group; empty when disabled. */
    private final Map<String, BulkRebuild> bulk = new ConcurrentHashMap<>();
    private final BulkReplay bulkReplay;
    /** Groups this node is loading in bulk now. */
    private final Set<String> loadingHere = ConcurrentHashMap.newKeySet();
    private final ExecutorService loader = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "projection-bulk-replay");
        thread.setDaemon(true);
        return thread;
    });
    /** As the token store names this node, so that reset_by matches the owners of the segments. */
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    /** Groups whose processor this node stopped for a replay, to start again once it is reset or abandoned. */
    private final Set<String> pausedHere = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "projection-replays");
        thread.setDaemon(true);
        return thread;
    });

    ReplayCoordinator(ProcessorProgress processors, TrackingPositions positions, ReplayTable replays,
                      ProjectionStatuses statuses, TokenStore tokenStore, PlatformTransactionManager transactions,
                      @Value("${svcaccounts.replay.check-interval:500ms}") Duration checkInterval,
                      @Value("${svcaccounts.replay.progress-log-interval:5s}") Duration progressInterval,
                      @Value("${svcaccounts.replay.pause-timeout:60s}") Duration pauseTimeout,
                      BulkReplay bulkReplay, List<BulkRebuild> rebuilds,
                      @Value("${svcaccounts.replay.bulk.enabled:true}") boolean bulkEnabled) {
        this.processors = processors;
        this.positions = positions;
        this.replays = replays;
        this.statuses = statuses;
        this.tokenStore = tokenStore;
        this.transaction = new TransactionTemplate(transactions);
        this.checkInterval = checkInterval;
        this.progressInterval = progressInterval;
        this.pauseTimeout = pauseTimeout;
        this.bulkReplay = bulkReplay;
        if (bulkEnabled) {
            rebuilds.forEach(rebuild -> bulk.put(rebuild.processingGroup(), rebuild));
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        executor.scheduleWithFixedDelay(this::check, 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Before Axon stops the processors, so that none is started again while the application closes. */
    @EventListener(ContextClosedEvent.class)
    void stop() throws InterruptedException {
        executor.shutdownNow();
        loader.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        loader.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** Checks at once rather than at the next interval (a replay was just asked for on this node). */
    void checkSoon() {
        if (!executor.isShutdown()) {
            executor.execute(this::check);
        }
    }

    private void check() {
        try {
            Map<String, Replay> running = replays.running();
            processors.processors().forEach((group, processor) -> check(group, processor, running.get(group)));
        } catch (RuntimeException e) {
            // the database may be away for a while; paused groups stay paused until it is back
            log.debug("Could not read the replays: {}", e.getMessage());
        }
    }

    private void check(String group, StreamingEventProcessor processor, Replay replay) {
        try {
            if (replay != null && replay.state() == ReplayState.PAUSING) {
                pauseAndReset(group, processor, replay);
            } else if (replay != null && replay.state() == ReplayState.REPLAYING && bulk.containsKey(group)
                    && !progress(group, replay).over()) {
                holdStopped(group, processor);
                loadInBulk(group, processor);
                follow(group, replay);
            } else {
                resume(group, processor);
                if (replay != null) {
                    follow(group, replay);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Replay of '{}': check failed, trying again in {} ms: {}", group, checkInterval.toMillis(),
                    e.toString());
        }
    }

    private void pauseAndReset(String group, StreamingEventProcessor processor, Replay replay) {
        if (replays.abandonIfPausedLongerThan(replay.id(), pauseTimeout,
                "The query nodes did not all let go of the processing group within " + pauseTimeout.toSeconds()
                        + " s.")) {
            log.warn("Replay of '{}' abandoned: not every query node let go of it within {} s; resuming it unchanged",
                    group, pauseTimeout.toSeconds());
            resume(group, processor);
            return;
        }
        if (pausedHere.add(group) || processor.isRunning()) {
            log.info("Replay of '{}' requested by {}: stopping it on this node ({})", group, replay.requestedBy(),
                    node);
            processor.shutDown();
        }
        try {
            Optional<Replay> reset = transaction.execute(status -> {
                if (!replays.lockForReset(replay.id())) {
                    return Optional.<Replay>empty();
                }
                long head = statuses.head();
                processor.resetTokens(StreamableMessageSource::createTailToken);
                // the reset claimed every segment for this node; let whichever node comes first take them
                for (int segment : tokenStore.fetchSegments(group)) {
                    tokenStore.releaseClaim(group, segment);
                }
                return Optional.of(replays.markReset(replay.id(), head, node));
            });
            reset.ifPresent(r -> log.info(
                    "Replay of '{}' started: read model cleared, {} events to replay from the first",
                    group, count(r.resetPosition())));
        } catch (UnableToClaimTokenException e) {
            log.debug("Replay of '{}': waiting for the other nodes to let go ({})", group, e.getMessage());
        }
    }

    private void resume(String group, StreamingEventProcessor processor) {
        if (pausedHere.remove(group) && !processor.isRunning()) {
            log.info("Resuming '{}' on this node", group);
            processor.start();
        }
    }

    /** A node started during a bulk load has started its processor: it holds nothing, but must not run. */
    private void holdStopped(String group, StreamingEventProcessor processor) {
        if (pausedHere.add(group) || processor.isRunning()) {
            log.info("Replay of '{}': rebuilt in bulk; its processor stays stopped on this node ({}) until then",
                    group, node);
            processor.shutDown();
        }
    }

    /** Starts this node's bulk load of the group unless it runs already; another node's, if any, makes it wait. */
    private void loadInBulk(String group, StreamingEventProcessor processor) {
        if (!(processor instanceof AbstractEventProcessor handlers) || !loadingHere.add(group)) {
            return;
        }
        try {
            loader.execute(() -> {
                try {
                    BulkReplay.Outcome outcome = bulkReplay.load(bulk.get(group), handlers.eventHandlerInvoker(),
                            node);
                    log.debug("Replay of '{}': bulk load {}", group, outcome);
                } catch (Exception e) {
                    log.warn("Replay of '{}': bulk load failed, trying again: {}", group, e.toString());
                } finally {
                    loadingHere.remove(group);
                }
            });
        } catch (RuntimeException e) {
            loadingHere.remove(group); // shutting down
        }
    }

    private ReplayProgress progress(String group, Replay replay) {
        return ReplayProgress.of(positions.segments(group), replay.resetPosition());
    }

    private void follow(String group, Replay replay) {
        ReplayProgress progress = progress(group, replay);
        if (progress.over()) {
            replays.finish(replay.id()).ifPresent(finished -> log.info(
                    "Replay of '{}' finished: {} events in {} (requested by {})", group,
                    count(progress.resetPosition()), took(finished), finished.requestedBy()));
        } else if (replays.claimProgressLine(replay.id(), progressInterval)) {
            log.info("Replay of '{}': {} of {} events ({}%)", group, count(Math.max(0, progress.position())),
                    count(progress.resetPosition()), progress.percent());
        }
    }

    private static String count(long events) {
        return String.format(Locale.ROOT, "%,d", events);
    }

    private static String took(Replay finished) {
        Duration took = Duration.between(finished.startedAt(), finished.endedAt());
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }
}
