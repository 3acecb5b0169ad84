package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.FromAddress;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.ThrottleWindows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/credentials/revoke}, the leaked-token report: no authentication; live tokens revoked at once on both
 * sides and shown in their workspace's trail as revoked with cause {@code leaked} by an anonymous actor from the
 * reporter's address; the same 202 and body for every kind of credential (no oracle); 400 only for a malformed
 * request; 429 with Retry-After beyond the address's budget (here 20 an hour). Each test reports from its own
 * loopback address, so each has a budget of its own.
 */
class LeakedTokenReportIT {

    private static final String PATH = "/v1/credentials/revoke";
    private static final int LIMIT = 20;
    private static final String[] SETTINGS = ThrottleWindows.settings("leak-reports", LIMIT);

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("leak-report", SETTINGS);
    private static Api api;
    private static String adminA;
    private static String adminB;

    @BeforeAll
    static void setUp() {
        api = system.api();
        adminA = api.createWorkspace("leak-a", "alice").path("token").path("secret").asText();
        adminB = api.createWorkspace("leak-b", "bea").path("token").path("secret").asText();
    }

    @BeforeEach
    void withinOneWindow() {
        ThrottleWindows.awaitRoom();
    }

    private static Response report(FromAddress from, List<String> credentials) {
        return report(from, null, json(Map.of("credentials", credentials)));
    }

    private static Response report(FromAddress from, String authorization, String body) {
        return from.send(system.commandUrl(), "POST", PATH, authorization, "application/json", body);
    }

    private static List<String> subjects(JsonNode page) {
        return Json.items(page).stream().map(entry -> entry.path("subject").path("id").asText()).toList();
    }

    private static String json(Object value) {
        try {
            return Api.JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLiveToken_isRevokedAtOnceOnBothSides_andItsWorkspaceTrailSaysLeakedByWhom() {
        FromAddress reporter = new FromAddress("127.0.0.31");
        JsonNode sa = api.createServiceAccount("leak-a", adminA, "leaky");
        String saSecret = sa.path("token").path("secret").asText();
        String saTokenId = sa.path("token").path("id").asText();
        JsonNode bob = api.addMember("leak-a", adminA, "bob", "member").path("token");
        assertThat(Probe.querySide(api, "leak-a", saSecret).status()).isEqualTo(403);

        report(reporter, List.of("found this: ", saSecret, bob.path("secret").asText())).expect(202);

        for (String secret : List.of(saSecret, bob.path("secret").asText())) {
            assertThat(Probe.querySide(api, "leak-a", secret).status()).as("query side, next request").isEqualTo(401);
            assertThat(Probe.commandSide(api, "leak-a", secret).status()).as("command side").isEqualTo(401);
        }
        assertThat(Probe.querySide(api, "leak-a", adminA).status()).as("other tokens untouched").isEqualTo(200);

        for (String tokenId : List.of(saTokenId, bob.path("id").asText())) {
            Map<String, String> filters = Map.of("subject", tokenId, "type", "token.revoked", "actorType", "anonymous");
            Eventually.read(() -> api.audit("leak-a", adminA, filters), page ->
                    assertThat(Json.items(page)).singleElement().satisfies(entry -> {
                        assertThat(entry.path("details").path("cause").asText()).isEqualTo("leaked");
                        assertThat(entry.path("actor").path("type").asText()).isEqualTo("anonymous");
                        assertThat(entry.path("actor").path("id").isNull()).isTrue();
                        assertThat(entry.path("tokenId").isNull()).isTrue();
                        assertThat(entry.path("clientIp").asText()).isEqualTo("127.0.0.31");
                        assertThat(entry.path("userAgent").asText()).isEqualTo("from-address-test");
                        assertThat(entry.path("requestId").asText()).isNotEmpty();
                    }));
        }
        Eventually.read(() -> api.listTokens("leak-a", adminA, sa.path("id").asText()), page ->
                assertThat(Json.findById(page, saTokenId).orElseThrow().path("revokedReason").asText())
                        .isEqualTo("leaked"));
        Eventually.read(() -> api.audit("leak-a", adminA, Map.of("token", saTokenId, "type", "access.refused")),
                page -> assertThat(Json.items(page)).isNotEmpty().allSatisfy(entry ->
                        assertThat(entry.path("details").path("rule").asText()).isEqualTo("token-leaked")));
    }

    @Test
    void everyKindOfCredential_getsTheSameAnswer_andAnAuthorizationHeaderIsIgnored() {
        FromAddress reporter = new FromAddress("127.0.0.32");
        String live = api.createServiceAccount("leak-a", adminA, "oracle").path("token").path("secret").asText();
        JsonNode revoked = api.issueMemberToken("leak-a", adminA, "alice");
        api.revokeMemberToken("leak-a", adminA, "alice", revoked.path("id").asText());
        String unknown = TokenSecret.generate(TokenSecret.USER_PREFIX);
        String badChecksum = unknown.substring(0, unknown.length() - 1) + (unknown.endsWith("A") ? "B" : "A");
        List<String> kinds = List.of(live, revoked.path("secret").asText(), unknown, badChecksum, "garbage", "",
                RunningSystem.OPERATOR_TOKEN, "x".repeat(5000));

        Response first = report(reporter, List.of(kinds.get(0)));
        first.expect(202);
        for (String credential : kinds.subList(1, kinds.size())) {
            Response answer = report(reporter, List.of(credential));
            assertThat(answer.status()).isEqualTo(202);
            assertThat(answer.body()).isEqualTo(first.body());
            assertThat(answer.contentType()).isEqualTo(first.contentType());
        }
        assertThat(Probe.querySide(api, "leak-a", live).status()).as("the live one was revoked").isEqualTo(401);

        Response withHeader = report(reporter, "Bearer " + adminA, json(Map.of("credentials", List.of("garbage"))));
        assertThat(withHeader.status()).isEqualTo(202);
        assertThat(withHeader.body()).isEqualTo(first.body());
        Response withBadHeader = report(reporter, "Bearer nonsense", json(Map.of("credentials", List.of("x"))));
        assertThat(withBadHeader.status()).as("never looked at").isEqualTo(202);
        assertThat(Probe.querySide(api, "leak-a", adminA).status()).as("the header's token is untouched")
                .isEqualTo(200);
    }

    @Test
    void theOperatorCredentialAndIntrospectionClientSecrets_areNeverRevokedByAReport() {
        FromAddress reporter = new FromAddress("127.0.0.33");
        JsonNode client = api.registerIntrospectionClient("leak-report-client");
        String clientId = client.path("client_id").asText();
        String clientSecret = client.path("client_secret").asText();

        report(reporter, List.of(RunningSystem.OPERATOR_TOKEN, clientSecret)).expect(202);

        assertThat(api.introspect(RunningSystem.OPERATOR_TOKEN, adminA).status()).isEqualTo(200);
        Response asClient = api.introspectAsClient(clientId, clientSecret, adminA);
        assertThat(asClient.status()).isEqualTo(200);
        assertThat(asClient.json().path("active").asBoolean()).isTrue();
    }

    @Test
    void aThousandMixedCredentials_revokeTheLiveOnesInEachWorkspace() {
        FromAddress reporter = new FromAddress("127.0.0.34");
        JsonNode a1 = api.createServiceAccount("leak-a", adminA, "mix-1").path("token");
        JsonNode a2 = api.createServiceAccount("leak-a", adminA, "mix-2").path("token");
        JsonNode b1 = api.createServiceAccount("leak-b", adminB, "mix-3").path("token");
        List<String> credentials = new ArrayList<>();
        for (int i = 0; i < 997; i++) {
            credentials.add(switch (i % 4) {
                case 0 -> TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX); // well-formed, unknown
                case 1 -> "svcacct_" + i;
                case 2 -> TokenSecret.generate(TokenSecret.INTROSPECTION_CLIENT_PREFIX);
                default -> "not a token " + i;
            });
        }
        credentials.addAll(List.of(a1.path("secret").asText(), a2.path("secret").asText(),
                b1.path("secret").asText()));
        Collections.shuffle(credentials);
        assertThat(credentials).hasSize(1000);

        report(reporter, credentials).expect(202);

        for (String secret : List.of(a1.path("secret").asText(), a2.path("secret").asText())) {
            assertThat(Probe.commandSide(api, "leak-a", secret).status()).isEqualTo(401);
        }
        assertThat(Probe.commandSide(api, "leak-b", b1.path("secret").asText()).status()).isEqualTo(401);
        Eventually.read(() -> api.audit("leak-b", adminB, Map.of("actorType", "anonymous")), page ->
                assertThat(subjects(page)).as("only leak-b's token, in leak-b's trail")
                        .containsExactly(b1.path("id").asText()));

        credentials.add("one too many");
        report(reporter, credentials).expectProblem(400, "invalid-field");
    }

    @Test
    void malformedRequests_are400Problems_andRevokeNothing() {
        FromAddress reporter = new FromAddress("127.0.0.35");
        String live = api.createServiceAccount("leak-a", adminA, "malformed").path("token").path("secret").asText();

        assertThat(report(reporter, null, "not json").problemCode()).isEqualTo("malformed-request");
        assertThat(report(reporter, null, "{}").problemCode()).isEqualTo("invalid-field");
        assertThat(report(reporter, null, "{\"credentials\": []}").problemCode()).isEqualTo("invalid-field");
        assertThat(report(reporter, null, "{\"credentials\": \"" + live + "\"}").problemCode())
                .isEqualTo("malformed-request");
        assertThat(report(reporter, null, "{\"credentials\": [1, 2]}").problemCode()).isEqualTo("malformed-request");
        assertThat(report(reporter, null, "{\"credentials\": [null]}").problemCode()).isEqualTo("invalid-field");
        assertThat(report(reporter, null, "{\"credentials\": [\"" + live + "\"], \"reason\": \"x\"}").problemCode())
                .as("unknown member").isEqualTo("malformed-request");
        Response tooLarge = report(reporter, null, json(Map.of("credentials", List.of("x".repeat(70_000)))));
        assertThat(tooLarge.status()).isEqualTo(413);
        Response text = reporter.send(system.commandUrl(), "POST", PATH, null, "text/plain", live);
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.isProblem()).isTrue();

        assertThat(Probe.querySide(api, "leak-a", live).status()).as("still works").isEqualTo(403);
    }

    @Test
    void theApiDocument_saysTheReportNeedsNoToken_andAnswersNoneOfTheTokenRefusals() {
        JsonNode document = api.command("GET", "/v3/api-docs").send().expect(200).json();
        JsonNode operation = document.path("paths").path(PATH).path("post");
        assertThat(operation.path("operationId").asText()).isEqualTo("reportLeakedCredentials");
        assertThat(operation.path("security").isArray()).as("security: []").isTrue();
        assertThat(operation.path("security")).isEmpty();
        assertThat(operation.path("responses").has("202")).isTrue();
        assertThat(operation.path("responses").has("401")).isFalse();
        assertThat(operation.path("responses").path("429").toString()).contains("too-many-reports")
                .doesNotContain("too-many-failed-authentications");
    }

    @Test
    void beyondItsBudget_anAddressGets429WithRetryAfter_andOthersDoNot() {
        FromAddress flood = new FromAddress("127.0.0.36");
        for (int i = 0; i < LIMIT; i++) {
            report(flood, i % 2 == 0 ? null : "Bearer x", i % 3 == 0 ? "not json" : "{\"credentials\": [\"x\"]}");
        }
        String live = api.createServiceAccount("leak-a", adminA, "throttled").path("token").path("secret").asText();

        Response refused = report(flood, List.of(live));

        refused.expectProblem(429, "too-many-reports");
        assertThat(refused.contentType()).startsWith("application/problem+json");
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, ThrottleWindows.WINDOW.toSeconds());
        assertThat(refused.json().path("retryAfterSeconds").asLong()).isEqualTo(retryAfter);
        assertThat(refused.json().path("limit").asInt()).isEqualTo(LIMIT);
        assertThat(Probe.querySide(api, "leak-a", live).status()).as("not revoked").isEqualTo(403);

        report(new FromAddress("127.0.0.37"), List.of(live)).expect(202);
        assertThat(Probe.querySide(api, "leak-a", live).status()).isEqualTo(401);
    }
}
