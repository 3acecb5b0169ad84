package dev.svcaccounts.system;

import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Challenge;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every 401 and 403 of a bearer-protected endpoint, on both sides, carries an RFC 6750 §3 challenge that parses: no
 * credential, the bare {@code Bearer realm}; an invalid one, {@code error="invalid_token"} with a description; a
 * forbidden request, {@code error="insufficient_scope"}. The problem body stays as it was. Another workspace's
 * resources stay 404, without a challenge.
 */
class AuthenticationChallengesIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("challenges");
    private static Api api;
    private static Principal admin;
    private static Principal robot;

    @BeforeAll
    static void setUp() {
        api = system.api();
        Workspaces workspaces = new Workspaces(api);
        admin = workspaces.fresh("challenges");
        robot = workspaces.serviceAccount(admin, "challenged-bot");
    }

    @Test
    void noCredential_isChallengedWithTheRealmAndNoErrorCode_onBothSides() {
        for (Response answer : List.of(
                api.command("POST", Api.serviceAccounts(admin.ws())).json(Map.of("name", "x")).send(),
                api.query("GET", Api.serviceAccounts(admin.ws())).send(),
                api.query("GET", Api.serviceAccounts(admin.ws())).header("Authorization", "Basic Zm9vOmJhcg==")
                        .send())) {
            answer.expectProblem(401, "unauthenticated");
            Challenge challenge = Challenge.parse(answer.header("WWW-Authenticate"));
            assertThat(challenge.scheme()).as(answer.describe()).isEqualTo("Bearer");
            assertThat(challenge.params()).as(answer.describe()).isEqualTo(Map.of("realm", "svcaccounts"));
        }
    }

    @Test
    void anInvalidToken_isInvalidToken_withADescription_onBothSides() {
        String unknown = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
        for (Response answer : List.of(
                api.command("POST", Api.serviceAccounts(admin.ws())).token(unknown).json(Map.of("name", "x")).send(),
                api.query("GET", Api.serviceAccounts(admin.ws())).token(unknown).send(),
                api.query("GET", "/v1/me").token("not-a-token").send())) {
            answer.expectProblem(401, "unauthenticated");
            Challenge challenge = Challenge.parse(answer.header("WWW-Authenticate"));
            assertThat(challenge.scheme()).isEqualTo("Bearer");
            assertThat(challenge.param("realm")).isEqualTo("svcaccounts");
            assertThat(challenge.param("error")).as(answer.describe()).isEqualTo("invalid_token");
            assertThat(challenge.param("error_description")).as(answer.describe())
                    .isEqualTo(answer.detail());
        }
    }

    @Test
    void aForbiddenRequest_isInsufficientScope_onBothSides_andItsProblemStays() {
        Response commandSide = api.command("POST", Api.serviceAccounts(admin.ws())).token(robot.token())
                .json(Map.of("name", "x")).send();
        Response querySide = api.query("GET", Api.serviceAccounts(admin.ws())).token(robot.token()).send();
        Response operatorOnly = api.query("GET", "/v1/admin/projections").token(admin.token()).send();
        Response operatorOnlyWrite = api.command("POST", "/v1/admin/introspection-clients").token(admin.token())
                .json(Map.of("name", "x")).send();
        for (Response answer : List.of(commandSide, querySide, operatorOnly, operatorOnlyWrite)) {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
            assertThat(answer.isProblem()).as(answer.toString()).isTrue();
            Challenge challenge = Challenge.parse(answer.header("WWW-Authenticate"));
            assertThat(challenge.scheme()).isEqualTo("Bearer");
            assertThat(challenge.param("realm")).isEqualTo("svcaccounts");
            assertThat(challenge.param("error")).as(answer.describe()).isEqualTo("insufficient_scope");
            assertThat(challenge.param("error_description")).as(answer.describe()).isNotBlank();
        }
        commandSide.expectProblem(403, "workspace-admin-required");
        operatorOnly.expectProblem(403, "operator-required");
    }

    @Test
    void aRefusalQuotingALongPathSegment_keepsItsChallengeSmall_andItsProblemWhole() {
        String longName = "a".repeat(9_000); // the detail quotes it; a header that long is more than Tomcat answers
        String member = api.addMember(admin.ws(), admin.token(), "long-path-member", "member").path("token")
                .path("secret").asText();
        Response forbidden = api.command("DELETE", "/v1/workspaces/" + admin.ws() + "/members/" + longName
                + "/tokens/" + java.util.UUID.randomUUID()).token(member).send();
        forbidden.expectProblem(403, "token-owner-or-admin-required");
        assertThat(forbidden.detail()).contains(longName);
        Challenge challenge = Challenge.parse(forbidden.header("WWW-Authenticate"));
        assertThat(challenge.param("error")).isEqualTo("insufficient_scope");
        assertThat(challenge.param("error_description")).hasSizeLessThanOrEqualTo(300);
    }

    @Test
    void aTokenRevoked_isInvalidTokenOnItsNextRequest_onBothSides() {
        com.fasterxml.jackson.databind.JsonNode issued = api.issueToken(admin.ws(), admin.token(), robot.id());
        String revoked = issued.path("secret").asText();
        api.revokeToken(admin.ws(), admin.token(), robot.id(), issued.path("id").asText());
        for (Response answer : List.of(
                api.command("POST", Api.projects(admin.ws())).token(revoked)
                        .json(Map.of("key", "p1", "name", "P", "visibility", "private")).send(),
                api.query("GET", "/v1/me").token(revoked).send())) {
            answer.expectProblem(401, "unauthenticated");
            Challenge challenge = Challenge.parse(answer.header("WWW-Authenticate"));
            assertThat(challenge.param("error")).as(answer.describe()).isEqualTo("invalid_token");
        }
    }

    @Test
    void anotherWorkspace_staysNotFound_withoutAChallenge() {
        Principal other = new Workspaces(api).fresh("elsewhere");
        Response answer = api.query("GET", Api.serviceAccounts(admin.ws())).token(other.token()).send();
        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        assertThat(answer.header("WWW-Authenticate")).isNull();
    }
}
