package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Gateway;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.NodeProcess;
import dev.svcaccounts.system.support.Parallel;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two command-side and two query-side nodes as real processes ({@link NodeProcess}) on one PostgreSQL, as a
 * deployment runs them: started all at once before the database is up, commands spread over both command nodes,
 * reads over both query nodes, one query node killed with SIGKILL under write load and started again.
 *
 * <p>What must hold is asserted: exact quota and unique names across command nodes, revocation refused on every
 * node by the next request, every query node serving, every event applied to the read models exactly once (a
 * trigger installed by the test counts each committed application of an event to the audit trail, which the
 * projection's {@code ON CONFLICT DO NOTHING} would otherwise hide), and the survivor taking over a killed node's
 * segments within 15 s, and the query nodes sharing every processor's segments half and half after the start
 * and again after the killed node is back (SegmentBalancing).
 *
 * <p>The report is printed at the end and kept in {@code target/cluster-logs/report.txt}, next to each node's log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final List<String> PROCESSORS = RunningSystem.QUERY_PROCESSORS;
    private static final Map<String, Integer> SEGMENTS = RunningSystem.QUERY_SEGMENTS;
    private static final int ALL_SEGMENTS = SEGMENTS.values().stream().mapToInt(Integer::intValue).sum();
    /** The segments of every group, the audit included. */
    private static final int SPREAD_SEGMENTS = 4;
    /**
     * How long a node may take to start, or to say it waits for the database: four JVMs start at once on what may be
     * two loaded cores. A node that exits meanwhile fails the test at once, whatever the bound.
     */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    /** What the issue asks of a survivor. */
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);
    /**
     * Heartbeats every 2 s, a release, a claim interval of 1 s: a fair split within seconds (the report shows how
     * many); bounded generously, for it is the split that is asserted, not its speed on a loaded machine.
     */
    private static final Duration FAIR_SHARE_LIMIT = Duration.ofSeconds(60);
    private static final int THREADS = 16;

    private static final List<String> REPORT = Collections.synchronizedList(new ArrayList<>());
    private static final Instant TEST_START = Instant.now();

    private static Path logDirectory;
    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static NodeProcess command1;
    private static NodeProcess command2;
    private static NodeProcess query1;
    private static NodeProcess query2;
    /** Every pid a node ever had, so that token owners of a killed process still get a name in the report. */
    private static final Map<Long, String> PID_NAMES = new ConcurrentHashMap<>();

    /** Workspaces spread over all four segments, with their admin's token, for the kill and restart checks. */
    private static final Map<String, String> SPREAD = new LinkedHashMap<>();
    private static final Map<String, Set<String>> CREATED_PROJECTS = new ConcurrentHashMap<>();
    private static final Map<String, Set<String>> ADDED_MEMBERS = new ConcurrentHashMap<>();
    private static NodeProcess killed;
    private static NodeProcess survivor;

    // ------------------------------------------------------------------ start and stop

    @BeforeAll
    static void startCluster() throws Exception {
        logDirectory = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/cluster-logs");
        clean(logDirectory);
        Files.createDirectories(logDirectory);
        int databasePort = NodeProcess.freePort();
        Map<String, String> environment = Map.of(
                "DATABASE_URL", "jdbc:postgresql://localhost:" + databasePort + "/postgres",
                "DATABASE_USER", "postgres",
                "DATABASE_PASSWORD", "",
                "OPERATOR_TOKEN", RunningSystem.OPERATOR_TOKEN,
                // from a node's first attempt, while the others start, then PostgreSQL: StartupOrderIT tests giving up
                "STARTUP_TIMEOUT", "10m",
                // the write load is a few admins writing as fast as they can: raised, not off (WriteRateLimitIT)
                "WRITE_RATE_LIMIT", "1000000");
        section("Start: 2 command + 2 query nodes as processes, launched before PostgreSQL");
        report("jars: %s, %s", NodeProcess.executableJar(NodeProcess.Kind.COMMAND).getFileName(),
                NodeProcess.executableJar(NodeProcess.Kind.QUERY).getFileName());
        try {
            // in no particular order, and all before the database exists
            Map<String, String> queryEnvironment = new LinkedHashMap<>(environment);
            queryEnvironment.putAll(extraQueryEnvironment());
            query1 = started(NodeProcess.start("query-1", NodeProcess.Kind.QUERY, logDirectory, queryEnvironment));
            command1 = started(NodeProcess.start("command-1", NodeProcess.Kind.COMMAND, logDirectory, environment));
            query2 = started(NodeProcess.start("query-2", NodeProcess.Kind.QUERY, logDirectory, queryEnvironment));
            command2 = started(NodeProcess.start("command-2", NodeProcess.Kind.COMMAND, logDirectory, environment));
            for (NodeProcess node : nodes()) {
                assertThat(node.awaitLog("Waiting for the database", START_TIMEOUT))
                        .as(node + " says it waits for the database instead of failing:\n" + node.logTail(30))
                        .isTrue();
            }
            report("all four processes alive and logging 'Waiting for the database' after %s",
                    seconds(Duration.between(TEST_START, Instant.now())));

            Instant databaseStart = Instant.now();
            postgres = EmbeddedPostgres.builder().setPort(databasePort).setPGStartupWait(Duration.ofSeconds(120))
                    .start();
            jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
            report("PostgreSQL up on port %d after %s", databasePort,
                    seconds(Duration.between(databaseStart, Instant.now())));
            for (NodeProcess node : nodes()) {
                node.awaitHealthy(START_TIMEOUT);
                report("%-9s healthy %s after PostgreSQL came up (%s)", node.name(),
                        seconds(Duration.between(databaseStart, Instant.now())), node);
            }
            installApplyCounter();
        } catch (Throwable e) {
            stopCluster();
            throw e;
        }
    }

    private static boolean stopped;

    /** Always runs (JUnit calls it after a failed start too); the shutdown hook of NodeProcess backs it up. */
    @AfterAll
    static synchronized void stopCluster() {
        if (stopped) {
            return;
        }
        stopped = true;
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (NodeProcess node : nodes()) {
            stops.add(CompletableFuture.runAsync(() -> node.stop(Duration.ofSeconds(15))));
        }
        stops.forEach(CompletableFuture::join);
        if (jdbc != null && logDirectory != null) {
            try {
                Files.writeString(logDirectory.resolve("token_entry.txt"), jdbc.queryForList("""
                        SELECT processor_name, segment, owner, timestamp, token_type,
                               convert_from(token, 'UTF8') AS token
                          FROM query_side.token_entry ORDER BY processor_name, segment
                        """).stream().map(Object::toString).collect(Collectors.joining("\n")) + "\n");
            } catch (RuntimeException | IOException e) {
                report("could not dump the token table: %s", e);
            }
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                report("PostgreSQL did not stop cleanly: %s", e);
            }
        }
        section("Total time %s; node logs in %s", seconds(Duration.between(TEST_START, Instant.now())), logDirectory);
        String text = String.join("\n", REPORT);
        System.out.println("\n==================== ClusterIT report ====================\n" + text
                + "\n==========================================================\n");
        if (logDirectory != null) {
            try {
                Files.writeString(logDirectory.resolve("report.txt"), text + "\n");
            } catch (IOException e) {
                System.out.println("could not write the report: " + e);
            }
        }
    }

    // ------------------------------------------------------------------ checks

    @Test
    @Order(1)
    void sixtyParallelCreates_overBothCommandNodes_leaveExactlyFifty_andNamesStayUnique() throws Exception {
        section("Quota and unique names across command nodes");
        Api a = api(command1, query1);
        Api b = api(command2, query2);
        String ws = "quota";
        String admin = admin(a.createWorkspace(ws, "alice"));

        long burnedBefore = burnedGlobalIndexes();
        Instant start = Instant.now();
        List<Response> responses = Parallel.send(THREADS, 60, i -> (i % 2 == 0 ? a : b)
                .command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "bot-" + i)));
        Duration took = Duration.between(start, Instant.now());

        assertThat(responses).as("every answer is 201 or 409")
                .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(201, 409));
        List<Response> created = responses.stream().filter(r -> r.status() == 201).toList();
        long createdOnA = 0;
        for (int i = 0; i < responses.size(); i += 2) {
            createdOnA += responses.get(i).status() == 201 ? 1 : 0;
        }
        report("60 parallel creates (%d threads, alternating nodes) in %s: "
                        + "%d created (%d via command-1, %d via command-2), %d refused",
                THREADS, seconds(took), created.size(), createdOnA, created.size() - createdOnA,
                responses.size() - created.size());
        report("appends that lost the race to the other node and were rolled back (global-index values burned): %d",
                burnedGlobalIndexes() - burnedBefore);
        assertThat(created).as("created").hasSize(50);
        assertThat(responses.stream().filter(r -> r.status() == 409)).as("refused: quota").hasSize(10)
                .allSatisfy(r -> assertThat(r.problemCode()).isEqualTo("service-account-quota-reached"));
        assertThat(created.stream().map(r -> r.json().path("id").asText())).doesNotHaveDuplicates();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type LIKE '%ServiceAccountCreatedEvent'
                """, Integer.class, ws)).as("accounts in the event store").isEqualTo(50);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM command_side.auth_principal
                 WHERE workspace_id = ? AND principal_type = 'SERVICE_ACCOUNT'
                """, Integer.class, ws)).as("credential rows").isEqualTo(50);
        List<Long> sequence = jdbc.queryForList("""
                SELECT sequence_number FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? ORDER BY sequence_number
                """, Long.class, ws);
        for (int i = 0; i < sequence.size(); i++) {
            assertThat(sequence.get(i)).as("aggregate sequence without holes or doubles").isEqualTo(i);
        }
        assertThat((a.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "late")).send().status()))
                .as("full, on command-1").isEqualTo(409);
        assertThat((b.command("POST", serviceAccounts(ws)).token(admin).json(Map.of("name", "late")).send().status()))
                .as("full, on command-2").isEqualTo(409);

        String names = "names";
        String namesAdmin = admin(b.createWorkspace(names, "alice"));
        List<String> variants = List.of("deploy-bot", "DEPLOY-BOT", "Deploy-Bot", "dEPLOY-bOT", "DePlOy-BoT",
                "deploy-BOT", "DEPLOY-bot", "Deploy-bot", "deploy-Bot", "dePloy-boT", "DEPloy-BOt", "deplOY-boT",
                "deploy-BOt", "Deploy-BOT", "dEploy-bot", "ｄｅｐｌｏｙ-bot");
        List<Response> sameName = Parallel.send(THREADS, variants.size(), i -> (i % 2 == 0 ? a : b)
                .command("POST", serviceAccounts(names)).token(namesAdmin).json(Map.of("name", variants.get(i))));
        report("%d parallel creates of one name in different case/width over both nodes: "
                        + "%d created, %d refused as taken",
                variants.size(), sameName.stream().filter(r -> r.status() == 201).count(),
                sameName.stream()
                        .filter(r -> r.status() == 409 && r.problemCode().equals("service-account-name-taken"))
                        .count());
        assertThat(sameName.stream().filter(r -> r.status() == 201)).as("created").hasSize(1);
        assertThat(sameName.stream().filter(r -> r.status() == 409)).hasSize(variants.size() - 1)
                .allSatisfy(r -> assertThat(r.problemCode()).isEqualTo("service-account-name-taken"));
    }

    @Test
    @Order(2)
    void revokedDeactivatedAndDeletedCredentials_areRefusedOnEveryNode_byTheNextRequest() {
        section("Instant revocation across nodes (no waiting between the command and the probes)");
        Api viaCommand1 = api(command1, query1);
        Api viaCommand2 = api(command2, query2);
        String ws = "revoke";
        String admin = admin(viaCommand1.createWorkspace(ws, "alice"));

        JsonNode account = viaCommand1.createServiceAccount(ws, admin, "probe-bot", null);
        String accountId = account.path("id").asText();
        String firstToken = account.path("token").path("secret").asText();
        JsonNode second = viaCommand2.issueToken(ws, admin, accountId);
        String secondToken = second.path("secret").asText();
        assertAccepted(secondToken, ws);
        assertAccepted(firstToken, ws);

        viaCommand1.revokeToken(ws, admin, accountId, second.path("id").asText());
        assertRefusedEverywhere("token revoked via command-1", secondToken, ws, command2);

        viaCommand2.deactivate(ws, admin, accountId);
        assertRefusedEverywhere("account deactivated via command-2", firstToken, ws, command1);

        JsonNode doomed = viaCommand2.createServiceAccount(ws, admin, "doomed-bot", null);
        String doomedToken = doomed.path("token").path("secret").asText();
        assertAccepted(doomedToken, ws);
        viaCommand1.delete(ws, admin, doomed.path("id").asText());
        assertRefusedEverywhere("account deleted via command-1", doomedToken, ws, command2);

        JsonNode member = viaCommand2.addMember(ws, admin, "bob", "member");
        String memberToken = member.path("token").path("secret").asText();
        assertThat(api(command1, query2).me(memberToken).status()).isEqualTo(200);
        viaCommand2.removeMember(ws, admin, "bob");
        assertRefusedEverywhere("member removed via command-2", memberToken, ws, command1);
    }

    @Test
    @Order(3)
    void everyQueryNodeServesReads() {
        section("Reads on both query nodes");
        String admin = adminOf("quota");
        for (NodeProcess node : List.of(query1, query2)) {
            Api api = api(command1, node);
            Instant start = Instant.now();
            JsonNode list = Eventually.read(() -> api.listServiceAccounts("quota", admin),
                    page -> assertThat(Json.items(page)).hasSize(50));
            // the audit trail is another processor's than the list just waited for
            JsonNode audit = Eventually.read(() -> api.audit("quota", admin, Map.of("limit", "200")),
                    page -> assertThat(Json.items(page)).isNotEmpty());
            assertThat(api.me(admin).expect(200).json().path("workspace").asText()).isEqualTo("quota");
            report("%s: 50 accounts listed (after %s), %d audit entries, /v1/me 200",
                    node.name(), seconds(Duration.between(start, Instant.now())), Json.items(audit).size());
            assertThat(list.path("items").size()).isEqualTo(50);
        }
    }

    @Test
    @Order(4)
    void segmentOwnership_afterStart() {
        section("Segment ownership after a simultaneous start (segments per processing group: %s)", SEGMENTS);
        Map<String, Map<Integer, Claim>> claims = awaitAllClaimed(Duration.ofSeconds(60));
        reportOwnership(claims);
        assertThat(claims.values().stream().flatMap(g -> g.values().stream()))
                .as("every segment owned by a running query node")
                .allSatisfy(c -> assertThat(query1.owns(c.owner()) || query2.owns(c.owner())).as(c.toString())
                        .isTrue());
        Instant from = Instant.now();
        Map<String, Map<Integer, Claim>> shared = awaitFairShare(query1, query2, FAIR_SHARE_LIMIT);
        report("every group split half and half between both nodes after %s more: %s",
                seconds(Duration.between(from, Instant.now())), perNode(shared));
        reportOwnership(shared);
    }

    @Test
    @Order(5)
    void aQueryNodeKilledUnderLoad_isReplacedByTheSurvivorWithin15s_andNothingIsLostOrAppliedTwice() throws Exception {
        section("SIGKILL of a query node under write load");
        // workspaces whose events go to each of the four segments (Axon: hash of the aggregate id & mask)
        Api setup = api(command1, query1);
        int[] perSegment = new int[SPREAD_SEGMENTS];
        for (int i = 0; SPREAD.size() < 2 * SPREAD_SEGMENTS; i++) {
            String ws = "spread-" + i;
            int segment = ws.hashCode() & (SPREAD_SEGMENTS - 1);
            if (perSegment[segment] < 2) {
                perSegment[segment]++;
                SPREAD.put(ws, admin(setup.createWorkspace(ws, "alice")));
                CREATED_PROJECTS.put(ws, ConcurrentHashMap.newKeySet());
                ADDED_MEMBERS.put(ws, ConcurrentHashMap.newKeySet());
            }
        }
        report("write load: %d workspaces, two per segment: %s", SPREAD.size(), SPREAD.keySet().stream()
                .map(ws -> ws + "→" + (ws.hashCode() & (SPREAD_SEGMENTS - 1))).collect(Collectors.joining(", ")));
        awaitEveryEventApplied(Duration.ofSeconds(60));

        Map<String, Map<Integer, Claim>> before = claims();
        Map<String, Long> perNode = perNode(before);
        killed = perNode.getOrDefault(query2.name(), 0L) > perNode.getOrDefault(query1.name(), 0L) ? query2 : query1;
        survivor = killed == query1 ? query2 : query1;
        long killedSegments = perNode.getOrDefault(killed.name(), 0L);

        Writer writer = new Writer();
        writer.start();
        try {
            writer.awaitWrites(20, Duration.ofSeconds(60));
            Instant lastRefresh = before.values().stream().flatMap(g -> g.values().stream())
                    .filter(c -> killed.owns(c.owner())).map(Claim::timestamp)
                    .max(Comparator.naturalOrder()).orElse(null);
            Map<String, Map<Integer, Claim>> atKill = claims();
            Instant newestRefreshAtKill = atKill.values().stream().flatMap(g -> g.values().stream())
                    .filter(c -> killed.owns(c.owner())).map(Claim::timestamp)
                    .max(Comparator.naturalOrder()).orElse(lastRefresh);
            Instant oldestRefreshAtKill = atKill.values().stream().flatMap(g -> g.values().stream())
                    .filter(c -> killed.owns(c.owner())).map(Claim::timestamp)
                    .min(Comparator.naturalOrder()).orElse(lastRefresh);
            long eventsBefore = eventCount();
            int writesAtKill = writer.writes();
            Instant killedAt = Instant.now();
            killed.kill();
            PID_NAMES.put(killed.pid(), killed.name() + " (killed)");
            report("killed %s with SIGKILL while it owned %d of %d segments, %d events in the store, writer running; "
                            + "its segment claims had been refreshed between %s and %s before the kill",
                    killed, killedSegments, ALL_SEGMENTS, eventsBefore,
                    oldestRefreshAtKill == null ? "-" : seconds(Duration.between(oldestRefreshAtKill, killedAt)),
                    newestRefreshAtKill == null ? "-" : seconds(Duration.between(newestRefreshAtKill, killedAt)));

            Map<String, Duration> takeover = awaitTakeover(killedAt, Duration.ofSeconds(60));
            int writesDuringTakeover = writer.writes() - writesAtKill;
            takeover.forEach((processor, took) -> report("  %-16s all %d segments owned by %s %s after the kill",
                    processor, SEGMENTS.get(processor), survivor.name(),
                    took == null ? "NOT within 60 s" : seconds(took)));
            Duration slowest = takeover.values().stream().filter(Objects::nonNull).max(Comparator.naturalOrder())
                    .orElse(null);
            report("survivor owned every segment %s after the kill (requirement: within %s)",
                    slowest == null ? "never" : seconds(slowest), seconds(TAKEOVER_LIMIT));
            writer.awaitWrites(writer.writes() + 20, Duration.ofSeconds(60));
            writer.stop();
            report("writer: %d writes accepted (%d between the kill and the takeover), %d failures",
                    writer.writes(), writesDuringTakeover, writer.failures().size());
            assertThat(writer.failures()).as("command-side answers during the kill").isEmpty();
            Duration applied = awaitEveryEventApplied(Duration.ofSeconds(60));
            report("every one of %d events applied to the audit trail exactly once, %s after the writer stopped",
                    eventCount(), seconds(applied));
            verifyReadModels(survivor);
            assertThat(takeover.values()).as("every processing group taken over").doesNotContainNull();
            assertThat(slowest).as("time until the survivor owns every segment").isLessThanOrEqualTo(TAKEOVER_LIMIT);
            reportOwnership(claims());
        } finally {
            writer.stop();
        }
    }

    @Test
    @Order(6)
    void theKilledNodeStartedAgain_serves_andGetsItsShareOfSegmentsBack() throws Exception {
        section("Restart of the killed node");
        assertThat(killed).as("the kill test ran").isNotNull();
        Instant restartedAt = Instant.now();
        killed.restart();
        Duration healthy = killed.awaitHealthy(START_TIMEOUT);
        PID_NAMES.put(killed.pid(), killed.name() + " (restarted)");
        report("%s restarted: healthy after %s (%s)", killed.name(), seconds(healthy), killed);

        // watch the claims for a while: does the restarted node get any share?
        Duration window = Duration.ofSeconds(12);
        Map<String, Map<Integer, Claim>> previous = claims();
        Instant healthyAt = Instant.now();
        Instant end = healthyAt.plus(window);
        List<String> changes = new ArrayList<>();
        Api writes = api(command2, killed);
        int round = 0;
        while (Instant.now().isBefore(end)) {
            // keep events flowing, so that claims move if anything moves them
            String ws = new ArrayList<>(SPREAD.keySet()).get(round++ % SPREAD.size());
            createProject(writes, ws, "after-restart-" + round);
            Map<String, Map<Integer, Claim>> now = claims();
            for (String processor : PROCESSORS) {
                for (int segment = 0; segment < SEGMENTS.get(processor); segment++) {
                    String was = nodeName(previous.get(processor).get(segment).owner());
                    String is = nodeName(now.get(processor).get(segment).owner());
                    if (!was.equals(is)) {
                        changes.add(String.format("+%s %s/%d: %s → %s",
                                seconds(Duration.between(healthyAt, Instant.now())), processor, segment, was, is));
                    }
                }
            }
            previous = now;
            Thread.sleep(250);
        }
        report("claims changing hands in the %s after the restarted node was healthy: %s", seconds(window),
                changes.isEmpty() ? "none" : String.join("; ", changes));
        Map<String, Map<Integer, Claim>> after = awaitFairShare(survivor, killed, FAIR_SHARE_LIMIT);
        reportOwnership(after);
        report("after the restart, rebalanced half and half per group within %s of being healthy: %s",
                seconds(Duration.between(healthyAt, Instant.now())), perNode(after));

        Api reads = api(command1, killed);
        String ws = SPREAD.keySet().iterator().next();
        Eventually.read(() -> reads.listProjects(ws, SPREAD.get(ws)),
                page -> assertThat(Json.texts(Json.items(page), "key")).containsAll(CREATED_PROJECTS.get(ws)));
        report("%s serves reads again (projects of %s listed); total time from restart to here %s", killed.name(), ws,
                seconds(Duration.between(restartedAt, Instant.now())));
        awaitEveryEventApplied(Duration.ofSeconds(60));
        verifyReadModels(killed);
    }

    @Test
    @Order(7)
    void afterAllWrites_everyEventIsInTheAuditTrailExactlyOnce() {
        section("Final count");
        Duration took = awaitEveryEventApplied(Duration.ofSeconds(60));
        long events = eventCount();
        Long applications = jdbc.queryForObject("SELECT count(*) FROM public.cluster_it_audit_apply", Long.class);
        Long entries = jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry", Long.class);
        report("%d events in the store, %d audit entries, "
                        + "%d committed applications of an event to the audit trail (after %s)",
                events, entries, applications, seconds(took));
        assertThat(entries).isEqualTo(events);
        assertThat(applications).isEqualTo(events);
    }

    @Test
    @Order(8)
    void throughTheGateway_readsReachTheQueryNodes_writesTheCommandNodes() throws Exception {
        section("The entry point: deploy/nginx.conf in front of the nodes");
        Path config = Path.of("..", "deploy", "nginx.conf").toAbsolutePath().normalize();
        Optional<Gateway> started = Gateway.startIfInstalled(config,
                List.of(command1.baseUrl(), command2.baseUrl()), List.of(query1.baseUrl(), query2.baseUrl()),
                logDirectory.resolve("gateway"));
        Assumptions.assumeTrue(started.isPresent(), "nginx is not installed here: the gateway is not checked");
        try (Gateway gateway = started.get()) {
            Api api = new Api(gateway.url(), gateway.url(), RunningSystem.OPERATOR_TOKEN);
            String admin = api.createWorkspace("gateway", "ada").path("token").path("secret").asText();
            Response created = api.command("POST", serviceAccounts("gateway")).token(admin)
                    .header("X-Request-Id", "through-the-gateway").json(Map.of("name", "via-nginx")).send().expect(201);
            assertThat(created.header("X-Correlation-Id")).isEqualTo("through-the-gateway");
            assertThat(created.header("X-Request-Id")).isNotEqualTo("through-the-gateway");
            String token = created.json().path("token").path("secret").asText();
            // reads and introspection (a POST that only reads) are answered by the query side
            assertThat(api.me(admin).expect(200).json().path("workspace").asText()).isEqualTo("gateway");
            JsonNode introspection = api.query("POST", "/v1/introspect").token(RunningSystem.OPERATOR_TOKEN)
                    .form(Map.of("token", token)).send().expect(200).json();
            assertThat(introspection.path("active").asBoolean()).isTrue();
            Eventually.read(() -> api.listServiceAccounts("gateway", admin),
                    page -> assertThat(Json.texts(Json.items(page), "name")).containsExactly("via-nginx"));
            // a revocation through the gateway holds at once, whichever nodes answer next
            api.revokeToken("gateway", admin, created.json().path("id").asText(),
                    created.json().path("token").path("id").asText());
            for (int i = 0; i < 4; i++) {
                assertThat(api.me(token).status()).as("revoked token, read " + i).isEqualTo(401);
            }
            String upstreams = Files.readString(logDirectory.resolve("gateway").resolve("nginx.log"));
            report("gateway on %s: writes and reads routed; upstreams seen in its log: %s", gateway.url(),
                    Pattern.compile("upstream=(\\S+)").matcher(upstreams).results().map(m -> m.group(1))
                            .distinct().sorted().collect(Collectors.joining(", ")));
        }
    }

    // ------------------------------------------------------------------ exactly once

    /**
     * A row per committed execution of the audit projection's INSERT: a BEFORE INSERT trigger fires even when
     * {@code ON CONFLICT DO NOTHING} then drops the row, and its own row commits or rolls back with the handler's
     * transaction. So a position counted twice means an event applied twice, not merely attempted twice.
     */
    private static void installApplyCounter() {
        jdbc.execute("CREATE TABLE public.cluster_it_audit_apply "
                + "(position BIGINT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())");
        jdbc.execute("""
                CREATE FUNCTION public.cluster_it_count_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO public.cluster_it_audit_apply (position) VALUES (NEW.position);
                    RETURN NEW;
                END $$""");
        jdbc.execute("""
                CREATE TRIGGER cluster_it_count_apply BEFORE INSERT ON query_side.audit_entry
                FOR EACH ROW EXECUTE FUNCTION public.cluster_it_count_apply()""");
        Long events = jdbc.queryForObject("SELECT count(*) FROM command_side.domain_event_entry", Long.class);
        assertThat(events).as("no event before the counter is installed").isZero();
    }

    /**
     * Until every event in the store has its audit entry and its application counted once; then asserts that
     * no position was applied twice and no audit entry lacks its event. Returns how long it waited.
     */
    private static Duration awaitEveryEventApplied(Duration atMost) {
        Instant start = Instant.now();
        Eventually.untilAsserted(atMost, () -> {
            Long missing = jdbc.queryForObject("""
                    SELECT count(*) FROM command_side.domain_event_entry e
                     WHERE NOT EXISTS (SELECT 1 FROM query_side.audit_entry a WHERE a.position = e.global_index)
                    """, Long.class);
            assertThat(missing).as("events without their audit entry").isZero();
        });
        Duration took = Duration.between(start, Instant.now());
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM query_side.audit_entry a
                 WHERE NOT EXISTS (SELECT 1 FROM command_side.domain_event_entry e WHERE e.global_index = a.position)
                """, Long.class)).as("audit entries without an event").isZero();
        List<Map<String, Object>> twice = jdbc.queryForList("""
                SELECT position, count(*) AS applications FROM public.cluster_it_audit_apply
                 GROUP BY position HAVING count(*) > 1 ORDER BY position LIMIT 20
                """);
        assertThat(twice).as("events applied more than once (position, applications)").isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM public.cluster_it_audit_apply", Long.class))
                .as("committed applications").isEqualTo(eventCount());
        return took;
    }

    /** The projects and members read models hold exactly what the writer created, as read through {@code node}. */
    private static void verifyReadModels(NodeProcess node) {
        Instant start = Instant.now();
        // each processing group progresses on its own: the audit trail being complete says nothing of the others
        Eventually.untilAsserted(() -> readModelsExact(node));
        report("read models (projects, members) of the %d workspaces exact after %s; read through %s",
                SPREAD.size(), seconds(Duration.between(start, Instant.now())), node.name());
    }

    private static void readModelsExact(NodeProcess node) {
        Api reads = api(command1, node);
        for (Map.Entry<String, String> workspace : SPREAD.entrySet()) {
            String ws = workspace.getKey();
            Set<String> projects = CREATED_PROJECTS.get(ws);
            Set<String> members = ADDED_MEMBERS.get(ws);
            List<String> projectRows = jdbc.queryForList(
                    "SELECT project_key FROM query_side.project WHERE workspace_id = ?", String.class, ws);
            assertThat(projectRows).as("projects of " + ws).containsExactlyInAnyOrderElementsOf(projects);
            List<String> memberRows = jdbc.queryForList(
                    "SELECT username FROM query_side.member WHERE workspace_id = ? AND username <> 'alice'",
                    String.class, ws);
            assertThat(memberRows).as("members of " + ws).containsExactlyInAnyOrderElementsOf(members);
            JsonNode page = reads.listMembers(ws, workspace.getValue()).expect(200).json();
            assertThat(Json.texts(Json.items(page), "username")).as("members of " + ws + " via " + node.name())
                    .containsAll(members);
        }
    }

    // ------------------------------------------------------------------ write load

    /** Creates projects and adds members, round robin over the spread workspaces and both command nodes. */
    private static final class Writer {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger writes = new AtomicInteger();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final ExecutorService thread = Executors.newSingleThreadExecutor();

        void start() {
            List<String> workspaces = new ArrayList<>(SPREAD.keySet());
            Api[] nodes = {api(command1, query1), api(command2, query1)};
            thread.submit(() -> {
                int i = 0;
                while (running.get()) {
                    String ws = workspaces.get(i % workspaces.size());
                    Api api = nodes[i % 2];
                    try {
                        Response response;
                        if (i % 3 == 2) {
                            String username = "user-" + i;
                            response = api.command("POST", Api.members(ws)).token(SPREAD.get(ws))
                                    .json(Map.of("username", username, "role", "member")).send();
                            if (response.status() == 201) {
                                ADDED_MEMBERS.get(ws).add(username);
                            }
                        } else {
                            response = createProject(api, ws, "load-" + i);
                        }
                        if (response.status() == 201) {
                            writes.incrementAndGet();
                        } else {
                            failures.add(response.toString());
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                    i++;
                }
            });
        }

        int writes() {
            return writes.get();
        }

        List<String> failures() {
            return failures;
        }

        void awaitWrites(int count, Duration atMost) {
            Eventually.untilAsserted(atMost, () -> assertThat(writes.get()).isGreaterThanOrEqualTo(count));
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.shutdown();
            thread.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    private static Response createProject(Api api, String ws, String key) {
        Response response = api.command("POST", Api.projects(ws)).token(SPREAD.get(ws))
                .json(Map.of("key", key, "name", "Project " + key, "visibility", "private")).send();
        if (response.status() == 201) {
            CREATED_PROJECTS.get(ws).add(key);
        }
        return response;
    }

    // ------------------------------------------------------------------ segment claims

    /** One row of a query-side token_entry: who claims the segment and when it last said so. */
    record Claim(String processor, int segment, String owner, Instant timestamp, Long position) {
    }

    private static final Pattern GLOBAL_INDEX = Pattern.compile("\"(?:index|globalIndex)\"\\s*:\\s*(\\d+)");

    /** The query side's claims, by processing group and segment. */
    private static Map<String, Map<Integer, Claim>> claims() {
        Map<String, Map<Integer, Claim>> claims = new TreeMap<>();
        PROCESSORS.forEach(p -> claims.put(p, new TreeMap<>()));
        jdbc.query("""
                SELECT processor_name, segment, owner, timestamp, convert_from(token, 'UTF8') AS token
                  FROM query_side.token_entry ORDER BY processor_name, segment
                """, rs -> {
            String processor = rs.getString("processor_name");
            String token = rs.getString("token");
            Matcher index = token == null ? null : GLOBAL_INDEX.matcher(token);
            Claim claim = new Claim(processor, rs.getInt("segment"), rs.getString("owner"),
                    rs.getString("timestamp") == null ? null : Instant.parse(rs.getString("timestamp")),
                    index != null && index.find() ? Long.valueOf(index.group(1)) : null);
            claims.computeIfAbsent(processor, p -> new TreeMap<>()).put(claim.segment(), claim);
        });
        return claims;
    }

    private static Map<String, Map<Integer, Claim>> awaitAllClaimed(Duration atMost) {
        Eventually.untilAsserted(atMost, () -> assertThat(claims().values().stream().flatMap(g -> g.values().stream())
                .filter(c -> c.owner() != null).count()).isEqualTo((long) ALL_SEGMENTS));
        return claims();
    }

    /** Until both nodes own half the segments of every processing group. */
    private static Map<String, Map<Integer, Claim>> awaitFairShare(NodeProcess one, NodeProcess other,
                                                                   Duration atMost) {
        Eventually.untilAsserted(atMost, () -> {
            Map<String, Map<Integer, Claim>> claims = claims();
            for (String processor : PROCESSORS) {
                List<String> owners = claims.get(processor).values().stream().map(Claim::owner).toList();
                int segments = SEGMENTS.get(processor);
                assertThat(owners).as(processor + " segments").hasSize(segments);
                assertThat(owners.stream().filter(one::owns).count()).as(processor + " on " + one.name())
                        .isEqualTo(segments / 2);
                assertThat(owners.stream().filter(other::owns).count()).as(processor + " on " + other.name())
                        .isEqualTo(segments / 2);
            }
        });
        return claims();
    }

    /** Polls the claims until the survivor owns every segment of each group; per group, the time since the kill. */
    private static Map<String, Duration> awaitTakeover(Instant killedAt, Duration atMost) throws InterruptedException {
        Map<String, Duration> takenOver = new LinkedHashMap<>();
        PROCESSORS.forEach(p -> takenOver.put(p, null));
        Instant deadline = killedAt.plus(atMost);
        while (Instant.now().isBefore(deadline) && takenOver.containsValue(null)) {
            Map<String, Map<Integer, Claim>> claims = claims();
            Instant now = Instant.now();
            for (String processor : PROCESSORS) {
                if (takenOver.get(processor) == null && claims.get(processor).size() == SEGMENTS.get(processor)
                        && claims.get(processor).values().stream().allMatch(c -> survivor.owns(c.owner()))) {
                    takenOver.put(processor, Duration.between(killedAt, now));
                }
            }
            Thread.sleep(100);
        }
        return takenOver;
    }

    private static Map<String, Long> perNode(Map<String, Map<Integer, Claim>> claims) {
        Map<String, Long> perNode = new TreeMap<>();
        claims.values().stream().flatMap(g -> g.values().stream())
                .forEach(c -> perNode.merge(nodeName(c.owner()), 1L, Long::sum));
        return perNode;
    }

    private static void reportOwnership(Map<String, Map<Integer, Claim>> claims) {
        Instant now = Instant.now();
        for (String processor : PROCESSORS) {
            report("  %-16s %s", processor, claims.get(processor).values().stream()
                    .map(c -> c.segment() + "→" + nodeName(c.owner())
                            + " @" + (c.position() == null ? "-" : c.position())
                            + (c.timestamp() == null
                                    ? ""
                                    : " (claim " + seconds(Duration.between(c.timestamp(), now)) + " old)"))
                    .collect(Collectors.joining(", ")));
        }
    }

    /** The node a token owner names ({@code <pid>@<host>}), or the owner itself. */
    private static String nodeName(String owner) {
        if (owner == null) {
            return "unclaimed";
        }
        int at = owner.indexOf('@');
        try {
            String name = PID_NAMES.get(Long.parseLong(at < 0 ? owner : owner.substring(0, at)));
            return name != null ? name : owner;
        } catch (NumberFormatException e) {
            return owner;
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Settings for both query nodes from {@code -Dcluster.query-env=NAME=value,NAME=value}, to try other claim
     * settings without editing a file, e.g. {@code AXON_EVENTHANDLING_TOKENSTORE_CLAIMTIMEOUT=6s}.
     */
    private static Map<String, String> extraQueryEnvironment() {
        Map<String, String> extra = new LinkedHashMap<>();
        String setting = System.getProperty("cluster.query-env", "");
        for (String pair : setting.split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                extra.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            }
        }
        if (!extra.isEmpty()) {
            report("query nodes also get %s (-Dcluster.query-env)", extra);
        }
        return extra;
    }

    private static NodeProcess started(NodeProcess node) {
        PID_NAMES.put(node.pid(), node.name());
        report("launched %s", node);
        return node;
    }

    private static List<NodeProcess> nodes() {
        return Stream.of(command1, command2, query1, query2).filter(Objects::nonNull).toList();
    }

    private static Api api(NodeProcess command, NodeProcess query) {
        return new Api(command.baseUrl(), query.baseUrl(), RunningSystem.OPERATOR_TOKEN);
    }

    private static final Map<String, String> ADMINS = new ConcurrentHashMap<>();

    private static String admin(JsonNode createdWorkspace) {
        String token = createdWorkspace.path("token").path("secret").asText();
        ADMINS.put(createdWorkspace.path("id").asText(), token);
        return token;
    }

    private static String adminOf(String ws) {
        return Objects.requireNonNull(ADMINS.get(ws), "no admin token for " + ws);
    }

    /**
     * Global-index values taken by appends that were rolled back: the index is a sequence, so an append that
     * lost the race for an aggregate sequence number (unique key) leaves a hole. Within one node commands on an
     * aggregate wait for its lock, so on one workspace the holes count races lost to the other node.
     */
    private static long burnedGlobalIndexes() {
        Long burned = jdbc.queryForObject(
                "SELECT coalesce(max(global_index), 0) - count(*) FROM command_side.domain_event_entry", Long.class);
        return burned == null ? 0 : burned;
    }

    private static long eventCount() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM command_side.domain_event_entry", Long.class);
        return count == null ? 0 : count;
    }

    private static void assertAccepted(String token, String ws) {
        for (NodeProcess command : List.of(command1, command2)) {
            assertThat(Probe.commandSide(api(command, query1), ws, token).status()).as("accepted by " + command.name())
                    .isNotEqualTo(401);
        }
        for (NodeProcess query : List.of(query1, query2)) {
            assertThat(Probe.querySide(api(command1, query), ws, token).status()).as("accepted by " + query.name())
                    .isNotEqualTo(401);
        }
    }

    /** The very next request after the command returned, on the other command node and on both query nodes. */
    private static void assertRefusedEverywhere(String what, String token, String ws, NodeProcess otherCommandNode) {
        int command = Probe.commandSide(api(otherCommandNode, query1), ws, token).status();
        int first = Probe.querySide(api(command1, query1), ws, token).status();
        int second = Probe.querySide(api(command1, query2), ws, token).status();
        report("%-34s → next request on %s: %d, query-1: %d, query-2: %d", what, otherCommandNode.name(), command,
                first, second);
        assertThat(List.of(command, first, second)).as(what).containsOnly(401);
    }

    private static void section(String title, Object... arguments) {
        report("");
        report("== " + title, arguments);
    }

    private static void report(String format, Object... arguments) {
        String line = arguments.length == 0 ? format : String.format(format, arguments);
        REPORT.add(line);
        System.out.println("[ClusterIT +" + seconds(Duration.between(TEST_START, Instant.now())) + "] " + line);
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    private static void clean(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
