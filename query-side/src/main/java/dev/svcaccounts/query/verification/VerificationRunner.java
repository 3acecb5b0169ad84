package dev.svcaccounts.query.verification;

import dev.svcaccounts.query.integrity.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the verifications of {@code audit_verification} on whichever query node takes one first. Every node, every
 * check interval: abandons a running verification whose node has not reported within the lease (it died), and takes
 * one no node has taken yet (the node asked takes it at once). The node running one reports its progress, which is
 * its heartbeat, every few thousand events; a node that is stopped abandons its own, saying so. A database failure
 * ends the verification as {@code error}, never leaves it running.
 */
@Component
class VerificationRunner {

    private static final Logger log = LoggerFactory.getLogger(VerificationRunner.class);

    /** Thrown from a progress report to stop a run that is no longer this node's, or when the node stops. */
    private static final class Stopped extends RuntimeException {
        Stopped(String message) {
            super(message, null, false, false);
        }
    }

    private final VerificationTable table;
    private final StoreVerifier verifier;
    private final SigningKey key;
    private final TransactionTemplate ownTransaction;
    private final Duration lease;
    private final Duration checkInterval;
    /** pid@host and a random part: several query nodes may share one JVM (the system tests). */
    private final String node = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "audit-verification");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopping;

    VerificationRunner(VerificationTable table, StoreVerifier verifier, SigningKey key,
                       PlatformTransactionManager transactions,
                       @Value("${svcaccounts.audit.verification.lease:60s}") Duration lease,
                       @Value("${svcaccounts.audit.verification.check-interval:5s}") Duration checkInterval) {
        this.table = table;
        this.verifier = verifier;
        this.key = key;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.lease = lease;
        this.checkInterval = checkInterval;
    }

    Duration lease() {
        return lease;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        executor.scheduleWithFixedDelay(this::check, checkInterval.toMillis(), checkInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @EventListener(ContextClosedEvent.class)
    void stop() throws InterruptedException {
        stopping = true;
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** Looks at once rather than at the next interval (a verification was just asked for on this node). */
    void checkSoon() {
        if (!executor.isShutdown()) {
            executor.execute(this::check);
        }
    }

    private void check() {
        if (stopping) {
            return;
        }
        Optional<String> taken;
        try {
            if (table.abandonStale(lease)) {
                log.warn("Audit verification abandoned: its node stopped reporting for {} s", lease.toSeconds());
            }
            taken = table.claim(node);
        } catch (DataAccessException e) {
            log.debug("Could not look for audit verifications: {}", e.getMessage());
            return;
        }
        taken.ifPresent(this::run);
    }

    private void run(String id) {
        log.info("Audit verification {} started on this node", id);
        long started = System.nanoTime();
        try {
            StoreVerifier.Outcome outcome = verifier.verify(key.trustedKeys(), (checked, total, checkpoints) -> {
                if (stopping) {
                    throw new Stopped("The query node running it was stopped; ask for a new verification.");
                }
                if (!Boolean.TRUE.equals(ownTransaction.execute(s -> table.progress(id, node, checked, total,
                        checkpoints)))) {
                    throw new Stopped(null);
                }
            });
            ownTransaction.executeWithoutResult(s -> table.finish(id, node, outcome));
            String took = String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9);
            if (outcome.failure() == null) {
                log.info("Audit verification {} passed: {} events, {} checkpoints in {} s", id,
                        outcome.checkedEvents(), outcome.checkpointsChecked(), took);
            } else {
                log.warn("Audit verification {} FAILED after {} events, {} checkpoints in {} s; first failure: {}", id,
                        outcome.checkedEvents(), outcome.checkpointsChecked(), took, outcome.failure());
            }
        } catch (Stopped e) {
            if (e.getMessage() != null) {
                endQuietly(id, Verification.ABANDONED, e.getMessage());
            }
            log.warn("Audit verification {} stopped on this node", id);
        } catch (RuntimeException e) {
            log.warn("Audit verification {} ended by an error: {}", id, e.toString());
            endQuietly(id, Verification.ERROR, "The verification could not finish: " + describe(e)
                    + ". Ask for a new one once the database answers again.");
        }
    }

    private void endQuietly(String id, String status, String message) {
        try {
            ownTransaction.executeWithoutResult(s -> table.end(id, node, status, message));
        } catch (RuntimeException e) {
            log.warn("Audit verification {}: could not record its end ({}); it is abandoned after {} s", id,
                    e.toString(), lease.toSeconds());
        }
    }

    private static String describe(RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
