package dev.svcaccounts.system;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Histories;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.ReadModels;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's view of the query side's processing groups ({@code GET /v1/admin/projections}) and replays
 * ({@code POST /v1/admin/projections/{name}/replay}): a replay rebuilds a read model identical to the one before,
 * shows its progress while it runs, and leaves the other read models serving. The read models are compared by
 * checksums PostgreSQL computes over their rows, and through the API.
 */
class ProjectionsAdminIT {

    private static final List<String> GROUPS = List.of("audit", "members", "projects", "service-accounts");
    private static final Duration REPLAY_TIME = Duration.ofSeconds(60);
    /** Positions reach the token store within a second or so (segments with nothing to handle: PositionRefresh). */
    private static final Duration CATCH_UP = Duration.ofSeconds(20);
    private static final String ADMIN_ENDPOINT = "/v1/admin/projections";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("projections-admin");
    private static Api api;
    private static JdbcTemplate jdbc;
    /** Workspaces with every kind of change, by admin token; the bulk workspaces only make the history long. */
    private static final Map<String, String> VARIED = new LinkedHashMap<>();
    private static final ListAppender<ILoggingEvent> REPLAY_LOG = new ListAppender<>();

    @BeforeAll
    static void history() throws Exception {
        api = system.api();
        jdbc = system.database().jdbc();
        for (String ws : List.of("varied-a", "varied-b")) {
            VARIED.put(ws, Histories.everyKindOfChange(api, ws));
        }
        Histories.bulk(api, "bulk", 18, 45);
        // the platform's own events too (the audit group writes their trail)
        api.registerIntrospectionClient("replayed-gateway");
        api.revokeIntrospectionClient(api.registerIntrospectionClient("replayed-and-revoked").path("client_id")
                .asText());
        REPLAY_LOG.start();
        replayLogger().addAppender(REPLAY_LOG);
        bulkLogger().addAppender(REPLAY_LOG);
    }

    @AfterAll
    static void detachLog() {
        replayLogger().detachAppender(REPLAY_LOG);
        bulkLogger().detachAppender(REPLAY_LOG);
    }

    /**
     * Also after an append that rolled back (as a lost race between two command nodes does): its position, taken
     * from the sequence and never used, stays a gap in the processors' tokens, yet holds no event to wait for.
     */
    @Test
    void everyQueryProcessingGroup_isListed_withItsSegmentsOwners_andALagThatComesBackToZero() {
        String ws = VARIED.keySet().iterator().next();
        long burned =
                jdbc.queryForObject("SELECT nextval('command_side.domain_event_entry_global_index_seq')", Long.class);
        api.createServiceAccount(ws, VARIED.get(ws), "lag-probe");
        Eventually.untilAsserted(CATCH_UP, () -> assertThat(jdbc.queryForList(
                "SELECT convert_from(token, 'UTF8') FROM query_side.token_entry WHERE processor_name = 'audit'",
                String.class))
                .as("audit tokens with the unused position as a gap").anySatisfy(token -> assertThat(token)
                        .contains("\"gaps\":[" + burned + "]")));
        JsonNode list = Eventually.read(() -> api.query("GET", ADMIN_ENDPOINT).token(api.operatorToken()).send(),
                page -> assertThat(Json.items(page)).allSatisfy(group -> assertThat(group.path("lag").asLong())
                        .as(group.path("name").asText() + " lag").isZero()));
        long head = system.eventStoreHead();
        assertThat(Json.texts(Json.items(list), "name")).containsExactlyElementsOf(GROUPS);
        for (JsonNode group : Json.items(list)) {
            String name = group.path("name").asText();
            assertThat(group.path("state").asText()).as(name).isEqualTo("live");
            assertThat(group.path("head").asLong()).as(name + " head").isEqualTo(head);
            assertThat(group.path("position").asLong()).as(name + " position").isEqualTo(head);
            assertThat(Json.list(group.path("segments"))).as(name + " segments")
                    .hasSize(RunningSystem.QUERY_SEGMENTS.get(name)).allSatisfy(segment -> {
                assertThat(segment.path("owner").asText()).as("owner").isNotBlank();
                assertThat(segment.path("position").asLong()).as("position").isEqualTo(head);
                assertThat(segment.path("replaying").asBoolean()).isFalse();
            });
            assertThat(group.path("replay").isNull()).as(name + " replay").isTrue();
        }
        assertThat(status("audit")).as("one group alone")
                .isEqualTo(Json.find(Json.items(list), "name", "audit").orElseThrow());
    }

    @Test
    void replayingEveryGroup_rebuildsReadModelsIdenticalToBefore_andLiveProcessingGoesOn() {
        awaitCaughtUp();
        Map<String, String> checksums = ReadModels.checksums(jdbc);
        Map<String, JsonNode> views = apiViews();
        assertThat(checksums).as("read models before")
                .allSatisfy((table, sum) -> assertThat(sum).doesNotStartWith("0 rows"));
        Map<String, String> merkleLog = settledMerkleLog();

        Map<String, String> requested = new LinkedHashMap<>();
        for (String group : GROUPS) {
            Response accepted = requestReplay(group).expect(202);
            assertThat(accepted.header("Location")).isEqualTo(ADMIN_ENDPOINT + "/" + group);
            JsonNode body = accepted.json();
            assertThat(body.path("name").asText()).isEqualTo(group);
            assertThat(body.path("state").asText()).isIn("pausing", "replaying");
            assertThat(body.path("replay").path("requestedBy").asText()).isEqualTo("operator");
            requested.put(group, body.path("replay").path("requestedAt").asText());
        }
        requested.forEach(ProjectionsAdminIT::awaitReplayFinished);

        assertThat(ReadModels.checksums(jdbc)).isEqualTo(checksums);
        assertThat(apiViews()).isEqualTo(views);
        assertThat(ReadModels.merkleLogChecksums(jdbc)).as("replays leave the Merkle log alone").isEqualTo(merkleLog);
        assertThat(auditEntries()).as("one audit entry per event").isEqualTo(events());

        String ws = VARIED.keySet().iterator().next();
        String id = api.createServiceAccount(ws, VARIED.get(ws), "after-replay").path("id").asText();
        Eventually.read(() -> api.getServiceAccount(ws, VARIED.get(ws), id),
                sa -> assertThat(sa.path("name").asText()).isEqualTo("after-replay"));
        awaitCaughtUp();
        assertThat(auditEntries()).as("one audit entry per event").isEqualTo(events());
    }

    @Test
    void aReplay_showsItsProgressWhileItRuns_andTheOtherReadModelsKeepServing() {
        awaitCaughtUp();
        Map<String, String> checksums = ReadModels.checksums(jdbc);
        Map<String, JsonNode> otherViews = otherGroupsViews();
        REPLAY_LOG.list.clear();
        // the replay of this small history takes well under a second: slowed to a few, so that polls see it midway
        jdbc.execute("""
                CREATE FUNCTION projections_admin_slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(0.005); RETURN NEW; END $$""");
        jdbc.execute("""
                CREATE TRIGGER projections_admin_slow_insert BEFORE INSERT ON query_side.audit_entry
                FOR EACH ROW EXECUTE FUNCTION projections_admin_slow_insert()""");
        try {
            replayWhileTheOthersServe(checksums, otherViews);
        } finally {
            jdbc.execute("DROP TRIGGER projections_admin_slow_insert ON query_side.audit_entry");
            jdbc.execute("DROP FUNCTION projections_admin_slow_insert()");
        }
        assertThat(auditEntries()).as("one audit entry per event").isEqualTo(events());
    }

    /**
     * The audit group is rebuilt in bulk (COPY) rather than by its processor, up to a settled position, and handed
     * over to the processor there: events appended while it loads are handled live afterwards, none missing, none
     * twice, and the entries of the events before the replay are the live projection's, every column.
     */
    @Test
    void anAuditReplay_isRebuiltInBulk_andEventsAppendedDuringTheLoad_areHandledAfterTheHandover() {
        awaitCaughtUp();
        long head = jdbc.queryForObject("SELECT max(global_index) FROM command_side.domain_event_entry", Long.class);
        Map<String, String> before = auditChecksums(head);
        List<String> indexes = ReadModels.auditIndexes(jdbc);
        REPLAY_LOG.list.clear();
        // slowed, so that the load is still running when the new events are appended
        jdbc.execute("""
                CREATE FUNCTION projections_admin_slow_copy() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(0.005); RETURN NEW; END $$""");
        jdbc.execute("""
                CREATE TRIGGER projections_admin_slow_copy BEFORE INSERT ON query_side.audit_entry
                FOR EACH ROW EXECUTE FUNCTION projections_admin_slow_copy()""");
        List<String> appended = new ArrayList<>();
        String requestedAt;
        try {
            requestedAt = requestReplay("audit").expect(202).json().path("replay").path("requestedAt").asText();
            // the load's first chunk committed: the load is under way, its end position chosen
            Eventually.untilAsserted(REPLAY_TIME, () -> {
                assertThat(replaying(status("audit"))).isTrue();
                assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry", Long.class))
                        .isPositive();
            });
            String ws = VARIED.keySet().iterator().next();
            for (int i = 0; i < 5; i++) {
                appended.add(api.createServiceAccount(ws, VARIED.get(ws), "during-the-load-" + i).path("id").asText());
            }
            assertThat(replaying(status("audit"))).as("still loading after the appends").isTrue();
        } finally {
            jdbc.execute("DROP TRIGGER projections_admin_slow_copy ON query_side.audit_entry");
            jdbc.execute("DROP FUNCTION projections_admin_slow_copy()");
        }
        awaitReplayFinished("audit", requestedAt);
        awaitCaughtUp();

        List<String> lines = logLines();
        String reached = "Replay of 'audit': bulk rebuild reached position ";
        long settled = lines.stream().filter(line -> line.startsWith(reached))
                .map(line -> Long.parseLong(line.substring(reached.length(), line.indexOf(':', reached.length()))))
                .findFirst().orElseThrow(() -> new AssertionError("no bulk rebuild in " + lines));
        assertThat(auditChecksums(head)).as("the entries of the events before the replay").isEqualTo(before);
        assertThat(jdbc.queryForList("SELECT subject_id FROM query_side.audit_entry WHERE position > ? "
                        + "AND type = 'service_account.created' ORDER BY position", String.class, settled))
                .as("accounts created during the load, after the position the load reached").isEqualTo(appended);
        assertThat(auditEntries()).as("one audit entry per event").isEqualTo(events());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry", Long.class)
                + jdbc.queryForObject("SELECT count(*) FROM query_side.platform_audit_entry", Long.class))
                .as("audit entries, none twice").isEqualTo(events());
        assertThat(ReadModels.auditIndexes(jdbc)).as("the indexes the load dropped, created again").isEqualTo(indexes)
                .hasSizeGreaterThan(10);
    }

    /** Count and md5 of every column of the audit trails' rows up to {@code position}. */
    private static Map<String, String> auditChecksums(long position) {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String table : List.of("audit_entry", "platform_audit_entry")) {
            sums.put(table, jdbc.queryForObject("SELECT count(*) || ' rows, md5 ' || md5(coalesce(string_agg(r::text, "
                    + "E'\\n' ORDER BY r.position), '')) FROM query_side." + table + " r WHERE r.position <= ?",
                    String.class, position));
        }
        return sums;
    }

    private void replayWhileTheOthersServe(Map<String, String> checksums, Map<String, JsonNode> otherViews) {
        Response accepted = requestReplay("audit").expect(202);
        requestReplay("audit").expectProblem(409, "replay-in-progress");
        String requestedAt = accepted.json().path("replay").path("requestedAt").asText();

        List<JsonNode> seen = new ArrayList<>();
        boolean othersServedDuringTheReplay = false;
        long auditRowsDuringTheReplay = -1;
        Instant deadline = Instant.now().plus(REPLAY_TIME);
        while (!finished(seen.isEmpty() ? accepted.json() : seen.get(seen.size() - 1), requestedAt)) {
            assertThat(Instant.now()).as("replay finished in time; seen: " + seen).isBefore(deadline);
            JsonNode audit = status("audit");
            seen.add(audit);
            if (!othersServedDuringTheReplay && replaying(audit)) {
                assertThat(otherGroupsViews()).as("accounts, members and projects during the replay")
                        .isEqualTo(otherViews);
                assertThat(Json.items(list())).filteredOn(g -> !g.path("name").asText().equals("audit"))
                        .allSatisfy(g -> assertThat(g.path("state").asText()).isEqualTo("live"));
                long rows = jdbc.queryForObject("SELECT count(*) FROM query_side.audit_entry", Long.class);
                othersServedDuringTheReplay = replaying(status("audit"));
                auditRowsDuringTheReplay = othersServedDuringTheReplay ? rows : -1;
            }
        }

        List<JsonNode> midway = seen.stream().filter(s -> replaying(s) && s.path("replay").path("percent").asInt() > 0
                && s.path("replay").path("percent").asInt() < 100).toList();
        assertThat(midway).as("answers with the replay between 0 and 100 percent, of " + seen).isNotEmpty();
        assertThat(midway).allSatisfy(s -> {
            JsonNode replay = s.path("replay");
            assertThat(replay.path("position").asLong()).isLessThan(replay.path("resetPosition").asLong());
            assertThat(replay.path("startedAt").asText()).isNotBlank();
            assertThat(s.path("lag").asLong()).as("lag while replaying").isPositive();
        });
        List<Integer> percents = seen.stream().filter(ProjectionsAdminIT::replaying)
                .map(s -> s.path("replay").path("percent").asInt()).toList();
        assertThat(percents).as("progress never goes back").isSorted();
        assertThat(othersServedDuringTheReplay).as("the other read models answered while the audit replay ran")
                .isTrue();
        assertThat(auditRowsDuringTheReplay).as("audit entries while replaying: cleared by the reset, being rebuilt")
                .isLessThan(events());

        assertThat(ReadModels.checksums(jdbc)).isEqualTo(checksums);
        assertThat(auditEntries()).as("one audit entry per event").isEqualTo(events());
        long replayed = seen.get(seen.size() - 1).path("lastReplay").path("resetPosition").asLong();
        String count = String.format(Locale.ROOT, "%,d", replayed);
        assertThat(logLines()).contains(
                "Replay of 'audit' started: read model cleared, " + count + " events to replay from the first");
        assertThat(logLines()).anySatisfy(line -> assertThat(line).matches(
                "Replay of 'audit' finished: " + count + " events in \\d+\\.\\d s \\(requested by operator\\)"));
    }

    /**
     * A node that holds a segment and never lets go (here a claim no node refreshes, dated far ahead) keeps the
     * replay from resetting. Once the replay has waited the pause timeout (60 s; the test moves its request time
     * back rather than waiting) it is abandoned: nothing was reset, and the group runs again on every node.
     */
    @Test
    void aReplayThatCannotGetEverySegment_isAbandonedAfterThePauseTimeout_andTheGroupRunsAgain() {
        awaitCaughtUp();
        long membersBefore = jdbc.queryForObject("SELECT count(*) FROM query_side.member", Long.class);
        REPLAY_LOG.list.clear();
        jdbc.update("UPDATE query_side.token_entry SET owner = 'stuck-node', timestamp = '2999-01-01T00:00:00Z' "
                + "WHERE processor_name = 'members' AND segment = 3");
        try {
            requestReplay("members").expect(202);
            Eventually.untilAsserted(() -> {
                JsonNode members = status("members");
                assertThat(members.path("state").asText()).isEqualTo("pausing");
                assertThat(Json.list(members.path("segments"))).as("this node let go; the stuck one did not")
                        .extracting(segment -> segment.path("owner").asText(null))
                        .containsExactly(null, null, null, "stuck-node");
            });
            String ws = VARIED.keySet().iterator().next();
            api.addMember(ws, VARIED.get(ws), "while-paused", "member");
            assertThat(status("members").path("lag").asLong()).as("members lag while paused everywhere").isPositive();

            jdbc.update("UPDATE query_side.projection_replay SET requested_at = requested_at - interval '61 seconds' "
                    + "WHERE processing_group = 'members' AND state = 'pausing'");
            Eventually.untilAsserted(() -> {
                JsonNode members = status("members");
                assertThat(members.path("state").asText()).isEqualTo("live");
                assertThat(members.path("lastReplay").path("outcome").asText()).isEqualTo("abandoned");
                assertThat(members.path("lastReplay").path("note").asText()).contains("did not all let go");
                assertThat(members.path("lastReplay").path("startedAt").isNull()).as("never reset").isTrue();
            });
            assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.member", Long.class))
                    .as("members read model, not cleared").isGreaterThanOrEqualTo(membersBefore);
            assertThat(logLines()).anySatisfy(line -> assertThat(line).startsWith("Replay of 'members' abandoned"));
        } finally {
            jdbc.update("UPDATE query_side.token_entry SET owner = NULL WHERE owner = 'stuck-node'");
        }
        String ws = VARIED.keySet().iterator().next();
        Eventually.read(() -> api.listMembers(ws, VARIED.get(ws)),
                page -> assertThat(Json.texts(Json.items(page), "username")).contains("while-paused"));
        awaitCaughtUp();
    }

    @Test
    void onlyTheOperator_mayReadOrReplay_andOnlyTheQuerySidesGroups() {
        String admin = VARIED.values().iterator().next();
        Response anonymous = api.query("GET", ADMIN_ENDPOINT).send();
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(api.query("POST", ADMIN_ENDPOINT + "/audit/replay").send().status()).isEqualTo(401);
        api.query("GET", ADMIN_ENDPOINT).token(admin).send().expectProblem(403, "operator-required");
        api.query("GET", ADMIN_ENDPOINT + "/audit").token(admin).send().expectProblem(403, "operator-required");
        api.query("POST", ADMIN_ENDPOINT + "/audit/replay").token(admin).send().expectProblem(403, "operator-required");
        api.query("POST", ADMIN_ENDPOINT + "/nope/replay").token(admin).send().expectProblem(403, "operator-required");

        api.query("GET", ADMIN_ENDPOINT + "/nope").token(api.operatorToken()).send()
                .expectProblem(404, "projection-not-found");
        Response unknown = requestReplay("nope").expectProblem(404, "projection-not-found");
        assertThat(unknown.detail()).contains("[audit, members, projects, service-accounts]");
        // the command side's credential tables are written in each command's transaction: nothing to replay here
        requestReplay("credentials").expectProblem(404, "projection-not-found");
    }

    // ------------------------------------------------------------------ helpers

    private static Response requestReplay(String group) {
        return api.query("POST", ADMIN_ENDPOINT + "/" + group + "/replay").token(api.operatorToken()).send();
    }

    private static JsonNode list() {
        return api.query("GET", ADMIN_ENDPOINT).token(api.operatorToken()).send().expect(200).json();
    }

    private static JsonNode status(String group) {
        return api.query("GET", ADMIN_ENDPOINT + "/" + group).token(api.operatorToken()).send().expect(200).json();
    }

    private static boolean replaying(JsonNode status) {
        return status.path("state").asText().equals("replaying");
    }

    /** The replay requested at {@code requestedAt} has finished and the group is live again. */
    private static boolean finished(JsonNode status, String requestedAt) {
        return status.path("state").asText().equals("live")
                && status.path("lastReplay").path("outcome").asText().equals("finished")
                && status.path("lastReplay").path("requestedAt").asText().equals(requestedAt);
    }

    private static void awaitReplayFinished(String group, String requestedAt) {
        Eventually.untilAsserted(REPLAY_TIME, () -> assertThat(finished(status(group), requestedAt))
                .as(group + " replay requested at " + requestedAt + " finished: " + status(group)).isTrue());
    }

    /** Every group live, with every event of the store handled (not Axon's isReplaying(): see ReplayProgress). */
    private static void awaitCaughtUp() {
        Eventually.untilAsserted(CATCH_UP, () -> assertThat(Json.items(list())).allSatisfy(group -> {
            assertThat(group.path("state").asText()).isEqualTo("live");
            assertThat(group.path("lag").asLong()).isZero();
        }));
    }

    private static long events() {
        return jdbc.queryForObject("SELECT count(*) FROM command_side.domain_event_entry", Long.class);
    }

    /**
     * Audit entries whose position is an event's, each once (the position is the table's key): a workspace's in the
     * workspace trail, a platform event's in the platform trail.
     */
    private static long auditEntries() {
        return jdbc.queryForObject("""
                SELECT count(*) FROM (SELECT position, event_id FROM query_side.audit_entry
                                      UNION ALL
                                      SELECT position, event_id FROM query_side.platform_audit_entry) a
                  JOIN command_side.domain_event_entry e
                    ON e.global_index = a.position AND e.event_identifier = a.event_id
                """, Long.class);
    }

    private static Logger bulkLogger() {
        return (Logger) LoggerFactory.getLogger("dev.svcaccounts.query.projection.BulkReplay");
    }

    private static Logger replayLogger() {
        return (Logger) LoggerFactory.getLogger("dev.svcaccounts.query.projection.ReplayCoordinator");
    }

    private static List<String> logLines() {
        return REPLAY_LOG.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** What the API shows of the varied workspaces from the service-accounts, members and projects read models. */
    private static Map<String, JsonNode> otherGroupsViews() {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        VARIED.forEach((ws, admin) -> {
            views.put(ws + " accounts", api.listServiceAccounts(ws, admin).expect(200).json());
            views.put(ws + " members", api.listMembers(ws, admin).expect(200).json());
            views.put(ws + " projects", api.listProjects(ws, admin).expect(200).json());
        });
        return views;
    }

    /** What the API shows of everything in the varied workspaces. */
    private static Map<String, JsonNode> apiViews() {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        VARIED.forEach((ws, admin) -> {
            for (String status : new String[]{null, "active", "deactivated", "deleted"}) {
                JsonNode page = api.listServiceAccounts(ws, admin, status).expect(200).json();
                views.put(ws + " list " + status, page);
                if ("deleted".equals(status) || status == null) {
                    for (JsonNode sa : Json.items(page)) {
                        String id = sa.path("id").asText();
                        views.put(ws + " detail " + id, api.getServiceAccount(ws, admin, id).expect(200).json());
                        views.put(ws + " tokens " + id, api.listTokens(ws, admin, id).expect(200).json());
                    }
                }
            }
            views.put(ws + " audit",
                    api.query("GET", Api.audit(ws)).token(admin).param("limit", "500").send().expect(200).json());
            views.put(ws + " members", api.listMembers(ws, admin).expect(200).json());
            JsonNode projects = api.listProjects(ws, admin).expect(200).json();
            views.put(ws + " projects", projects);
            for (String key : Json.texts(Json.items(projects), "key")) {
                views.put(ws + " project " + key, api.getProject(ws, admin, key).expect(200).json());
                views.put(ws + " project " + key + " accounts",
                        api.projectServiceAccounts(ws, admin, key).expect(200).json());
                views.put(ws + " project " + key + " members", api.projectMembers(ws, admin, key).expect(200).json());
                views.put(ws + " project " + key + " access", api.projectAccess(ws, admin, key).expect(200).json());
            }
        });
        views.put("platform audit", api.query("GET", "/v1/admin/audit").token(api.operatorToken()).send().expect(200)
                .json());
        return views;
    }

    /** The Merkle log once it holds every event and a checkpoint covers them all. */
    private Map<String, String> settledMerkleLog() {
        Eventually.untilAsserted(() -> {
            long events = jdbc.queryForObject("SELECT count(*) FROM command_side.domain_event_entry", Long.class);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM query_side.merkle_leaf", Long.class))
                    .isEqualTo(events);
            assertThat(jdbc.queryForObject("SELECT max(tree_size) FROM query_side.merkle_checkpoint", Long.class))
                    .isEqualTo(events);
        });
        return ReadModels.merkleLogChecksums(jdbc);
    }
}
