package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.svcaccounts.system.support.Access.projects;
import static dev.svcaccounts.system.support.Access.scope;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-token scope over HTTP on real PostgreSQL: a token narrower than its owner acts only in the projects it names, at
 * the lower of its owner's role and its cap, on both sides (commands, reads, {@code /v1/me}, introspection), for
 * service accounts and users; beyond it, 403 {@code token-scope-exceeded}, recorded as a refused attempt. Every check
 * is the very next request after the command that set things up.
 */
class TokenScopeIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("token-scope");
    private static Api api;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    /** churn (visible to the workspace) and eval (private); the bot owns churn and contributes to eval. */
    private record Setup(Principal admin, Principal bot, Principal uma) {
        String ws() {
            return admin.ws();
        }
    }

    private static Setup setup(String prefix) {
        Principal admin = workspaces.fresh(prefix);
        String ws = admin.ws();
        api.createProject(ws, admin.token(), "churn", "workspace");
        api.createProject(ws, admin.token(), "eval", "private");
        Principal bot = workspaces.serviceAccount(admin, prefix + "-bot");
        api.assignServiceAccount(ws, admin.token(), "churn", bot.id(), "owner");
        api.assignServiceAccount(ws, admin.token(), "eval", bot.id(), "contributor");
        Principal uma = workspaces.user(admin, "uma", "member");
        api.assignMember(ws, admin.token(), "eval", "uma", "owner");
        return new Setup(admin, bot, uma);
    }

    private static Response issueTo(Setup s, Principal owner, String issuer, Object scope) {
        Map<String, Object> body = new HashMap<>();
        body.put("description", "scoped");
        body.put("scope", scope);
        String path = owner.type().equals(Principal.SERVICE_ACCOUNT) ? Api.tokens(s.ws(), owner.id())
                : Api.memberTokens(s.ws(), owner.id());
        return api.command("POST", path).token(issuer).json(body).send();
    }

    private static Principal scoped(Setup s, Principal owner, String issuer, Map<String, String> scope) {
        JsonNode issued = issueTo(s, owner, issuer, scope).expect(201).json();
        assertThat(issued.path("scope").toString()).isEqualTo(Api.JSON.valueToTree(scope).toString());
        return owner.withToken(issued);
    }

    @Test
    void aServiceAccountsScopedToken_actsOnlyWithinItsCap_onBothSides() {
        Setup s = setup("sa-scope");
        String ws = s.ws();
        Principal viewer = scoped(s, s.bot(), s.admin().token(), Map.of("churn", "viewer"));

        // introspection and /v1/me: churn at viewer, eval not at all, nothing implicit
        JsonNode answer = api.introspect(viewer.token());
        assertThat(projects(answer)).isEqualTo(Map.of("churn", "viewer"));
        assertThat(scope(answer)).containsExactly("churn:read");
        assertThat(answer.has("implicit_access")).isFalse();
        assertThat(projects(api.introspectFor(viewer.token(), "project:eval").expect(200).json())).isEmpty();
        assertThat(projects(api.introspectFor(viewer.token(), "churn").expect(200).json()))
                .isEqualTo(Map.of("churn", "viewer"));
        JsonNode me = api.me(viewer.token()).expect(200).json();
        assertThat(Json.texts(Json.list(me.path("projects")), "key")).containsExactly("churn");
        assertThat(Json.texts(Json.list(me.path("projects")), "role")).containsExactly("viewer");
        assertThat(me.path("scope").toString()).isEqualTo("{\"churn\":\"viewer\"}");
        // the account's own token, unscoped, still has its full access
        assertThat(projects(api.introspect(s.bot().token())))
                .isEqualTo(Map.of("churn", "owner", "eval", "contributor"));

        // query side: reads within the cap, nothing beyond it
        api.getProject(ws, viewer.token(), "churn").expect(200);
        api.getProject(ws, viewer.token(), "eval").expectProblem(403, "token-scope-exceeded");
        assertThat(Json.texts(Json.items(api.listProjects(ws, viewer.token()).expect(200).json()), "key"))
                .containsExactly("churn");

        // command side: a write the account may make, beyond the token's cap
        String requestId = "scope-" + UUID.randomUUID();
        api.command("PATCH", Api.project(ws, "churn")).token(viewer.token()).header("X-Request-Id", requestId)
                .json(Map.of("name", "Renamed")).send().expectProblem(403, "token-scope-exceeded");
        api.command("PUT", Api.projectMember(ws, "churn", "uma")).token(viewer.token())
                .json(Map.of("role", "viewer")).send().expectProblem(403, "token-scope-exceeded");
        api.command("PATCH", Api.project(ws, "eval")).token(viewer.token()).json(Map.of("name", "x")).send()
                .expectProblem(403, "project-manage-required"); // the account itself is no owner of eval
        api.command("POST", Api.projects(ws)).token(viewer.token())
                .json(Map.of("key", "mine", "name", "Mine")).send().expectProblem(403, "token-scope-exceeded");

        // the refused write is in the trail as a refused attempt, with the token that made it
        Eventually.untilAsserted(() -> {
            List<JsonNode> refused = Json.items(api.audit(ws, s.admin().token(),
                    Map.of("type", "access.refused", "limit", "500")).expect(200).json()).stream()
                    .filter(e -> requestId.equals(e.path("correlationId").asText())).toList();
            assertThat(refused).hasSize(1);
            assertThat(refused.get(0).path("details").path("rule").asText()).isEqualTo("token-scope-exceeded");
            assertThat(refused.get(0).path("tokenId").asText()).isEqualTo(viewer.tokenId());
        });

        // the token views and the token.issued entry show the scope
        Eventually.untilAsserted(() -> {
            JsonNode view = Json.items(api.listTokens(ws, s.admin().token(), s.bot().id()).expect(200).json())
                    .stream().filter(t -> t.path("id").asText().equals(viewer.tokenId())).findFirst().orElseThrow();
            assertThat(view.path("scope").toString()).isEqualTo("{\"churn\":\"viewer\"}");
            JsonNode issued = Json.items(api.audit(ws, s.admin().token(), Map.of("type", "token.issued",
                    "limit", "500")).expect(200).json()).stream()
                    .filter(e -> e.path("subject").path("id").asText().equals(viewer.tokenId()))
                    .findFirst().orElseThrow();
            assertThat(issued.path("details").path("scope").toString()).isEqualTo("{\"churn\":\"viewer\"}");
        });
    }

    @Test
    void theCapNeverWidens_whenTheAccountGainsRolesLater() {
        Setup s = setup("widen");
        String ws = s.ws();
        api.createProject(ws, s.admin().token(), "models", "private");
        Principal token = scoped(s, s.bot(), s.admin().token(), Map.of("models", "viewer"));
        assertThat(projects(api.introspect(token.token()))).as("the account has no role there yet").isEmpty();
        api.getProject(ws, token.token(), "models").expectProblem(404, "project-not-found");

        api.assignServiceAccount(ws, s.admin().token(), "models", s.bot().id(), "owner");
        assertThat(projects(api.introspect(token.token()))).isEqualTo(Map.of("models", "viewer"));
        assertThat(scope(api.introspect(token.token()))).containsExactly("models:read");
        api.getProject(ws, token.token(), "models").expect(200);
        api.command("PATCH", Api.project(ws, "models")).token(token.token()).json(Map.of("name", "Renamed"))
                .send().expectProblem(403, "token-scope-exceeded");
        api.command("DELETE", Api.projectServiceAccount(ws, "models", s.bot().id())).token(token.token())
                .send().expectProblem(403, "token-scope-exceeded");
        // the account's unscoped token owns it
        api.updateProject(ws, s.bot().token(), "models", Map.of("name", "Renamed"));
    }

    @Test
    void anAdminsScopedToken_isAViewerOfItsProjectAndNothingElse() {
        Setup s = setup("admin-scope");
        String ws = s.ws();
        Principal admin = s.admin();
        Principal scoped = scoped(s, admin, admin.token(), Map.of("churn", "viewer"));

        JsonNode answer = api.introspect(scoped.token());
        assertThat(answer.path("workspace_role").asText()).isEqualTo("admin");
        assertThat(projects(answer)).isEqualTo(Map.of("churn", "viewer"));
        assertThat(scope(answer)).containsExactly("churn:read");
        assertThat(answer.has("implicit_access")).isFalse();
        assertThat(projects(api.introspectFor(scoped.token(), "eval").expect(200).json())).isEmpty();
        JsonNode me = api.me(scoped.token()).expect(200).json();
        assertThat(me.has("implicitAccess")).isFalse();
        assertThat(Json.texts(Json.list(me.path("projects")), "role")).containsExactly("viewer");

        // nothing workspace-level, on either side
        api.audit(ws, scoped.token(), Map.of()).expectProblem(403, "token-scope-exceeded");
        api.listMembers(ws, scoped.token()).expectProblem(403, "token-scope-exceeded");
        api.listServiceAccounts(ws, scoped.token()).expectProblem(403, "token-scope-exceeded");
        api.listTokens(ws, scoped.token(), s.bot().id()).expectProblem(403, "token-scope-exceeded");
        api.command("POST", Api.serviceAccounts(ws)).token(scoped.token()).json(Map.of("name", "another")).send()
                .expectProblem(403, "token-scope-exceeded");
        api.command("POST", Api.members(ws)).token(scoped.token()).json(Map.of("username", "carol", "role",
                "member")).send().expectProblem(403, "token-scope-exceeded");
        api.command("DELETE", Api.project(ws, "churn")).token(scoped.token()).send()
                .expectProblem(403, "token-scope-exceeded");
        // no escalation: a scoped token issues no token, not even to its own user, not even a narrower one
        issueTo(s, admin, scoped.token(), null).expectProblem(403, "token-scope-exceeded");
        issueTo(s, s.bot(), scoped.token(), Map.of("churn", "viewer")).expectProblem(403, "token-scope-exceeded");
        api.command("PATCH", Api.project(ws, "churn")).token(scoped.token()).json(Map.of("name", "x")).send()
                .expectProblem(403, "token-scope-exceeded");
    }

    @Test
    void aUsersScopedToken_managesAssignmentsOnlyUpToItsCap() {
        Setup s = setup("user-scope");
        String ws = s.ws();
        Principal owner = scoped(s, s.uma(), s.uma().token(), Map.of("eval", "owner"));
        Principal contributor = scoped(s, s.uma(), s.uma().token(), Map.of("eval", "contributor"));

        api.assignServiceAccount(ws, owner.token(), "eval", s.bot().id(), "viewer");
        api.command("PUT", Api.projectServiceAccount(ws, "eval", s.bot().id())).token(contributor.token())
                .json(Map.of("role", "owner")).send().expectProblem(403, "token-scope-exceeded");
        assertThat(projects(api.introspect(contributor.token()))).isEqualTo(Map.of("eval", "contributor"));
        // churn is visible to the whole workspace: uma's full token reaches it, her scoped ones do not
        assertThat(projects(api.introspectFor(s.uma().token(), "churn").expect(200).json()))
                .isEqualTo(Map.of("churn", "contributor"));
        assertThat(projects(api.introspectFor(owner.token(), "churn").expect(200).json())).isEmpty();
        api.getProject(ws, owner.token(), "churn").expectProblem(403, "token-scope-exceeded");

        // her token views show each token's scope
        JsonNode tokens = api.query("GET", Api.memberTokens(ws, "uma")).token(s.uma().token()).send()
                .expect(200).json();
        Eventually.untilAsserted(() -> assertThat(Json.items(api.query("GET", Api.memberTokens(ws, "uma"))
                .token(s.uma().token()).send().expect(200).json()).stream()
                .filter(t -> t.path("id").asText().equals(contributor.tokenId()))
                .map(t -> t.path("scope").toString())).containsExactly("{\"eval\":\"contributor\"}"));
        assertThat(tokens).isNotNull();
        // the scoped token itself does not see its user's tokens: that is workspace-level
        api.query("GET", Api.memberTokens(ws, "uma")).token(owner.token()).send()
                .expectProblem(403, "token-scope-exceeded");
    }

    @Test
    void aBadScope_isRefusedWithAProblemNamingIt() {
        Setup s = setup("bad-scope");
        String admin = s.admin().token();
        issueTo(s, s.bot(), admin, Map.of()).expectProblem(400, "scope-empty");
        issueTo(s, s.bot(), admin, Map.of("Churn!", "viewer")).expectProblem(400, "scope-invalid-key");
        issueTo(s, s.bot(), admin, Map.of("churn", "admin")).expectProblem(400, "scope-invalid-role");
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i < 101; i++) {
            tooMany.put("p" + i, "viewer");
        }
        issueTo(s, s.bot(), admin, tooMany).expectProblem(400, "scope-too-large");
        issueTo(s, s.bot(), admin, "viewer").expectProblem(400, "malformed-request");
        issueTo(s, s.bot(), admin, Map.of("churn", Map.of("role", "viewer"))).expectProblem(400, "malformed-request");
        Response unknown = issueTo(s, s.uma(), s.uma().token(), Map.of("churn", "viewer", "nope", "viewer"));
        unknown.expectProblem(404, "project-not-found");
        assertThat(unknown.detail()).contains("'nope'");
        // a scope left out, or null, is the owner's full access
        JsonNode full = issueTo(s, s.bot(), admin, null).expect(201).json();
        assertThat(full.path("scope").isNull()).as(full.toString()).isTrue();
    }
}
