package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Challenge;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Introspection clients (RFC 7662 §2.1): the operator registers one (its secret shown once), lists it without
 * secrets, and revokes it; the client introspects with client_secret_basic or client_secret_post, the operator
 * with its bearer credential as before. A revoked client, like a revoked token, is refused on the very next call.
 * Every registration and revocation is in the platform's audit trail.
 */
class IntrospectionClientsIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("introspection-clients");
    private static final String CLIENTS = "/v1/admin/introspection-clients";
    private static Api api;
    private static Principal admin;
    private static Principal robot;

    @BeforeAll
    static void setUp() {
        api = system.api();
        admin = new Workspaces(api).fresh("clients");
        robot = new Workspaces(api).serviceAccount(admin, "introspected-bot");
    }

    @Test
    void aRegisteredClient_introspectsByBasicAndByForm_andIsRefusedTheMomentItIsRevoked() {
        Response registered = api.command("POST", CLIENTS).token(api.operatorToken())
                .json(Map.of("name", "gateway", "description", "the API gateway")).send().expect(201);
        JsonNode client = registered.json();
        String id = client.path("client_id").asText();
        String secret = client.path("client_secret").asText();
        assertThat(id).startsWith("ic_");
        assertThat(TokenSecret.isWellFormed(secret)).as("256 random bits, with a prefix and a checksum").isTrue();
        assertThat(registered.header("Location")).isEqualTo(CLIENTS + "/" + id);

        List<Function<String, Response>> methods = List.of(
                token -> api.introspectAsClient(id, secret, token),
                token -> api.query("POST", "/v1/introspect")
                        .form(Map.of("client_id", id, "client_secret", secret, "token", token)).send());
        for (Function<String, Response> introspect : methods) {
            JsonNode answer = introspect.apply(robot.token()).expect(200).json();
            assertThat(answer.path("active").asBoolean()).isTrue();
            assertThat(answer.path("sub").asText()).isEqualTo(robot.id());
            assertThat(introspect.apply("svcacct_unknown").expect(200).json().path("active").asBoolean()).isFalse();
        }

        api.revokeIntrospectionClient(id);
        for (Function<String, Response> introspect : methods) {
            Response refused = introspect.apply(robot.token());
            refused.expectOAuthError(401, "invalid-client", "invalid_client");
            assertThat(refused.body()).as("nothing about the token").doesNotContain(robot.id());
        }
        api.command("DELETE", CLIENTS + "/" + id).token(api.operatorToken()).send()
                .expectProblem(404, "introspection-client-not-found");
        api.command("DELETE", CLIENTS + "/ic_00000000-0000-0000-0000-000000000000").token(api.operatorToken()).send()
                .expectProblem(404, "introspection-client-not-found");
        api.command("DELETE", CLIENTS + "/" + admin.ws()).token(api.operatorToken()).send()
                .expectProblem(404, "introspection-client-not-found");
    }

    @Test
    void aRevokedToken_isInactiveOnTheVeryNextCall_forAClient() {
        JsonNode client = api.registerIntrospectionClient("exactness");
        JsonNode issued = api.issueToken(admin.ws(), admin.token(), robot.id());
        String token = issued.path("secret").asText();
        Response live = api.introspectAsClient(client.path("client_id").asText(),
                client.path("client_secret").asText(), token).expect(200);
        assertThat(live.json().path("active").asBoolean()).isTrue();
        api.revokeToken(admin.ws(), admin.token(), robot.id(), issued.path("id").asText());
        Response next = api.introspectAsClient(client.path("client_id").asText(),
                client.path("client_secret").asText(), token).expect(200);
        assertThat(next.json().path("active").asBoolean()).isFalse();
    }

    @Test
    void badClientAuthentication_is401InvalidClient_challengingBasic_inAFormOAuthLibrariesRead() {
        JsonNode client = api.registerIntrospectionClient("bad-auth");
        String id = client.path("client_id").asText();
        String secret = client.path("client_secret").asText();
        String wrong = TokenSecret.generate(TokenSecret.INTROSPECTION_CLIENT_PREFIX);
        List<Response> refused = List.of(
                api.introspectAsClient(id, wrong, robot.token()),
                api.introspectAsClient("ic_unknown", secret, robot.token()),
                api.introspectAsClient(id, secret.substring(1), robot.token()),
                api.query("POST", "/v1/introspect").header("Authorization", "Basic not-base64!")
                        .form(Map.of("token", robot.token())).send(),
                api.query("POST", "/v1/introspect").header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString("no-colon".getBytes()))
                        .form(Map.of("token", robot.token())).send(),
                api.query("POST", "/v1/introspect")
                        .form(Map.of("client_id", id, "client_secret", wrong, "token", robot.token())).send(),
                api.query("POST", "/v1/introspect").form(Map.of("token", robot.token())).send());
        for (Response answer : refused) {
            answer.expectOAuthError(401, "invalid-client", "invalid_client");
            List<Challenge> challenges = Challenge.all(answer.headers().allValues("WWW-Authenticate"));
            assertThat(challenges).extracting(Challenge::scheme).as(answer.describe()).contains("Basic");
            assertThat(challenges.get(0).param("realm")).isEqualTo("svcaccounts");
            assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        }
        // one method per request (RFC 6749 §2.3)
        api.query("POST", "/v1/introspect").header("Authorization", Api.basic(id, secret))
                .form(Map.of("client_id", id, "client_secret", secret, "token", robot.token())).send()
                .expectOAuthError(400, "invalid-request", "invalid_request");
        // the operator's bearer keeps working, and a client's id and secret are form fields, not unknown ones
        assertThat(api.introspect(robot.token()).path("active").asBoolean()).isTrue();
    }

    @Test
    void theOperatorLists_andReadsClients_neverTheirSecrets_andOnlyTheOperatorMay() {
        JsonNode client = api.registerIntrospectionClient("listed");
        String id = client.path("client_id").asText();
        String secret = client.path("client_secret").asText();
        Response list = api.query("GET", CLIENTS).token(api.operatorToken()).send().expect(200);
        JsonNode listed = Json.list(list.json().path("items")).stream()
                .filter(c -> c.path("client_id").asText().equals(id)).findFirst().orElseThrow();
        assertThat(listed.path("name").asText()).isEqualTo("listed");
        assertThat(listed.path("hint").asText()).isEqualTo(client.path("hint").asText());
        assertThat(listed.path("revokedAt").isNull()).isTrue();
        assertThat(list.body()).doesNotContain(secret, secret.substring(TokenSecret.INTROSPECTION_CLIENT_PREFIX
                .length(), 30), TokenSecret.hash(secret));
        api.revokeIntrospectionClient(id);
        JsonNode one = api.query("GET", CLIENTS + "/" + id).token(api.operatorToken()).send().expect(200).json();
        assertThat(one.path("revokedAt").isTextual()).as("revoked at once, read from the credential table").isTrue();
        api.query("GET", CLIENTS + "/ic_nope").token(api.operatorToken()).send()
                .expectProblem(404, "introspection-client-not-found");

        for (Response forbidden : List.of(
                api.query("GET", CLIENTS).token(admin.token()).send(),
                api.query("GET", "/v1/admin/audit").token(admin.token()).send(),
                api.command("POST", CLIENTS).token(admin.token()).json(Map.of("name", "x")).send(),
                api.command("DELETE", CLIENTS + "/" + id).token(robot.token()).send())) {
            forbidden.expectProblem(403, "operator-required");
        }
        api.command("POST", CLIENTS).token(api.operatorToken()).json(Map.of("name", "")).send()
                .expectProblem(400, "invalid-field");
        api.command("POST", CLIENTS).token(api.operatorToken()).json(Map.of("name", "x", "secret", "mine")).send()
                .expectProblem(400, "malformed-request");
    }

    @Test
    void registrationsAndRevocations_areInThePlatformAuditTrail_withActorRequestAndReason() {
        Response registered = api.command("POST", CLIENTS).token(api.operatorToken())
                .header("X-Audit-Reason", "new gateway").header("X-Correlation-Id", "change-42")
                .json(Map.of("name", "audited")).send().expect(201);
        String id = registered.json().path("client_id").asText();
        String secret = registered.json().path("client_secret").asText();
        Response revoked = api.command("DELETE", CLIENTS + "/" + id).token(api.operatorToken())
                .header("X-Audit-Reason", "gateway retired").send().expect(204);

        JsonNode trail = Eventually.read(() -> api.query("GET", "/v1/admin/audit").token(api.operatorToken()).send(),
                page -> assertThat(Json.list(page.path("items")).stream()
                        .filter(e -> e.path("subjectId").asText().equals(id)).count()).isEqualTo(2));
        List<JsonNode> entries = Json.list(trail.path("items")).stream()
                .filter(e -> e.path("subjectId").asText().equals(id)).toList();
        JsonNode registration = entries.get(0);
        assertThat(registration.path("type").asText()).isEqualTo("introspection_client.registered");
        assertThat(registration.path("subjectType").asText()).isEqualTo("introspection_client");
        assertThat(registration.path("actor").path("type").asText()).isEqualTo("operator");
        assertThat(registration.path("requestId").asText()).isEqualTo(registered.header("X-Request-Id"));
        assertThat(registration.path("correlationId").asText()).isEqualTo("change-42");
        assertThat(registration.path("reason").asText()).isEqualTo("new gateway");
        assertThat(registration.path("details").path("name").asText()).isEqualTo("audited");
        assertThat(registration.path("occurredAt").asText()).isNotBlank();
        JsonNode revocation = entries.get(1);
        assertThat(revocation.path("type").asText()).isEqualTo("introspection_client.revoked");
        assertThat(revocation.path("requestId").asText()).isEqualTo(revoked.header("X-Request-Id"));
        assertThat(revocation.path("reason").asText()).isEqualTo("gateway retired");
        assertThat(trail.toString()).as("never the secret").doesNotContain(secret, TokenSecret.hash(secret));

        Response firstPage = api.query("GET", "/v1/admin/audit").token(api.operatorToken()).param("limit", "1")
                .send().expect(200);
        assertThat(firstPage.json().path("items").size()).isEqualTo(1);
        assertThat(firstPage.json().path("next").asText()).isNotBlank();
    }

    @Test
    void anIdempotencyKey_registersOnce_andARetryIsToldTheSecretIsNotShownAgain() {
        Response first = api.command("POST", CLIENTS).token(api.operatorToken()).header("Idempotency-Key", "reg-1")
                .json(Map.of("name", "keyed")).send().expect(201);
        String id = first.json().path("client_id").asText();
        Response retry = api.command("POST", CLIENTS).token(api.operatorToken()).header("Idempotency-Key", "reg-1")
                .json(Map.of("name", "keyed")).send();
        retry.expectProblem(409, "idempotent-replay-of-secret");
        assertThat(retry.json().path("answer").path("client_id").asText()).isEqualTo(id);
        assertThat(retry.body()).doesNotContain(first.json().path("client_secret").asText());
        long keyed = Json.list(api.query("GET", CLIENTS).token(api.operatorToken()).send().expect(200).json()
                .path("items")).stream().filter(c -> c.path("name").asText().equals("keyed")).count();
        assertThat(keyed).as("registered once").isEqualTo(1);
    }
}
