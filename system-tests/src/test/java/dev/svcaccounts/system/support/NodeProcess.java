package dev.svcaccounts.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One application as a real operating-system process: {@code java -Xmx256m -jar <module>-exec.jar}, configured
 * only through the environment, as a deployment would run it, with its console output in a log file. Unlike
 * {@link RunningSystem} (both applications inside the test JVM), processes can be killed with SIGKILL and share
 * nothing but the database, so what holds between them holds between machines.
 *
 * <p>Every process started here is destroyed by {@link #close()}, and, should the test JVM end first, by a
 * shutdown hook. A node keeps its port across {@link #restart()}, as a node behind a load balancer would.
 */
public final class NodeProcess implements AutoCloseable {

    /**
     * The two applications, by Maven module; and {@code interop-resource-server}, a stock Spring Boot resource server
     * that is not ours (ResourceServerIT).
     */
    public enum Kind {
        COMMAND("command-side", "COMMAND_PORT"),
        QUERY("query-side", "QUERY_PORT"),
        RESOURCE_SERVER("interop-resource-server", "SERVER_PORT");

        private final String module;
        private final String portVariable;

        Kind(String module, String portVariable) {
            this.module = module;
            this.portVariable = portVariable;
        }

        public String module() {
            return module;
        }
    }

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(NodeProcess::killTree),
                "kill-node-processes"));
    }

    private final String name;
    private final Kind kind;
    private final Path jar;
    private final Path logDirectory;
    private final int port;
    private final Map<String, String> environment;
    private Process process;
    private Path logFile;
    private int starts;

    private NodeProcess(String name, Kind kind, Path jar, Path logDirectory, int port,
                        Map<String, String> environment) {
        this.name = name;
        this.kind = kind;
        this.jar = jar;
        this.logDirectory = logDirectory;
        this.port = port;
        this.environment = environment;
    }

    /**
     * Starts {@code kind}'s executable jar as process {@code name} on a free loopback port; {@code environment}
     * adds to (and overrides) the test JVM's. Returns once the process runs, not once it serves: see
     * {@link #awaitHealthy}.
     */
    public static NodeProcess start(String name, Kind kind, Path logDirectory, Map<String, String> environment) {
        NodeProcess node = new NodeProcess(name, kind, executableJar(kind), logDirectory, freePort(),
                new LinkedHashMap<>(environment));
        node.launch();
        return node;
    }

    /**
     * The module's Spring Boot executable jar ({@code <module>/target/<module>-<version>-exec.jar}), built by the
     * package phase of the same reactor run; found next to this module's directory.
     */
    public static Path executableJar(Kind kind) {
        Path target = modulesDirectory().resolve(kind.module).resolve("target");
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(target, kind.module + "-*-exec.jar")) {
                found.forEach(jars::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (jars.size() != 1) {
            throw new IllegalStateException("expected one " + kind.module + "-*-exec.jar in " + target + ", found "
                    + jars + ": build it first (mvn -B verify from the repository root packages every module)");
        }
        return jars.get(0);
    }

    /** The repository root: the parent of the system-tests module (failsafe sets {@code basedir} to the module). */
    private static Path modulesDirectory() {
        Path module = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        return module.getParent();
    }

    private synchronized void launch() {
        starts++;
        logFile = logDirectory.resolve(name + (starts == 1 ? "" : "-start" + starts) + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().putAll(RunningSystem.THROTTLES_OUT_OF_THE_WAY_ENV); // unless environment says
        builder.environment().putAll(RunningSystem.SIGNING_ENV);
        builder.environment().putAll(environment);
        builder.environment().put(kind.portVariable, Integer.toString(port));
        builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
        try {
            Files.createDirectories(logDirectory);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        LIVE.add(process);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized Path logFile() {
        return logFile;
    }

    /**
     * Axon's JDBC token store marks each claimed segment with its owner, by default the JVM's runtime name,
     * {@code <pid>@<host>}: does {@code owner} name this process (as it runs now)?
     */
    public synchronized boolean owns(String owner) {
        return owner != null && process != null && owner.startsWith(process.pid() + "@");
    }

    /** Until {@code /actuator/health} answers 200 UP; fails early, with the end of the log, if the process exits. */
    public Duration awaitHealthy(Duration atMost) {
        Instant start = Instant.now();
        Instant deadline = start.plus(atMost);
        while (Instant.now().isBefore(deadline)) {
            if (!isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was healthy:\n"
                        + logTail(40));
            }
            if (isHealthy()) {
                return Duration.between(start, Instant.now());
            }
            sleep(Duration.ofMillis(250));
        }
        throw new AssertionError(name + " not healthy after " + atMost.toSeconds() + " s:\n" + logTail(40));
    }

    public boolean isHealthy() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Until the log holds a line containing {@code text}; false after {@code atMost}, or when the process ends. */
    public boolean awaitLog(String text, Duration atMost) {
        Instant deadline = Instant.now().plus(atMost);
        while (Instant.now().isBefore(deadline) && isAlive()) {
            if (log().contains(text)) {
                return true;
            }
            sleep(Duration.ofMillis(200));
        }
        return log().contains(text);
    }

    /** The console output of the current (or last) run so far. */
    public synchronized String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** SIGKILL (on Linux {@link Process#destroyForcibly()} is {@code kill -9}): no shutdown hook, no cleanup. */
    public synchronized void kill() {
        killTree(process);
        waitFor(process, Duration.ofSeconds(10));
        LIVE.remove(process);
    }

    /** SIGTERM, as an orchestrator stops a node; SIGKILL if it has not ended after {@code grace}. */
    public synchronized void stop(Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(process, grace)) {
            killTree(process);
            waitFor(process, Duration.ofSeconds(10));
        }
        LIVE.remove(process);
    }

    /** Starts the same application again, on the same port with the same settings (a new log file). */
    public synchronized void restart() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return name + " (pid " + (process == null ? "-" : process.pid()) + ", " + baseUrl() + ")";
    }

    private static void killTree(Process process) {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static boolean waitFor(Process process, Duration atMost) {
        try {
            return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A loopback port nobody listens on, kept for this JVM's nodes ({@link Ports}): a node binds it later. */
    public static int freePort() {
        return Ports.reserve();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
