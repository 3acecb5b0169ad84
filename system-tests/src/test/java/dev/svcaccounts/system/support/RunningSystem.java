package dev.svcaccounts.system.support;

import dev.svcaccounts.command.CommandSideApplication;
import dev.svcaccounts.events.integrity.CheckpointKeys;
import dev.svcaccounts.query.QuerySideApplication;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Both applications, started in this JVM on random ports against one database: the command side first (its
 * Flyway creates the event store the query side reads), then the query side. Closing stops them in reverse.
 *
 * <p>Settings are passed as command-line arguments, which outrank the applications' own files. Both applications
 * log through the JVM's single Logback set-up, so every console line carries the first one's name.
 */
public final class RunningSystem implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    /** The operator credential of every system a test starts: random per JVM, 32+ characters, no spaces. */
    public static final String OPERATOR_TOKEN = "operator-credential-" + HexFormat.of().formatHex(randomBytes(24));

    /**
     * The checkpoint signing key of every system a test starts (one per JVM, mode 600), given to each query node as
     * AUDIT_SIGNING_KEY_FILE, with checkpoints at least every second so tests need not wait for them.
     */
    public static final CheckpointKeys SIGNING_KEYS = CheckpointKeys.generate();
    public static final Path SIGNING_KEY_FILE = writeKeyFile(SIGNING_KEYS);
    public static final Map<String, String> SIGNING = Map.of(
            "svcaccounts.audit.signing-key-file", SIGNING_KEY_FILE.toString(),
            "svcaccounts.audit.checkpoint-interval", "1s");
    /** The same for a node run as a process ({@link NodeProcess}), as environment variables. */
    public static final Map<String, String> SIGNING_ENV = Map.of(
            "AUDIT_SIGNING_KEY_FILE", SIGNING_KEY_FILE.toString(), "AUDIT_CHECKPOINT_INTERVAL", "1s");

    /**
     * The throttles of every system started here unless a test sets its own (WriteRateLimitIT,
     * FailedAuthenticationThrottleIT): raised, not off, so that they stay in the path of every request. At their
     * defaults (600 writes a minute per principal, 100 failed authentications a minute per address) whether a test
     * meets them depends on how fast the machine runs it: RevocationRaceIT's writes after the revocation each count
     * as a failed authentication of 127.0.0.1, a slow run makes more of them, and one 429 among them fails it; and a
     * test whose admin sets up many targets writes the faster, the faster the machine.
     */
    public static final Map<String, String> THROTTLES_OUT_OF_THE_WAY = Map.of(
            "svcaccounts.throttle.writes.limit", "1000000",
            "svcaccounts.throttle.failed-authentications.limit", "1000000",
            "svcaccounts.throttle.leak-reports.limit", "1000000",
            "svcaccounts.throttle.token-exchanges.limit", "1000000");
    /** The same for a node run as a process ({@link NodeProcess}), as environment variables. */
    public static final Map<String, String> THROTTLES_OUT_OF_THE_WAY_ENV = Map.of(
            "WRITE_RATE_LIMIT", "1000000", "AUTH_FAILURE_LIMIT", "1000000", "LEAK_REPORT_LIMIT", "1000000",
            "TOKEN_EXCHANGE_REFUSAL_LIMIT", "1000000");

    /** Set only for {@link #perTestClass}: names the fresh database started before the class's tests. */
    private final String testClassLabel;
    /** Settings of both applications beyond the defaults, as command-line arguments ({@code --name=value}). */
    private final String[] settings;
    private Database database;
    private ConfigurableApplicationContext commandSide;
    private ConfigurableApplicationContext querySide;
    private final List<ConfigurableApplicationContext> extraCommandNodes = new ArrayList<>();
    private Api api;

    private RunningSystem(String testClassLabel, String... settings) {
        this.testClassLabel = testClassLabel;
        this.settings = settings;
    }

    private void startOn(Database database, boolean withQuerySide) {
        this.database = database;
        try {
            commandSide = startCommandSide(database, settings);
            if (withQuerySide) {
                querySide = startQuerySide(database, settings);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        api = new Api(baseUrl(commandSide), querySide == null ? null : baseUrl(querySide), OPERATOR_TOKEN);
    }

    /** Command side, then query side, both on {@code database}. */
    public static RunningSystem start(Database database) {
        RunningSystem system = new RunningSystem(null);
        system.startOn(database, true);
        return system;
    }

    /**
     * For a {@code static} {@code @RegisterExtension} field: both applications on a fresh database named after
     * {@code label}, started before the test class's {@code @BeforeAll} methods and stopped after all its tests.
     */
    public static RunningSystem perTestClass(String label) {
        return new RunningSystem(label);
    }

    /** As {@link #perTestClass(String)}, both applications with these settings ({@code --name=value}). */
    public static RunningSystem perTestClass(String label, String... settings) {
        return new RunningSystem(label, settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (testClassLabel == null) {
            throw new IllegalStateException("register RunningSystem.perTestClass(...) as the extension");
        }
        startOn(TestDatabases.fresh(testClassLabel), true);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public Api api() {
        return api;
    }

    public Database database() {
        return database;
    }

    public ConfigurableApplicationContext commandSide() {
        return commandSide;
    }

    public ConfigurableApplicationContext querySide() {
        if (querySide == null) {
            throw new IllegalStateException("the query side was not started");
        }
        return querySide;
    }

    public String commandUrl() {
        return baseUrl(commandSide);
    }

    public String queryUrl() {
        return baseUrl(querySide());
    }

    /** A streaming event processor of the query side, by processing group name (see {@link #QUERY_PROCESSORS}). */
    public StreamingEventProcessor queryProcessor(String name) {
        return querySide().getBean(EventProcessingConfiguration.class)
                .eventProcessor(name, StreamingEventProcessor.class)
                .orElseThrow(() -> new AssertionError("the query side has no streaming processor '" + name + "'"));
    }

    /**
     * Starts one more command side on the same database, as a second node behind a load balancer would be, and
     * returns a client whose command requests go to it (reads still go to the query side). Stopped by close().
     */
    public Api addCommandNode() {
        ConfigurableApplicationContext node = startCommandSide(database, settings);
        extraCommandNodes.add(node);
        return new Api(baseUrl(node), querySide == null ? null : baseUrl(querySide), OPERATOR_TOKEN);
    }

    /** The query side's streaming processors, by processing group name. */
    public static final List<String> QUERY_PROCESSORS = List.of("service-accounts", "audit", "members", "projects");

    /** Each query processor's segments, as query-side.yml creates them in a new database. */
    public static final Map<String, Integer> QUERY_SEGMENTS = Map.of("service-accounts", 4, "audit", 4, "members", 4,
            "projects", 4);

    /** The global index of the newest event in the store (0 when empty). */
    public long eventStoreHead() {
        Long head = database.jdbc().queryForObject(
                "SELECT coalesce(max(global_index), 0) FROM command_side.domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    /** Waits until every query-side processor has handled every event now in the store. */
    public void awaitProjectionsCaughtUp() {
        awaitProjectionsCaughtUp(Eventually.READ_MODEL_LAG);
    }

    public void awaitProjectionsCaughtUp(Duration atMost) {
        long head = eventStoreHead();
        for (String name : QUERY_PROCESSORS) {
            awaitCaughtUp(queryProcessor(name), head, atMost);
        }
    }

    /**
     * Until the processor's segments together cover the whole event stream, none is replaying or in error, each
     * says it is caught up and each has reached {@code head}.
     */
    public static void awaitCaughtUp(StreamingEventProcessor processor, long head, Duration atMost) {
        Eventually.untilAsserted(atMost, () -> {
            Map<Integer, EventTrackerStatus> status = processor.processingStatus();
            assertThat(processor.isRunning()).as(processor.getName() + " running").isTrue();
            double covered = status.values().stream().mapToDouble(s -> 1.0 / (s.getSegment().getMask() + 1)).sum();
            assertThat(covered).as(processor.getName() + ": share of the stream its claimed segments cover")
                    .isCloseTo(1.0, within(1e-9));
            assertThat(status.values()).as(processor.getName() + " segments").allSatisfy(s -> {
                assertThat(s.isErrorState())
                        .as("segment " + s.getSegment().getSegmentId() + " in error: " + s.getError()).isFalse();
                assertThat(s.isReplaying()).as("segment " + s.getSegment().getSegmentId() + " replaying").isFalse();
                assertThat(s.isCaughtUp()).as("segment " + s.getSegment().getSegmentId() + " caught up").isTrue();
                assertThat(s.getCurrentPosition().orElse(-1))
                        .as("segment " + s.getSegment().getSegmentId() + " position")
                        .isGreaterThanOrEqualTo(head);
            });
        });
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        List<ConfigurableApplicationContext> contexts = new ArrayList<>(extraCommandNodes);
        contexts.add(querySide);
        contexts.add(commandSide);
        extraCommandNodes.clear();
        for (ConfigurableApplicationContext context : contexts) {
            if (context != null) {
                try {
                    context.close();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        }
        querySide = null;
        commandSide = null;
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** One command side on {@code database}, on a random port, outside any RunningSystem; the caller closes it. */
    public static ConfigurableApplicationContext startCommandSide(Database database, String... extraArguments) {
        return startApplication(Application.COMMAND, database, extraArguments);
    }

    /** One query side on {@code database}, on a random port, outside any RunningSystem; the caller closes it. */
    public static ConfigurableApplicationContext startQuerySide(Database database, String... extraArguments) {
        return startApplication(Application.QUERY, database, extraArguments);
    }

    private static ConfigurableApplicationContext startApplication(Application application, Database database,
                                                                   String... extraArguments) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", database.url());
        properties.put("spring.datasource.username", database.user());
        properties.put("spring.datasource.password", database.password());
        properties.put("server.port", "0");
        properties.put("svcaccounts.operator-token", OPERATOR_TOKEN);
        properties.putAll(THROTTLES_OUT_OF_THE_WAY);
        properties.putAll(SIGNING);
        // a setting given twice would reach Spring as "a,b": the caller's replaces the default of the same name
        List<String> others = new ArrayList<>();
        for (String argument : extraArguments) {
            int equals = argument.indexOf('=');
            if (argument.startsWith("--") && equals > 2) {
                properties.put(argument.substring(2, equals), argument.substring(equals + 1));
            } else {
                others.add(argument);
            }
        }
        // as command-line arguments: builder properties are only defaults, which lose against the application's
        // own configuration file (it sets spring.datasource.url from DATABASE_URL)
        String[] arguments = Stream.concat(properties.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue()), others.stream())
                .toArray(String[]::new);
        SpringApplicationBuilder builder = application == Application.COMMAND
                ? CommandSideApplication.application() : QuerySideApplication.application();
        return builder.listeners(new OneLoggingStartAtATime()).run(arguments);
    }

    private enum Application { COMMAND, QUERY }

    /** Where an application started here listens. */
    public static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getRequiredProperty("local.server.port");
    }

    private static Path writeKeyFile(CheckpointKeys keys) {
        try {
            Path file = Files.createTempFile("audit-signing-key", ".pem",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, keys.keyFilePem());
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
