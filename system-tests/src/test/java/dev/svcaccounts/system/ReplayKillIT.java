package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Database;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Histories;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.NodeProcess;
import dev.svcaccounts.system.support.ReadModels;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays survive query nodes being killed. Two query nodes run as real processes ({@link NodeProcess}) on one
 * PostgreSQL, next to a command side in this JVM, with a few thousand events in the store.
 * <ul>
 *   <li>A node killed just before a replay is asked for holds its segments until its claims time out: the replay
 *       waits that long, no longer, and then runs without it.</li>
 *   <li>Every processing group is replayed, and both query processes get SIGKILL while the audit replay is between
 *       10 % and 90 %. Started again, they finish the replays from the tokens they left, and every read model is
 *       identical to the one before (checksums computed by PostgreSQL), with one audit entry per event, each
 *       applied once (a trigger counts every committed insert, which the projection's {@code ON CONFLICT DO NOTHING}
 *       would otherwise hide).</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayKillIT {

    private static final List<String> GROUPS = List.of("audit", "members", "projects", "service-accounts");
    /** Two JVMs start at once, on what may be two loaded cores (ClusterIT allows as long). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration REPLAY_TIME = Duration.ofSeconds(120); // a bound for slow machines: about 5 s here
    private static final int KILL_ATTEMPTS = 3;

    private static final List<String> REPORT = new ArrayList<>();
    private static final Instant CLASS_START = Instant.now();
    private static JdbcTemplate jdbc;
    private static ConfigurableApplicationContext commandSide;
    private static NodeProcess query1;
    private static NodeProcess query2;

    @BeforeAll
    static void start() throws Exception {
        Database database = TestDatabases.fresh("replay-kill");
        jdbc = database.jdbc();
        commandSide = RunningSystem.startCommandSide(database);
        Path logs = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/replay-kill-logs");
        Map<String, String> environment = Map.of(
                "DATABASE_URL", database.url(),
                "DATABASE_USER", database.user(),
                "DATABASE_PASSWORD", database.password(),
                "REPLAY_PROGRESS_LOG_INTERVAL", "1s");
        query1 = NodeProcess.start("query-1", NodeProcess.Kind.QUERY, logs, environment);
        query2 = NodeProcess.start("query-2", NodeProcess.Kind.QUERY, logs, environment);
        // written while the query processes start
        Instant writing = Instant.now();
        Histories.everyKindOfChange(api(query1), "varied");
        Histories.bulk(api(query1), "bulk", 30, 45);
        report("history: %d events written in %s", events(), seconds(writing));
        awaitReady(query1);
        awaitReady(query2);
        report("both query processes healthy %s after the start", seconds(CLASS_START));
    }

    @AfterAll
    static void stop() {
        for (NodeProcess node : new NodeProcess[]{query1, query2}) {
            if (node != null) {
                node.close();
            }
        }
        if (commandSide != null) {
            commandSide.close();
        }
        report("total %s; node logs in target/replay-kill-logs", seconds(CLASS_START));
        System.out.println("\n==================== ReplayKillIT report ====================\n"
                + String.join("\n", REPORT)
                + "\n=============================================================\n");
    }

    @Test
    @Order(1)
    void aNodeKilledBeforeAReplay_delaysItOnlyUntilItsClaimsTimeOut() {
        awaitCaughtUp(query1);
        awaitEveryNodeServesItsShare(); // so the node about to die holds some of the group's segments
        Map<String, String> before = ReadModels.checksums(jdbc, "members");
        long deadPid = query2.pid();
        query2.kill();
        Instant killed = Instant.now();
        JsonNode accepted = requestReplay(query1, "members");
        JsonNode pausing = status(query1, "members");
        // as an orchestrator would; the new process is another owner than the dead one. Only now: a JVM starting
        // takes the CPU that the two requests above need to be done before the dead node's claims time out (10 s)
        query2.restart();
        assertThat(pausing.path("state").asText()).as("waiting for the dead node: " + pausing).isEqualTo("pausing");
        assertThat(Json.list(pausing.path("segments"))).as("segments the dead node still holds")
                .anySatisfy(segment -> assertThat(segment.path("owner").asText()).startsWith(deadPid + "@"));

        Eventually.untilAsserted(Duration.ofSeconds(30),
                () -> assertThat(status(query1, "members").path("state").asText()).isNotEqualTo("pausing"));
        Duration waited = Duration.between(killed, Instant.now());
        report("replay of 'members' asked for right after query-2 was killed: reset %s after the kill",
                seconds(killed));
        assertThat(waited).as("wait for the dead node's claims (10 s claim timeout)")
                .isLessThan(Duration.ofSeconds(20));
        awaitFinished(query1, "members", accepted.path("replay").path("requestedAt").asText());
        assertThat(ReadModels.checksums(jdbc, "members")).isEqualTo(before);
        awaitReady(query2);
    }

    @Test
    @Order(2)
    void queryNodesKilledInTheMiddleOfAReplay_finishItWhenStartedAgain_withIdenticalReadModels() {
        awaitCaughtUp(query1);
        Map<String, String> before = ReadModels.checksums(jdbc);
        List<String> indexes = ReadModels.auditIndexes(jdbc);
        long events = events();
        countEveryAuditInsert();
        int logStart1 = query1.log().length();
        int logStart2 = query2.log().length();

        Map<String, String> requested = new LinkedHashMap<>();
        JsonNode atKill = null;
        for (int attempt = 1; attempt <= KILL_ATTEMPTS && atKill == null; attempt++) {
            jdbc.update("TRUNCATE replay_kill_audit_insert");
            for (String group : attempt == 1 ? GROUPS : List.of("audit")) {
                // either node takes a request; both stop the group, one resets it
                JsonNode accepted = requestReplay(group.equals("audit") ? query2 : query1, group);
                requested.put(group, accepted.path("replay").path("requestedAt").asText());
            }
            atKill = killBothWhileAuditReplayIsBetween(10, 90);
            if (atKill == null) {
                report("attempt %d: the audit replay went from below 10%% to above 90%% between two reads; again",
                        attempt);
                awaitFinished(query1, "audit", requested.get("audit"));
            }
        }
        assertThat(atKill)
                .as("killed while the audit replay was between 10 and 90 %% in one of %d attempts", KILL_ATTEMPTS)
                .isNotNull();
        String killedRun1 = query1.log().substring(logStart1);
        String killedRun2 = query2.log().substring(logStart2);
        long rowsAtKill = count("SELECT count(*) FROM query_side.audit_entry");
        report("killed both query processes at %d%% of the audit replay (position %d of %d), "
                        + "%d of %d audit entries rebuilt",
                atKill.path("replay").path("percent").asInt(), atKill.path("replay").path("position").asLong(),
                atKill.path("replay").path("resetPosition").asLong(), rowsAtKill, events);
        assertThat(rowsAtKill).as("audit entries at the kill: the replay was under way").isBetween(1L, events - 1);
        assertThat(count("SELECT count(*) FROM query_side.projection_replay"
                + " WHERE processing_group = 'audit' AND state = 'replaying'"))
                .as("the audit replay, still recorded as running").isEqualTo(1);

        Instant restart = Instant.now();
        query1.restart();
        query2.restart();
        awaitReady(query1);
        awaitReady(query2);
        report("both query processes healthy again %s after the restart", seconds(restart));
        requested.forEach((group, at) -> awaitFinished(query2, group, at));
        report("every replay finished %s after the restart", seconds(restart));

        assertThat(ReadModels.checksums(jdbc)).as("read models after the killed replay").isEqualTo(before);
        assertThat(ReadModels.auditIndexes(jdbc)).as("the audit indexes the bulk load dropped, created again")
                .isEqualTo(indexes);
        assertThat(count("""
                SELECT count(*) FROM query_side.audit_entry a
                  JOIN command_side.domain_event_entry e
                    ON e.global_index = a.position AND e.event_identifier = a.event_id
                """)).as("audit entries, one per event").isEqualTo(events);
        assertThat(count("SELECT count(*) FROM query_side.audit_entry")).as("audit entries").isEqualTo(events);
        assertThat(jdbc.queryForList(
                "SELECT position FROM replay_kill_audit_insert GROUP BY position HAVING count(*) > 1", Long.class))
                .as("audit entries inserted more than once since the replay began").isEmpty();
        assertThat(count("SELECT count(DISTINCT position) FROM replay_kill_audit_insert"))
                .as("audit entries inserted since the replay began").isEqualTo(events);

        String restartedRun = query1.log() + query2.log();
        String allRuns = killedRun1 + killedRun2 + restartedRun;
        for (String group : GROUPS) {
            int requests = group.equals("audit")
                    ? occurrences(killedRun1 + killedRun2, "Replay of 'audit' finished: ") + 1
                    : 1;
            // a group still pausing at the kill is reset after the restart
            assertThat(occurrences(allRuns, "Replay of '" + group + "' started")).as(group + " reset once per request")
                    .isEqualTo(requests);
            // a small read model may finish before the kill; each request finishes once, logged by one node
            assertThat(occurrences(allRuns, "Replay of '" + group + "' finished: "))
                    .as(group + " finished once per request, logged by one node").isEqualTo(requests);
        }
        assertThat(occurrences(restartedRun, "Replay of 'audit' finished: "))
                .as("the audit replay killed half-way finished after the restart").isEqualTo(1);
        assertThat(List.of(killedRun1, killedRun2)).as("both nodes stopped the audit group for its reset")
                .allSatisfy(log -> assertThat(log)
                        .contains("Replay of 'audit' requested by operator: stopping it on this node"));
        assertThat(Pattern.compile("Replay of 'audit': [\\d,]+ of [\\d,]+ events \\(\\d+%\\)").matcher(allRuns).find())
                .as("progress lines in the query nodes' logs").isTrue();
        awaitEveryNodeServesItsShare();
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Reads the audit group's status as fast as it answers; SIGKILLs both query processes at the first answer
     * between {@code from} and {@code to} percent and returns it, or returns null if the replay got past
     * {@code to} first.
     */
    private static JsonNode killBothWhileAuditReplayIsBetween(int from, int to) {
        Instant deadline = Instant.now().plus(REPLAY_TIME);
        while (Instant.now().isBefore(deadline)) {
            JsonNode audit = status(query1, "audit");
            int percent = audit.path("replay").path("percent").asInt();
            if (audit.path("state").asText().equals("replaying") && percent >= from && percent <= to) {
                query1.kill();
                query2.kill();
                return audit;
            }
            if (!audit.path("replay").isObject() || percent > to) {
                return null;
            }
        }
        throw new AssertionError("the audit replay did not get to " + from + " % within " + REPLAY_TIME.toSeconds()
                + " s");
    }

    /**
     * Healthy, and past its first use of the operator credential: a new JVM checks it with its slow hash (600,000
     * rounds of PBKDF2), which on a loaded machine, before the JIT compiler has had the CPU, took over 30 s, the
     * time a request of this test may take. Here it may take as long as a start.
     */
    private static void awaitReady(NodeProcess node) {
        node.awaitHealthy(START_TIMEOUT);
        api(node).query("GET", "/v1/admin/projections").token(RunningSystem.OPERATOR_TOKEN).timeout(START_TIMEOUT)
                .send().expect(200);
    }

    private static JsonNode requestReplay(NodeProcess node, String group) {
        return api(node).query("POST", "/v1/admin/projections/" + group + "/replay").token(RunningSystem.OPERATOR_TOKEN)
                .send().expect(202).json();
    }

    private static Api api(NodeProcess node) {
        return new Api(RunningSystem.baseUrl(commandSide), node.baseUrl(), RunningSystem.OPERATOR_TOKEN);
    }

    private static JsonNode status(NodeProcess node, String group) {
        return api(node).query("GET", "/v1/admin/projections/" + group).token(RunningSystem.OPERATOR_TOKEN).send()
                .expect(200).json();
    }

    private static void awaitFinished(NodeProcess node, String group, String requestedAt) {
        Eventually.untilAsserted(REPLAY_TIME, () -> {
            JsonNode status = status(node, group);
            assertThat(status.path("state").asText()).as(group + ": " + status).isEqualTo("live");
            assertThat(status.path("lastReplay").path("requestedAt").asText()).as(group + ": " + status)
                    .isEqualTo(requestedAt);
            assertThat(status.path("lastReplay").path("outcome").asText()).as(group + ": " + status)
                    .isEqualTo("finished");
        });
    }

    /** Every group caught up with the store; the query processes start while the history is written, so allow time. */
    private static void awaitCaughtUp(NodeProcess node) {
        Eventually.untilAsserted(Duration.ofSeconds(90), () -> {
            JsonNode page = api(node).query("GET", "/v1/admin/projections").token(RunningSystem.OPERATOR_TOKEN).send()
                    .expect(200).json();
            assertThat(Json.items(page)).allSatisfy(group -> assertThat(group.path("lag").asLong()).isZero());
        });
    }

    /** After the replays both nodes work again: each holds half the segments of every group (SegmentBalancing). */
    private static void awaitEveryNodeServesItsShare() {
        Instant from = Instant.now();
        Eventually.untilAsserted(Duration.ofSeconds(30), () -> {
            for (JsonNode group : Json.items(api(query1).query("GET", "/v1/admin/projections")
                    .token(RunningSystem.OPERATOR_TOKEN).send().expect(200).json())) {
                List<String> owners =
                        Json.list(group.path("segments")).stream().map(s -> s.path("owner").asText()).toList();
                assertThat(owners).as(group.path("name") + " segments").isNotEmpty();
                assertThat(owners.stream().filter(query1::owns)).as(group.path("name") + " on query-1")
                        .hasSize(owners.size() / 2);
                assertThat(owners.stream().filter(query2::owns)).as(group.path("name") + " on query-2")
                        .hasSize(owners.size() / 2);
            }
        });
        report("both nodes hold half of every group's segments %s after the check began", seconds(from));
    }

    /**
     * A row per committed insert into the audit trail (from now on, and since the last truncation): a BEFORE INSERT
     * trigger fires even when {@code ON CONFLICT DO NOTHING} then drops the row, and its own row commits or rolls back
     * with the batch. It also makes each insert take 5 ms: this history replays in well under a second otherwise, too
     * fast to be killed midway.
     */
    private static void countEveryAuditInsert() {
        jdbc.execute("CREATE TABLE replay_kill_audit_insert (position BIGINT NOT NULL)");
        jdbc.execute("""
                CREATE FUNCTION replay_kill_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO public.replay_kill_audit_insert (position) VALUES (NEW.position);
                    PERFORM pg_sleep(0.005);
                    RETURN NEW;
                END $$""");
        jdbc.execute("""
                CREATE TRIGGER replay_kill_count_insert BEFORE INSERT ON query_side.audit_entry
                FOR EACH ROW EXECUTE FUNCTION replay_kill_count_insert()""");
    }

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    private static long events() {
        return count("SELECT count(*) FROM command_side.domain_event_entry");
    }

    private static long count(String sql) {
        Long count = jdbc.queryForObject(sql, Long.class);
        return count == null ? 0 : count;
    }

    private static void report(String format, Object... args) {
        REPORT.add(String.format(format, args));
    }

    private static String seconds(Instant since) {
        return String.format("%.1f s", Duration.between(since, Instant.now()).toMillis() / 1000.0);
    }
}
