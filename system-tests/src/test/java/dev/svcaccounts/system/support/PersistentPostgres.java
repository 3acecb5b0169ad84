package dev.svcaccounts.system.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A PostgreSQL whose data directory outlives it, for restart tests: {@link #start()} runs the server on the
 * directory (initdb only the first time), {@link #stop()} shuts it down and waits until the postmaster is gone,
 * after which {@link #start()} brings the same cluster back on the same port.
 *
 * <p>The directory must not sit inside zonky's working folder ({@code $TMPDIR/embedded-pg}): zonky deletes
 * stale-looking children of it at every start.
 */
public final class PersistentPostgres implements AutoCloseable {

    private final Path root;
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    public PersistentPostgres() throws IOException {
        root = Files.createTempDirectory("system-tests-persistent-pg-");
        dataDirectory = root.resolve("cluster");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        server = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory.toFile())
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }

    /** Creates the database on the running server (once) and says how to reach it. */
    public Database createDatabase(String name) {
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return database(name);
    }

    public Database database(String name) {
        return new Database("jdbc:postgresql://localhost:" + port + "/" + name, "postgres", "");
    }

    /** Fast shutdown (pg_ctl stop -m fast), then waits for postmaster.pid to go: the cluster is closed cleanly. */
    public synchronized void stop() throws IOException {
        if (server == null) {
            return;
        }
        server.close();
        server = null;
        Path pid = dataDirectory.resolve("postmaster.pid");
        Eventually.untilAsserted(Duration.ofSeconds(60),
                () -> org.assertj.core.api.Assertions.assertThat(pid).as("postmaster gone").doesNotExist());
    }

    @Override
    public void close() throws IOException {
        stop();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
