package dev.svcaccounts.infra.database;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The "db" part of {@code /actuator/health} (it replaces Spring Boot's, named alike): {@code SELECT 1} through the
 * pool, DOWN unless it answers within {@code svcaccounts.database.health-timeout} (2 s). A frozen or silently
 * unreachable database therefore shows DOWN well within a probe's usual 5 s timeout, instead of after the pool's
 * and the driver's timeouts. At most one check runs at a time: while one is stuck, the others report DOWN at once.
 */
@Component("dbHealthIndicator")
public class DatabaseHealth implements HealthIndicator {

    private final JdbcTemplate jdbc;
    private final Duration timeout;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "database-health");
        thread.setDaemon(true);
        return thread;
    });
    private CompletableFuture<Integer> running;

    public DatabaseHealth(JdbcTemplate jdbc, @Value("${svcaccounts.database.health-timeout:2s}") Duration timeout) {
        this.jdbc = jdbc;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        CompletableFuture<Integer> check = check();
        try {
            check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Health.up().withDetail("database", "PostgreSQL").build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("error", "no answer within " + timeout.toMillis() + " ms").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", String.valueOf(e.getCause().getMessage())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }

    private synchronized CompletableFuture<Integer> check() {
        if (running == null || running.isDone()) {
            running = CompletableFuture.supplyAsync(() -> jdbc.queryForObject("SELECT 1", Integer.class), checker);
        }
        return running;
    }
}
