package dev.svcaccounts.infra.startup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Holds an application's start, before its migrations run, until what it needs is there: PostgreSQL accepting
 * connections, and the tables of the other side it reads ({@code svcaccounts.startup.required-tables}; the
 * query side reads the command side's event store and credential tables). So the processes of a deployment may
 * start in any order: a node that comes first waits, saying what for, instead of crashing or serving errors.
 * After {@code svcaccounts.startup.timeout} it gives up and the process exits with the reason.
 */
@Configuration(proxyBeanMethods = false)
public class StartupGate {

    private static final Logger log = LoggerFactory.getLogger(StartupGate.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    @Bean
    FlywayMigrationStrategy waitThenMigrate(
            DataSourceProperties database,
            @Value("${svcaccounts.startup.timeout:5m}") Duration timeout,
            @Value("${svcaccounts.startup.required-tables:}") List<String> requiredTables) {
        return flyway -> {
            await(() -> connect(database), requiredTables, timeout, Clock.systemUTC());
            flyway.migrate();
        };
    }

    /** A plain connection, not from the pool, whose failed starts would log a stack trace on every try. */
    private static Connection connect(DataSourceProperties database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", database.determineUsername());
        if (database.determinePassword() != null) {
            properties.setProperty("password", database.determinePassword());
        }
        properties.setProperty("connectTimeout", "5");
        // a frozen server accepts the connection but never answers: try again rather than hang
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("socketTimeout", "10");
        return DriverManager.getConnection(database.determineUrl(), properties);
    }

    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    static void await(ConnectionSource connections, List<String> requiredTables, Duration timeout, Clock clock) {
        Instant start = clock.instant();
        Instant nextReport = start;
        while (true) {
            String missing = missing(connections, requiredTables);
            if (missing == null) {
                if (clock.instant().isAfter(start.plusSeconds(1))) {
                    log.info("Database ready after {} s", Duration.between(start, clock.instant()).toSeconds());
                }
                return;
            }
            Instant now = clock.instant();
            if (now.isAfter(start.plus(timeout))) {
                throw new IllegalStateException("Gave up after " + timeout.toSeconds() + " s waiting for " + missing
                        + " (svcaccounts.startup.timeout)");
            }
            if (!now.isBefore(nextReport)) {
                log.info("Waiting for {}", missing);
                nextReport = now.plus(REPORT_EVERY);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + missing, e);
            }
        }
    }

    /** What is not there yet, in words; null when everything is. */
    private static String missing(ConnectionSource connections, List<String> requiredTables) {
        try (Connection connection = connections.open();
             PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            List<String> absent = new ArrayList<>();
            for (String table : requiredTables) {
                exists.setString(1, table);
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        absent.add(table);
                    }
                }
            }
            return absent.isEmpty() ? null : "tables " + absent + " (created by the command side's migrations)";
        } catch (SQLException e) {
            return "the database (" + e.getMessage() + ")";
        }
    }
}
