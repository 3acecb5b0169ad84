package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.command.policy.IdleTokenSweeper;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workspace credential policy over HTTP on real PostgreSQL: set by admins, read by the workspace (and at an
 * instant by admins), followed by every token issued, enforced on existing tokens so that they stop on both sides
 * when the command returns, listed by the compliance report, and idle tokens revoked by the sweeper exactly once even
 * when two command nodes sweep at once.
 *
 * <p>Nobody waits days: a token is made old by moving its issue back in the event store, the credential table and the
 * read model ({@link #age}); the command node keeps one workspace in memory, so touching another workspace makes it
 * read the aged events again.
 */
class TokenPolicyIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("token-policy",
            "--svcaccounts.workspace-cache.entries=1", "--svcaccounts.idle-sweep.interval=1h");
    private static Api api;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    @Test
    void adminsSetThePolicy_theWorkspaceReadsIt_andAdminsReadItAtAnInstant() throws Exception {
        Principal admin = workspaces.fresh("policy");
        Principal bob = workspaces.user(admin, "bob", "member");
        JsonNode initial = policy(admin, bob.token()).expect(200).json();
        assertThat(initial.path("maxLifetimeDays").isNull()).isTrue();
        assertThat(initial.path("requireExpiry").asBoolean()).isFalse();
        assertThat(initial.path("maxIdleDays").isNull()).isTrue();
        assertThat(initial.path("allowServiceAccountTokens").asBoolean()).isTrue();
        assertThat(initial.path("setAt").isNull()).isTrue();

        setPolicy(admin, bob.token(), Map.of("maxLifetimeDays", 90)).expectProblem(403, "workspace-admin-required");
        setPolicy(admin, admin.token(), Map.of("maxLifetimeDays", 0)).expectProblem(400, "invalid-policy");
        setPolicy(admin, admin.token(), Map.of("maxIdleDays", 3651)).expectProblem(400, "invalid-policy");
        setPolicy(admin, admin.token(), Map.of("maxLifetimeDays", 90, "color", "red"))
                .expectProblem(400, "malformed-request");
        for (String body : List.of("{\"maxLifetimeDays\": 90.5}", "{\"maxLifetimeDays\": \"90\"}",
                "{\"enforce\": \"true\"}", "{\"requireExpiry\": 1}")) {
            api.command("PUT", path(admin)).token(admin.token()).rawJson(body).send()
                    .expectProblem(400, "malformed-request");
        }

        JsonNode set = setPolicy(admin, admin.token(), Map.of("maxLifetimeDays", 90, "requireExpiry", true))
                .expect(200).json();
        assertThat(set.path("maxLifetimeDays").asInt()).isEqualTo(90);
        assertThat(set.path("requireExpiry").asBoolean()).isTrue();
        assertThat(set.path("allowServiceAccountTokens").asBoolean()).isTrue();
        Thread.sleep(50);
        Instant between = Instant.now();
        Thread.sleep(50);
        setPolicy(admin, admin.token(), Map.of("maxLifetimeDays", 30, "allowServiceAccountTokens", false))
                .expect(200);

        JsonNode then = api.query("GET", path(admin)).token(admin.token()).param("at", between.toString()).send()
                .expect(200).json();
        assertThat(then.path("maxLifetimeDays").asInt()).isEqualTo(90);
        assertThat(then.path("requireExpiry").asBoolean()).isTrue();
        assertThat(then.path("setBy").path("id").asText()).isEqualTo("alice");
        JsonNode now = Eventually.read(() -> policy(admin, bob.token()),
                page -> assertThat(page.path("maxLifetimeDays").asInt()).isEqualTo(30));
        assertThat(now.path("requireExpiry").asBoolean()).isFalse();
        assertThat(now.path("allowServiceAccountTokens").asBoolean()).isFalse();
        api.query("GET", path(admin)).token(bob.token()).param("at", between.toString()).send()
                .expectProblem(403, "workspace-admin-required");
        assertThat(api.query("GET", path(admin)).token(admin.token()).param("at", Instant.now().toString()).send()
                .expect(200).json()).isEqualTo(now);

        JsonNode trail = Eventually.read(() -> api.audit(admin.ws(), admin.token(),
                Map.of("type", "token_policy.set")), page -> assertThat(Json.items(page)).hasSize(2));
        JsonNode second = Json.items(trail).stream().filter(e -> e.path("details").path("after")
                .path("maxLifetimeDays").asInt() == 30).findFirst().orElseThrow();
        assertThat(second.path("details").path("before").path("maxLifetimeDays").asInt()).isEqualTo(90);
        assertThat(second.path("details").path("before").path("requireExpiry").asBoolean()).isTrue();
        assertThat(second.path("details").path("after").path("allowServiceAccountTokens").asBoolean()).isFalse();
        assertThat(second.path("actor").path("id").asText()).isEqualTo("alice");
    }

    @Test
    void tokensIssuedUnderThePolicy_followIt_forBothOwnerKinds_andCreationAndReactivation() {
        Principal admin = workspaces.fresh("issue");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        setPolicy(admin, admin.token(), Map.of("maxLifetimeDays", 30)).expect(200);

        Instant before = Instant.now();
        JsonNode defaulted = api.issueToken(admin.ws(), admin.token(), ci.id());
        JsonNode usersToken = api.issueMemberToken(admin.ws(), admin.token(), "alice");
        JsonNode created = api.createServiceAccount(admin.ws(), admin.token(), "etl");
        Instant after = Instant.now();
        for (JsonNode token : List.of(defaulted, usersToken, created.path("token"))) {
            assertThat(Instant.parse(token.path("expiresAt").asText()))
                    .isBetween(before.plus(Duration.ofDays(30)), after.plus(Duration.ofDays(30)));
        }
        Instant in10Days = Instant.now().plus(Duration.ofDays(10));
        JsonNode chosen = api.command("POST", Api.serviceAccounts(admin.ws())).token(admin.token())
                .json(Map.of("name", "chosen", "tokenExpiresAt", in10Days.toString())).send().expect(201).json();
        assertThat(Instant.parse(chosen.path("token").path("expiresAt").asText())).isEqualTo(in10Days);
        Response tooLong = api.command("POST", Api.tokens(admin.ws(), ci.id())).token(admin.token())
                .json(Map.of("expiresAt", Instant.now().plus(Duration.ofDays(31)).toString())).send()
                .expectProblem(400, "policy-max-lifetime");
        assertThat(tooLong.json().path("limit").asInt()).isEqualTo(30);

        setPolicy(admin, admin.token(), Map.of("requireExpiry", true)).expect(200);
        api.command("POST", Api.memberTokens(admin.ws(), "alice")).token(admin.token()).send()
                .expectProblem(400, "policy-require-expiry");
        api.command("POST", Api.serviceAccounts(admin.ws())).token(admin.token()).json(Map.of("name", "nope"))
                .send().expectProblem(400, "policy-require-expiry");

        setPolicy(admin, admin.token(), Map.of("allowServiceAccountTokens", false)).expect(200);
        api.command("POST", Api.tokens(admin.ws(), ci.id())).token(admin.token()).send()
                .expectProblem(409, "policy-service-account-tokens");
        JsonNode tokenless = api.createServiceAccount(admin.ws(), admin.token(), "tokenless");
        assertThat(tokenless.path("token").isNull()).as(tokenless.toString()).isTrue();
        api.deactivate(admin.ws(), admin.token(), ci.id());
        JsonNode reactivated = api.reactivate(admin.ws(), admin.token(), ci.id());
        assertThat(reactivated.path("token").isNull()).as(reactivated.toString()).isTrue();
        assertThat(api.issueMemberToken(admin.ws(), admin.token(), "alice").path("secret").asText())
                .as("users' tokens are still allowed").isNotEmpty();
    }

    @Test
    void enforcedMaximumLifetime_stopsOlderTokensOnBothSidesAtOnce_andCapsTheOthers() {
        Principal admin = workspaces.fresh("enforce");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        JsonNode young = api.issueToken(admin.ws(), admin.token(), ci.id());
        Principal bob = workspaces.user(admin, "bob", "member");
        system.awaitProjectionsCaughtUp();
        age(ci.tokenId(), "service_account_token", Duration.ofDays(100));
        // a token 20 s short of the maximum: capped to expire 20 s from now
        age(young.path("id").asText(), "service_account_token", Duration.ofDays(90).minusSeconds(20));
        workspaces.fresh("elsewhere"); // the command node reads the aged workspace again

        setPolicy(admin, admin.token(), Map.of("maxLifetimeDays", 90)).expect(200);
        system.awaitProjectionsCaughtUp();
        JsonNode report = compliance(admin, Map.of("breaksPolicy", "true"));
        assertThat(Json.texts(Json.items(report), "id")).containsExactlyInAnyOrder(admin.tokenId(), ci.tokenId(),
                young.path("id").asText(), bob.tokenId());
        assertThat(Json.item(report, "id", ci.tokenId()).path("policyViolations").toString())
                .isEqualTo("[\"policy-max-lifetime\"]");
        assertThat(Probe.querySide(api, admin.ws(), ci.token()).status()).as("not enforced yet").isEqualTo(403);

        JsonNode enforced = setPolicy(admin, admin.token(), Map.of("maxLifetimeDays", 90, "enforce", true))
                .expect(200).json();
        assertThat(enforced.path("revokedTokens").asInt()).isEqualTo(1);
        assertThat(enforced.path("shortenedTokens").asInt()).isEqualTo(3);
        // at once, on both sides
        Probe.commandSide(api, admin.ws(), ci.token()).expect(401);
        Probe.querySide(api, admin.ws(), ci.token()).expect(401);
        Probe.querySide(api, admin.ws(), bob.token()).expect(403);

        Eventually.untilAsserted(Duration.ofSeconds(40), () ->
                Probe.querySide(api, admin.ws(), young.path("secret").asText()).expect(401));
        Probe.commandSide(api, admin.ws(), young.path("secret").asText()).expect(401);
        assertThat(refusalRule(admin, ci.tokenId())).isEqualTo("policy-max-lifetime");
        assertThat(refusalRule(admin, young.path("id").asText())).isEqualTo("policy-max-lifetime");
        JsonNode revocation = Json.items(api.audit(admin.ws(), admin.token(),
                Map.of("subject", ci.tokenId(), "type", "token.revoked")).expect(200).json()).get(0);
        assertThat(revocation.path("details").path("cause").asText()).isEqualTo("policy_max_lifetime");
        Eventually.read(() -> api.query("GET", complianceTokens(admin)).token(admin.token())
                .param("breaksPolicy", "true").send(), page -> assertThat(Json.items(page)).isEmpty());
    }

    @Test
    void idleTokens_areRevokedOnce_evenWhenTwoNodesSweepAtOnce() throws Exception {
        Principal admin = workspaces.fresh("idle");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        JsonNode usedLately = api.issueToken(admin.ws(), admin.token(), ci.id());
        system.awaitProjectionsCaughtUp();
        age(ci.tokenId(), "service_account_token", Duration.ofDays(40));
        age(usedLately.path("id").asText(), "service_account_token", Duration.ofDays(40));
        jdbc().update("INSERT INTO command_side.token_usage (token_id, workspace_id, last_used_at) "
                + "VALUES (?, ?, now() - interval '1 day')", usedLately.path("id").asText(), admin.ws());
        workspaces.fresh("elsewhere"); // the command node reads the aged workspace again
        IdleTokenSweeper sweeper = system.commandSide().getBean(IdleTokenSweeper.class);

        setPolicy(admin, admin.token(), Map.of("maxIdleDays", 30)).expect(200);
        assertThat(sweeper.sweep()).as("without enforce, existing tokens get 30 days from now").isZero();
        system.awaitProjectionsCaughtUp();
        JsonNode report = compliance(admin, Map.of("breaksPolicy", "true"));
        assertThat(Json.texts(Json.items(report), "id")).containsExactly(ci.tokenId());
        assertThat(Json.items(report).get(0).path("policyViolations").toString()).isEqualTo("[\"policy-idle\"]");

        setPolicy(admin, admin.token(), Map.of("maxIdleDays", 30, "enforce", true)).expect(200);
        ConfigurableApplicationContext second = RunningSystem.startCommandSide(system.database(),
                "--svcaccounts.idle-sweep.interval=1h");
        try {
            IdleTokenSweeper other = second.getBean(IdleTokenSweeper.class);
            ExecutorService both = Executors.newFixedThreadPool(2);
            CompletableFuture<Integer> one = CompletableFuture.supplyAsync(sweeper::sweep, both);
            CompletableFuture<Integer> two = CompletableFuture.supplyAsync(other::sweep, both);
            assertThat(one.get() + two.get()).as("revoked by either node, once").isEqualTo(1);
            both.shutdown();
        } finally {
            second.close();
        }
        Probe.commandSide(api, admin.ws(), ci.token()).expect(401);
        Probe.querySide(api, admin.ws(), ci.token()).expect(401);
        Probe.querySide(api, admin.ws(), usedLately.path("secret").asText()).expect(403);
        assertThat(sweeper.sweep()).isZero();
        assertThat(jdbc().queryForObject("SELECT count(*) FROM command_side.domain_event_entry "
                + "WHERE payload_type LIKE '%TokenRevokedEvent' AND convert_from(payload, 'UTF8') LIKE ?",
                Integer.class, "%" + ci.tokenId() + "%")).isEqualTo(1);
        JsonNode revocation = Eventually.read(() -> api.audit(admin.ws(), admin.token(),
                        Map.of("subject", ci.tokenId(), "type", "token.revoked")),
                page -> assertThat(Json.items(page)).hasSize(1)).path("items").get(0);
        assertThat(revocation.path("details").path("cause").asText()).isEqualTo("idle");
        assertThat(revocation.path("reason").asText()).contains("30 days");
        assertThat(refusalRule(admin, ci.tokenId())).isEqualTo("policy-idle");
    }

    /**
     * A stricter policy set while tokens are being issued: each issue is decided before or after it in the workspace's
     * order, so every token that asked for 30 days and got them was recorded before the policy, and none after.
     */
    @Test
    void aPolicyRacingTokenIssues_neverLetsANonCompliantTokenThrough() throws Exception {
        Principal admin = workspaces.fresh("race");
        List<Principal> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accounts.add(workspaces.serviceAccount(admin, "ci-" + i));
        }
        String in30Days = Instant.now().plus(Duration.ofDays(30)).toString();
        List<CompletableFuture<Response>> issues = new ArrayList<>();
        CompletableFuture<Response> policy = null;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int round = 0; round < 4; round++) {
            for (Principal account : accounts) {
                issues.add(CompletableFuture.supplyAsync(() -> api.command("POST", Api.tokens(admin.ws(),
                        account.id())).token(admin.token()).json(Map.of("expiresAt", in30Days)).send(), pool));
            }
            if (round == 1) {
                policy = CompletableFuture.supplyAsync(() -> setPolicy(admin, admin.token(),
                        Map.of("maxLifetimeDays", 7)), pool);
            }
        }
        policy.get().expect(200);
        pool.shutdown();
        Long policyAt = sequenceOf(admin.ws(), "TokenPolicySetEvent", "");
        for (CompletableFuture<Response> issue : issues) {
            Response answer = issue.get();
            if (answer.status() == 201) {
                assertThat(sequenceOf(admin.ws(), "TokenIssuedEvent", answer.json().path("id").asText()))
                        .as("a 30-day token is recorded before the 7-day policy").isLessThan(policyAt);
            } else {
                answer.expectProblem(400, "policy-max-lifetime");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The sequence number in the workspace's stream of its one event of this type whose payload holds {@code text}. */
    private static Long sequenceOf(String ws, String type, String text) {
        return jdbc().queryForObject("SELECT sequence_number FROM command_side.domain_event_entry "
                + "WHERE aggregate_identifier = ? AND payload_type LIKE ? AND convert_from(payload, 'UTF8') LIKE ?",
                Long.class, ws, "%" + type, "%" + text + "%");
    }

    private static String path(Principal admin) {
        return "/v1/workspaces/" + admin.ws() + "/policies/tokens";
    }

    private static String complianceTokens(Principal admin) {
        return "/v1/workspaces/" + admin.ws() + "/compliance/tokens";
    }

    private static Response policy(Principal admin, String token) {
        return api.query("GET", path(admin)).token(token).send();
    }

    private static Response setPolicy(Principal admin, String token, Map<String, Object> body) {
        return api.command("PUT", path(admin)).token(token).json(body).send();
    }

    private static JsonNode compliance(Principal admin, Map<String, String> params) {
        Api.Request request = api.query("GET", complianceTokens(admin)).token(admin.token());
        params.forEach(request::param);
        return request.send().expect(200).json();
    }

    /** The rule of the trail's refusal of a request made with this token, once the trail has it. */
    private static String refusalRule(Principal admin, String tokenId) {
        Map<String, String> filters = new HashMap<>(Map.of("token", tokenId, "type", "access.refused"));
        return Eventually.read(() -> api.audit(admin.ws(), admin.token(), filters),
                page -> assertThat(Json.items(page)).isNotEmpty()).path("items").get(0)
                .path("details").path("rule").asText();
    }

    /** Moves a token's issue back by {@code by}: in the event store, the credential table and the read model. */
    private static void age(String tokenId, String readModel, Duration by) {
        String interval = by.toSeconds() + " seconds";
        assertThat(jdbc().update("""
                UPDATE command_side.domain_event_entry
                   SET time_stamp = to_char((time_stamp::timestamptz - ?::interval) AT TIME ZONE 'UTC',
                                            'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                 WHERE payload_type LIKE '%TokenIssuedEvent' AND convert_from(payload, 'UTF8') LIKE ?
                """, interval, "%\"tokenId\":\"" + tokenId + "\"%")).isEqualTo(1);
        assertThat(jdbc().update("UPDATE command_side.auth_token SET issued_at = issued_at - ?::interval "
                + "WHERE token_id = ?", interval, tokenId)).isEqualTo(1);
        assertThat(jdbc().update("UPDATE query_side." + readModel + " SET created_at = created_at - ?::interval "
                + "WHERE token_id = ?", interval, tokenId)).isEqualTo(1);
    }

    private static JdbcTemplate jdbc() {
        return system.database().jdbc();
    }
}
