package dev.svcaccounts.system.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL 17 (zonky) per test JVM, started on first use, and a fresh database in it for every
 * caller, so test classes never see each other's data. The server is stopped by zonky's shutdown hook.
 */
public final class TestDatabases {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestDatabases() {
    }

    /** A new, empty database; {@code label} only makes its name readable in logs. */
    public static synchronized Database fresh(String label) {
        EmbeddedPostgres postgres = server();
        String name = ("t" + COUNTER.incrementAndGet() + "_" + label).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        name = name.length() > 60 ? name.substring(0, 60) : name;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return new Database("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", "");
    }

    private static EmbeddedPostgres server() {
        if (server == null) {
            try {
                // zonky's own choice of port is free when chosen, not when the server binds it after initdb
                server = EmbeddedPostgres.builder().setPort(Ports.reserve()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
        }
        return server;
    }
}
