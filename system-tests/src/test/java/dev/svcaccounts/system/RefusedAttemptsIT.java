package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.svcaccounts.system.support.Api.project;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refused attempts are in the audit trail too (type {@code access.refused}): writes answered 403, and requests
 * with a token that once worked answered 401, each with who tried, with which token, from where, what and which
 * rule refused it. Unknown and garbage tokens are not recorded, the 401 gives no hint either way, and a token
 * hammering away is recorded at most ten times a minute.
 */
class RefusedAttemptsIT {

    private static final String WS = "refusals";
    private static final String USER_AGENT = "refused-attempts-it/1.0";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("refusals");
    private static Api api;
    private static String admin;

    @BeforeAll
    static void setUp() {
        api = system.api();
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
    }

    @Test
    void serviceAccountDeletingAProject_isRecordedAsRefused_andChangesNothing() {
        api.createProject(WS, admin, "churn", "workspace");
        JsonNode sa = api.createServiceAccount(WS, admin, "ci-owner");
        String saId = sa.path("id").asText();
        api.assignServiceAccount(WS, admin, "churn", saId, "owner");

        api.command("DELETE", project(WS, "churn")).token(sa.path("token").path("secret").asText())
                .header("X-Request-Id", "req-sa-delete").header("User-Agent", USER_AGENT)
                .header("X-Audit-Reason", "cleanup job").send()
                .expectProblem(403, "service-accounts-cannot-delete-projects");

        JsonNode entry = refusal("req-sa-delete");
        assertEntry(entry, "service_account", saId, "ci-owner", sa.path("token").path("id").asText());
        assertThat(entry.path("reason").asText()).isEqualTo("cleanup job");
        assertRefused(entry, "service-accounts-cannot-delete-projects", 403, "DELETE", project(WS, "churn"),
                "project", "churn");
        assertThat(entry.path("details").path("detail").asText()).contains("never delete projects");

        assertThat(api.getProject(WS, admin, "churn").status()).as("the project is still there").isEqualTo(200);
        system.awaitProjectionsCaughtUp();
        assertThat(byRequest("req-sa-delete")).as("the refusal is all the request left in the trail").hasSize(1);
    }

    @Test
    void memberCreatingAServiceAccount_isRecordedAsRefused_andChangesNothing() {
        String bob = api.addMember(WS, admin, "bob", "member").path("token").path("secret").asText();
        String bobTokenId = api.introspect(bob).path("token_id").asText();

        api.command("POST", serviceAccounts(WS)).token(bob).header("X-Request-Id", "req-bob-create")
                .header("User-Agent", USER_AGENT).json(Map.of("name", "bobs-bot")).send()
                .expectProblem(403, "workspace-admin-required");

        JsonNode entry = refusal("req-bob-create");
        assertEntry(entry, "user", "bob", "bob", bobTokenId);
        assertThat(Json.text(entry, "reason")).as("no reason sent").isNull();
        assertRefused(entry, "workspace-admin-required", 403, "POST", serviceAccounts(WS), "workspace", WS);

        system.awaitProjectionsCaughtUp();
        assertThat(Json.texts(Json.items(api.listServiceAccounts(WS, admin).expect(200).json()), "name"))
                .doesNotContain("bobs-bot");
        assertThat(byRequest("req-bob-create")).hasSize(1);
        // recorded on their own, outside the workspace's event stream: they never compete with its commands
        assertThat(system.database().jdbc().queryForObject("SELECT count(*) FROM command_side.domain_event_entry "
                + "WHERE aggregate_identifier = ? AND payload_type LIKE '%AccessRefusedEvent'", Integer.class, WS))
                .isZero();
    }

    @Test
    void revokedToken_onBothSides_isRecordedAsTokenRevoked_withItsAccountAsActor() {
        JsonNode sa = api.createServiceAccount(WS, admin, "revoked-ci");
        String saId = sa.path("id").asText();
        JsonNode token = api.issueToken(WS, admin, saId);
        api.revokeToken(WS, admin, saId, token.path("id").asText());
        String secret = token.path("secret").asText();

        api.command("PATCH", serviceAccount(WS, saId)).token(secret).header("X-Request-Id", "req-revoked-command")
                .header("User-Agent", USER_AGENT).json(Map.of("name", "renamed")).send().expect(401);
        api.query("GET", serviceAccounts(WS)).token(secret).header("X-Request-Id", "req-revoked-query")
                .header("User-Agent", USER_AGENT).send().expect(401);

        JsonNode command = refusal("req-revoked-command");
        assertEntry(command, "service_account", saId, "revoked-ci", token.path("id").asText());
        assertRefused(command, "token-revoked", 401, "PATCH", serviceAccount(WS, saId), "service_account", saId);
        JsonNode query = refusal("req-revoked-query");
        assertEntry(query, "service_account", saId, "revoked-ci", token.path("id").asText());
        assertRefused(query, "token-revoked", 401, "GET", serviceAccounts(WS), "workspace", WS);
    }

    @Test
    void tokensOfDeactivatedDeletedAndRemovedPrincipals_areRecordedUnderTheirRule() {
        JsonNode deactivated = api.createServiceAccount(WS, admin, "deactivated-ci");
        api.deactivate(WS, admin, deactivated.path("id").asText());
        JsonNode deleted = api.createServiceAccount(WS, admin, "deleted-ci");
        api.delete(WS, admin, deleted.path("id").asText());
        JsonNode carol = api.addMember(WS, admin, "carol", "admin").path("token");
        api.removeMember(WS, admin, "carol");

        refuse(deactivated.path("token").path("secret").asText(), "req-deactivated");
        refuse(deleted.path("token").path("secret").asText(), "req-deleted");
        refuse(carol.path("secret").asText(), "req-removed");

        JsonNode byDeactivated = refusal("req-deactivated");
        assertEntry(byDeactivated, "service_account", deactivated.path("id").asText(), "deactivated-ci",
                deactivated.path("token").path("id").asText());
        assertThat(byDeactivated.path("details").path("rule").asText()).isEqualTo("account-deactivated");
        JsonNode byDeleted = refusal("req-deleted");
        assertEntry(byDeleted, "service_account", deleted.path("id").asText(), "deleted-ci",
                deleted.path("token").path("id").asText());
        assertThat(byDeleted.path("details").path("rule").asText()).isEqualTo("account-deleted");
        JsonNode byRemoved = refusal("req-removed");
        assertEntry(byRemoved, "user", "carol", "carol", carol.path("id").asText());
        assertThat(byRemoved.path("details").path("rule").asText()).isEqualTo("member-removed");
    }

    @Test
    void expiredToken_isRecordedAsTokenExpired() {
        JsonNode sa = api.createServiceAccount(WS, admin, "short-lived");
        String saId = sa.path("id").asText();
        // soon, yet not before it is issued (an expiry in the past is refused): 5 s for a loaded machine
        JsonNode token = api.issueToken(WS, admin, saId, Map.of("expiresAt", Instant.now().plusSeconds(5).toString()));
        String secret = token.path("secret").asText();
        Eventually.untilAsserted(Duration.ofSeconds(30),
                () -> assertThat(Probe.querySide(api, WS, secret).status()).isEqualTo(401));

        refuse(secret, "req-expired");

        JsonNode entry = refusal("req-expired");
        assertEntry(entry, "service_account", saId, "short-lived", token.path("id").asText());
        assertThat(entry.path("details").path("rule").asText()).isEqualTo("token-expired");
    }

    @Test
    void unknownAndGarbageTokens_areRefusedButNotRecorded_andTheAnswerGivesNoHint() {
        JsonNode sa = api.createServiceAccount(WS, admin, "hint-free");
        JsonNode token = api.issueToken(WS, admin, sa.path("id").asText());
        api.revokeToken(WS, admin, sa.path("id").asText(), token.path("id").asText());
        String unknown = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);

        for (boolean commandSide : List.of(true, false)) {
            String side = commandSide ? "command" : "query";
            Response revoked = probe(commandSide, token.path("secret").asText(), "req-same-" + side);
            Response neverIssued = probe(commandSide, unknown, "req-same-" + side);
            assertThat(revoked.status()).isEqualTo(401);
            assertThat(withoutRequestId(revoked.json())).as(side + " side: revoked and unknown tokens get the same "
                    + "body, but for the request's own id").isEqualTo(withoutRequestId(neverIssued.json()));
            assertThat(without(revoked.headers().map(), "x-request-id")).as(side + " side: and the same headers but "
                    + "the date and the request's id")
                    .containsAllEntriesOf(without(without(neverIssued.headers().map(), "date"), "x-request-id"));
            probe(commandSide, unknown, "req-unknown-" + side).expect(401);
            probe(commandSide, "garbage", "req-garbage-" + side).expect(401);
        }

        system.awaitProjectionsCaughtUp();
        assertThat(byRequest("req-same-command")).hasSize(1).allSatisfy(e -> assertThat(e.path("tokenId").asText())
                .isEqualTo(token.path("id").asText()));
        assertThat(byRequest("req-same-query")).hasSize(1);
        for (String requestId : List.of("req-unknown-command", "req-unknown-query", "req-garbage-command",
                "req-garbage-query")) {
            assertThat(byRequest(requestId)).as(requestId).isEmpty();
        }
    }

    @Test
    void aRevokedTokenHammering_isRecordedTenTimesAMinuteAtMost() {
        JsonNode sa = api.createServiceAccount(WS, admin, "hammer");
        JsonNode token = api.issueToken(WS, admin, sa.path("id").asText());
        api.revokeToken(WS, admin, sa.path("id").asText(), token.path("id").asText());

        for (int i = 0; i < 30; i++) {
            refuse(token.path("secret").asText(), "req-hammer-" + i);
        }

        system.awaitProjectionsCaughtUp();
        assertThat(refusals().stream().filter(e -> e.path("tokenId").asText().equals(token.path("id").asText())))
                .as("recorded refusals of the hammering token").hasSize(10);
    }

    // ------------------------------------------------------------------ helpers

    /** A write on the command side with this token and request id, which must answer 401. */
    private static void refuse(String secret, String requestId) {
        probe(true, secret, requestId).expect(401);
    }

    private static Response probe(boolean commandSide, String secret, String requestId) {
        Api.Request request = commandSide
                ? api.command("PATCH", serviceAccount(WS, Probe.NO_SUCH_ACCOUNT)).json(Map.of("description", "x"))
                : api.query("GET", serviceAccounts(WS));
        return request.token(secret).header("X-Request-Id", requestId).header("User-Agent", USER_AGENT).send();
    }

    /** The one refusal recorded for this request id, once the trail has it. */
    private static JsonNode refusal(String requestId) {
        Eventually.untilAsserted(() -> assertThat(byRequest(requestId)).hasSize(1));
        JsonNode entry = byRequest(requestId).get(0);
        assertThat(entry.path("type").asText()).isEqualTo("access.refused");
        return entry;
    }

    private static List<JsonNode> byRequest(String requestId) {
        return Json.items(api.audit(WS, admin, Map.of("limit", "500")).expect(200).json()).stream()
                .filter(e -> requestId.equals(e.path("correlationId").asText())).toList();
    }

    private static List<JsonNode> refusals() {
        return Json.items(api.audit(WS, admin, Map.of("type", "access.refused", "limit", "500")).expect(200).json());
    }

    private static void assertEntry(JsonNode entry, String actorType, String actorId, String actorName,
                                    String tokenId) {
        assertThat(entry.path("actor").path("type").asText()).as(entry.toString()).isEqualTo(actorType);
        assertThat(entry.path("actor").path("id").asText()).as(entry.toString()).isEqualTo(actorId);
        assertThat(entry.path("actor").path("name").asText()).as(entry.toString()).isEqualTo(actorName);
        assertThat(entry.path("tokenId").asText()).as(entry.toString()).isEqualTo(tokenId);
        assertThat(entry.path("clientIp").asText()).as(entry.toString()).isEqualTo("127.0.0.1");
        assertThat(entry.path("userAgent").asText()).as(entry.toString()).isEqualTo(USER_AGENT);
    }

    private static void assertRefused(JsonNode entry, String rule, int status, String method, String path,
                                      String targetType, String targetId) {
        JsonNode details = entry.path("details");
        assertThat(details.path("rule").asText()).as(entry.toString()).isEqualTo(rule);
        assertThat(details.path("status").asInt()).as(entry.toString()).isEqualTo(status);
        assertThat(details.path("method").asText()).as(entry.toString()).isEqualTo(method);
        assertThat(details.path("path").asText()).as(entry.toString()).isEqualTo(path);
        assertThat(entry.path("subject").path("type").asText()).as(entry.toString()).isEqualTo(targetType);
        assertThat(entry.path("subject").path("id").asText()).as(entry.toString()).isEqualTo(targetId);
    }

    private static JsonNode withoutRequestId(JsonNode problem) {
        JsonNode copy = problem.deepCopy();
        ((ObjectNode) copy).remove("requestId");
        return copy;
    }

    private static <V> Map<String, V> without(Map<String, V> map, String header) {
        Map<String, V> copy = new HashMap<>(map);
        copy.keySet().removeIf(header::equalsIgnoreCase);
        return copy;
    }
}
