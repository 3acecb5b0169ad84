package dev.svcaccounts.infra.metrics;

import dev.svcaccounts.infra.database.DatabaseHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code svcaccounts_database_up}: 1 when this node's "db" health check ({@link DatabaseHealth}: {@code SELECT 1}
 * through the pool within 2 s) passes at the scrape, else 0. Unlike a count of 503 answers it says so even when no
 * request comes in. A scrape while the database is frozen takes up to those 2 s.
 */
@Component
class DatabaseUpGauge {

    DatabaseUpGauge(DatabaseHealth health, MeterRegistry registry) {
        Gauge.builder("svcaccounts.database.up", health, h -> Status.UP.equals(h.health().getStatus()) ? 1 : 0)
                .description("1 when this node reaches PostgreSQL (SELECT 1 within the health timeout), else 0")
                .register(registry);
    }
}
