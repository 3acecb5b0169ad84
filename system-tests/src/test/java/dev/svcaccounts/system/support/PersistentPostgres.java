package dev.svcaccounts.system.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A PostgreSQL whose data directory outlives it, for restart tests: {@link #start()} runs the server on the
 * directory (initdb only the first time), {@link #stop()} shuts it down and waits until the postmaster is gone,
 * after which {@link #start()} brings the same cluster back on the same port. It can also be frozen (SIGSTOP) and
 * killed (SIGKILL), as the faults a database server meets in production.
 *
 * <p>The directory must not sit inside zonky's working folder ({@code $TMPDIR/embedded-pg}): zonky deletes
 * stale-looking children of it at every start.
 */
public final class PersistentPostgres implements AutoCloseable {

    private final Path root;
    private final Path dataDirectory;
    private final int port;
    private final Map<String, String> serverConfig = new LinkedHashMap<>();
    private EmbeddedPostgres server;
    private boolean frozen;

    public PersistentPostgres() throws IOException {
        this(Map.of());
    }

    /** With these settings of postgresql.conf (say {@code max_connections}) on every start. */
    public PersistentPostgres(Map<String, String> serverConfig) throws IOException {
        this.serverConfig.putAll(serverConfig);
        root = Files.createTempDirectory("system-tests-persistent-pg-");
        dataDirectory = root.resolve("cluster");
        port = Ports.reserve();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already running");
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory.toFile())
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60));
        serverConfig.forEach(builder::setServerConfig);
        server = builder.start();
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

    public int port() {
        return port;
    }

    /**
     * SIGSTOP to the postmaster and every backend: the server is frozen, as under a stuck storage or a paused VM.
     * Connections stay open, nothing answers. Always {@link #thaw()} afterwards (close() does).
     */
    public synchronized void freeze() {
        // the postmaster first, so that it forks no backend the listing below would miss; then its children, again
        // until a listing finds none not yet stopped (one forked just before the postmaster stopped)
        List<ProcessHandle> all = processes();
        signal("STOP", all.subList(0, 1));
        Set<Long> stopped = new HashSet<>(Set.of(all.get(0).pid()));
        List<ProcessHandle> more;
        do {
            more = processes().stream().filter(p -> !stopped.contains(p.pid())).toList();
            if (!more.isEmpty()) {
                signal("STOP", more);
                more.forEach(p -> stopped.add(p.pid()));
            }
        } while (!more.isEmpty());
        // a signal is delivered when its process next runs, and one inside a system call (an fsync) finishes it
        // first: the freeze holds only once every process is seen stopped
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!processes().stream().allMatch(PersistentPostgres::isStopped)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL's processes did not all stop");
            }
            Thread.onSpinWait();
        }
        frozen = true;
    }

    /** Whether /proc says the process is stopped by a signal (T), exited and not yet reaped (Z, X), or gone. */
    private static boolean isStopped(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'T' || state == 'Z' || state == 'X';
        } catch (IOException gone) {
            return true;
        }
    }

    /** SIGCONT to every process of the server: it carries on where it stopped. */
    public synchronized void thaw() {
        if (frozen) {
            signal("CONT", processes());
            frozen = false;
        }
    }

    /**
     * SIGKILL to the postmaster and every backend, as {@code kill -9} or a crashed machine would; waits until all
     * are gone. {@link #start()} then runs crash recovery on the same directory.
     */
    public synchronized void kill() {
        if (server == null) {
            return;
        }
        List<ProcessHandle> all = processes();
        signal("KILL", all);
        all.forEach(p -> p.onExit().join());
        try {
            server.close(); // only releases zonky's lock file: its pg_ctl stop finds no server
        } catch (IOException e) {
            // nothing more to release
        }
        server = null;
        try {
            Files.deleteIfExists(dataDirectory.resolve("postmaster.pid"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The postmaster (its pid is the first line of postmaster.pid) and its children: backends, checkpointer... */
    private List<ProcessHandle> processes() {
        if (server == null) {
            throw new IllegalStateException("not running");
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("no postmaster with pid " + pid));
        List<ProcessHandle> all = new ArrayList<>();
        all.add(postmaster);
        postmaster.descendants().forEach(all::add);
        return all;
    }

    private static void signal(String signal, List<ProcessHandle> processes) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes());
            if (kill.waitFor() != 0 && !signal.equals("KILL")) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        thaw();
        stop();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
