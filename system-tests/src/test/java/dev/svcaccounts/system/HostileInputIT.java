package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.RawHttp;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.svcaccounts.system.support.Api.audit;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static dev.svcaccounts.system.support.Api.tokens;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input at the HTTP edge of both applications: every request that cannot be taken exactly as sent is refused
 * with a 4xx problem document naming what is wrong, before anything is recorded or changed, never a 500, an HTML page
 * or a silently altered value. Paths are canonical (no path parameters, dot or empty segments, needless encodings);
 * query strings, form fields and the stored headers are decoded strictly and given once; JSON bodies are UTF-8, without
 * lone surrogates or repeated keys, instants ISO-8601 with an offset; the errors Tomcat answers by itself are problem
 * documents too (checked with a raw socket, since java.net.http refuses to send most of them).
 */
class HostileInputIT {

    private static final String WS = "hostile";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("hostile_input");
    private static Api api;
    private static String admin;
    /** A member: its writes on accounts are refused with 403, which the trail records. */
    private static String bob;
    private static String saId;
    private static String saTokenId;

    @BeforeAll
    static void setUp() {
        api = system.api();
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
        bob = api.addMember(WS, admin, "bob", "member").path("token").path("secret").asText();
        JsonNode sa = api.createServiceAccount(WS, admin, "target-bot");
        saId = sa.path("id").asText();
        saTokenId = sa.path("token").path("id").asText();
    }

    // ------------------------------------------------------------------ paths (hole 5)

    @TestFactory
    Stream<DynamicTest> aPathThatIsNotCanonical_isRefusedBeforeAnything_soNoRefusalIsDetachedFromItsTarget() {
        String accounts = "/v1/workspaces/" + WS + "/service-accounts/";
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("matrix parameter on the id", accounts + saId + ";x=1/tokens");
        paths.put("matrix parameter on the workspace",
                "/v1/workspaces/" + WS + ";x/service-accounts/" + saId + "/tokens");
        paths.put("empty matrix parameter", accounts + saId + ";/tokens");
        paths.put("encoded ';'", accounts + saId + "%3Bx=1/tokens");
        paths.put("'.' segment", accounts + "./" + saId + "/tokens");
        paths.put("'..' segment", accounts + "x/../" + saId + "/tokens");
        paths.put("encoded '..'", accounts + "x/%2e%2E/" + saId + "/tokens");
        paths.put("encoded letter",
                accounts + saId.substring(0, 3) + "%" + hex(saId.charAt(3)) + saId.substring(4) + "/tokens");
        paths.put("'//'", "/v1/workspaces/" + WS + "//service-accounts/" + saId + "/tokens");
        paths.put("trailing '/'", accounts + saId + "/tokens/");
        paths.put("encoded control character", accounts + saId + "%0A/tokens");
        return paths.entrySet().stream().map(path -> DynamicTest.dynamicTest(path.getKey(), () -> {
            long head = system.eventStoreHead();
            String correlation = "path-" + UUID.randomUUID();
            RawHttp.Answer answer = raw(system.commandUrl(), "POST", path.getValue(), bob,
                    Map.of("X-Correlation-Id", correlation), "{}");
            assertProblem(answer, 400, "invalid-path");
            assertThat(system.eventStoreHead()).as("nothing recorded, not even a refusal").isEqualTo(head);
        }));
    }

    @Test
    void aRefusalOnACanonicalPath_isRecordedWithTheSubjectSpringActedOn() {
        Response refused = api.command("POST", tokens(WS, saId)).token(bob).header("X-Correlation-Id", "bob-issues")
                .send().expectProblem(403, "workspace-admin-required");
        JsonNode entry = Eventually.read(() -> api.audit(WS, admin, Map.of("correlationId", "bob-issues")),
                page -> assertThat(Json.items(page)).hasSize(1)).path("items").get(0);
        assertThat(entry.path("type").asText()).isEqualTo("access.refused");
        assertThat(entry.path("subject").path("type").asText()).isEqualTo("service_account");
        assertThat(entry.path("subject").path("id").asText()).isEqualTo(saId);
        assertThat(entry.path("requestId").asText()).isEqualTo(refused.header("X-Request-Id"));
        JsonNode timeline = Eventually.read(() -> api.query("GET", serviceAccount(WS, saId) + "/timeline").token(admin)
                .send(), t -> assertThat(Json.texts(Json.items(t), "correlationId")).contains("bob-issues"));
        assertThat(timeline.path("account").asText()).isEqualTo(saId);
    }

    // ------------------------------------------------------------------ query strings and parameters (holes 9, 10)

    @TestFactory
    Stream<DynamicTest> aQueryParameter_isDecodedStrictly_givenOnce_andNamed_orRefusedNamingIt() {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("actor=%C3%28", "actor");        // not UTF-8
        queries.put("actor=%ED%A0%80", "actor");     // a surrogate, encoded: not UTF-8 either
        queries.put("actor=%00", "actor");
        queries.put("actor=a%0Ab", "actor");
        queries.put("actor=%ZZ", "actor");           // malformed: Tomcat would drop it and list everything
        queries.put("actor=%E", "actor");
        queries.put("actor=alice&actor=bob", "actor");
        queries.put("acter=alice", "acter");         // mistyped: not "no filter"
        queries.put("%00=x", "\\u0000");
        queries.put("limit=%205", "limit");
        queries.put("limit=0", "limit");
        queries.put("limit=501", "limit");
        queries.put("limit=99999999999999999999", "limit");
        queries.put("limit=1e2", "limit");
        queries.put("after=-1", "after");
        queries.put("after=%2B5", "after");
        queries.put("after=99999999999999999999", "after");
        queries.put("from=-999999999-01-01T00:00:00Z", "from");
        queries.put("from=%2B10000-01-01T00:00:00Z", "from");
        queries.put("to=0000-12-31T23:59:59Z", "to");
        queries.put("to=2026-01-31T12:00:00", "to");  // no offset: whose noon?
        queries.put("to=1767225600", "to");
        queries.put("type=token.nope", "type");
        return queries.entrySet().stream().flatMap(query -> Stream.of(audit(WS), audit(WS) + "/export")
                .map(path -> DynamicTest.dynamicTest(path + "?" + query.getKey(), () -> {
                    RawHttp.Answer answer = raw(system.queryUrl(), "GET", path + "?" + query.getKey(), admin,
                            Map.of(), null);
                    assertProblem(answer, 400, "invalid-parameter");
                    assertThat(detail(answer)).contains("'" + query.getValue() + "'");
                })));
    }

    @Test
    void everyOtherDateAndNumberParameter_isCheckedToo_onBothSides() {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(serviceAccount(WS, saId) + "?at=-999999999-01-01T00:00:00Z", "at");
        refused.put(serviceAccount(WS, saId) + "?at=2026-01-01T00:00:00", "at");
        refused.put("/v1/workspaces/" + WS + "/projects/none/access?at=%2B10000-01-01T00:00:00Z", "at");
        refused.put("/v1/workspaces/" + WS + "/compliance/tokens?olderThanDays=99999999999", "olderThanDays");
        refused.put("/v1/workspaces/" + WS + "/compliance/tokens?unusedForDays=-1", "unusedForDays");
        refused.put(serviceAccount(WS, saId) + "/timeline?limit=%2B5", "limit");
        refused.put(serviceAccount(WS, saId) + "/timeline?after=x", "after");
        refused.put(serviceAccounts(WS) + "?status=active&status=deleted", "status");
        for (Map.Entry<String, String> request : refused.entrySet()) {
            RawHttp.Answer answer = raw(system.queryUrl(), "GET", request.getKey(), admin, Map.of(), null);
            assertProblem(answer, 400, "invalid-parameter");
            assertThat(detail(answer)).as(request.getKey()).contains("'" + request.getValue() + "'");
        }
        RawHttp.Answer command = raw(system.commandUrl(), "POST", serviceAccounts(WS) + "?dryRun=true", admin,
                Map.of(), "{\"name\":\"dry-run\"}");
        assertProblem(command, 400, "invalid-parameter");
        assertThat(detail(command)).contains("'dryRun'");
        assertProblem(raw(system.commandUrl(), "DELETE", serviceAccount(WS, saId) + "/tokens/none", admin, Map.of(),
                "{\"reason\":\"x\"}"), 400, "unexpected-body");
        // a reactivation takes {tokenExpiresAt} (the credential policy), and nothing else
        RawHttp.Answer reactivation = raw(system.commandUrl(), "POST", serviceAccount(WS, saId) + "/reactivate", admin,
                Map.of(), "{\"reason\":\"x\"}");
        assertProblem(reactivation, 400, "malformed-request");
        assertThat(detail(reactivation)).contains("'reason'", "tokenExpiresAt");
    }

    @Test
    void theExport_refusesABadParameter_beforeItStartsStreaming() {
        RawHttp.Answer answer = raw(system.queryUrl(), "GET", audit(WS) + "/export?format=csv&actor=%00", admin,
                Map.of(), null);
        assertProblem(answer, 400, "invalid-parameter");
        assertThat(answer.header("Content-Disposition")).isNull();
    }

    // ------------------------------------------------------------------ introspection (hole 8)

    @Test
    void introspection_takesTheTokenInTheBodyOnly_once() {
        String token = api.issueToken(WS, admin, saId).path("secret").asText();
        String form = "application/x-www-form-urlencoded";
        Map<String, String> operator = Map.of("Content-Type", form);
        for (String query : List.of("?%74oken=" + token, "?token=" + token, "?TOKEN=" + token, "?t%6Fken=" + token,
                "?", "?x=1")) {
            RawHttp.Answer answer = raw(system.queryUrl(), "POST", "/v1/introspect" + query, api.operatorToken(),
                    operator, "token=" + token);
            assertIntrospectionProblem(answer, "invalid-parameter");
            assertThat(answer.body()).as(query).doesNotContain("\"active\"");
        }
        for (String body : List.of("token=" + token + "&token=" + token, "token=" + token + "&t%6Fken=x",
                "token=%zz", "token=" + token + "&scope=all", "token=" + token + "%00")) {
            RawHttp.Answer answer = raw(system.queryUrl(), "POST", "/v1/introspect", api.operatorToken(), operator,
                    body);
            assertThat(answer.status()).as(body + ": " + answer).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as("an OAuth error response").startsWith("application/json");
            assertThat(answer.body()).contains("\"error\":\"invalid_request\"", "\"type\":\"urn:svcaccounts:problem:");
        }
        RawHttp.Answer hinted = raw(system.queryUrl(), "POST", "/v1/introspect", api.operatorToken(), operator,
                "token=" + token + "&token_type_hint=access_token");
        assertThat(hinted.status()).as(hinted.toString()).isEqualTo(200);
        assertThat(hinted.body()).contains("\"active\":true");
    }

    // ------------------------------------------------------------------ JSON bodies (holes 10, 12)

    @TestFactory
    Stream<DynamicTest> aJsonBody_withTextThatCannotBeStoredAsSent_isRefusedNamingTheField() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("{\"name\":\"\\ud800\"}", "name");
        bodies.put("{\"name\":\"a\\udc00b\"}", "name");
        bodies.put("{\"name\":\"ok\",\"description\":\"\\udbff\"}", "description");
        bodies.put("{\"name\":\"ok\",\"\\ud800\":1}", "\\ud800");
        bodies.put("{\"name\":\"ok\",\"x\":[{\"y\":\"\\ud800\"}]}", "x[0].y");
        return bodies.entrySet().stream().map(body -> DynamicTest.dynamicTest(body.getKey(), () -> {
            long head = system.eventStoreHead();
            RawHttp.Answer answer = raw(system.commandUrl(), "POST", serviceAccounts(WS), admin, Map.of(),
                    body.getKey());
            assertProblem(answer, 400, "invalid-field");
            assertThat(detail(answer)).contains("'" + body.getValue() + "'");
            assertThat(system.eventStoreHead()).as("nothing stored").isEqualTo(head);
        }));
    }

    @Test
    void aBodyBreakingSeveralRules_getsTheSameAnswerEveryTime_itsErrorsSortedByField() {
        // an empty name breaks two constraints; Hibernate Validator lists violations in a hash set's order
        String body = "{\"name\":\"\",\"description\":\"" + "d".repeat(2000) + "\"}";
        Set<String> answers = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            RawHttp.Answer answer = raw(system.commandUrl(), "POST", serviceAccounts(WS), admin, Map.of(), body);
            assertProblem(answer, 400, "invalid-field");
            answers.add(answer.body().replaceAll("\"(requestId|correlationId)\":\"[^\"]*\"", ""));
        }
        assertThat(answers).as("the same answer each time").hasSize(1);
        String answer = answers.iterator().next();
        assertThat(answer.indexOf("{\"field\":\"description\"")).as(answer).isPositive()
                .isLessThan(answer.indexOf("{\"field\":\"name\""));
        assertThat(answer.split("\\{\"field\":\"name\"", -1)).as("two rules of the name").hasSize(3);
    }

    @Test
    void aNestedField_andEveryBodyOfTheOtherEndpoints_areCheckedAlike() {
        Response workspace = api.command("POST", "/v1/workspaces").token(api.operatorToken())
                .rawJson("{\"id\":\"lone\",\"name\":\"Lone\",\"admin\":{\"username\":\"\\udfffx\"}}").send();
        workspace.expectProblem(400, "invalid-field");
        assertThat(workspace.detail()).contains("admin.username");
        api.command("PATCH", serviceAccount(WS, saId)).token(admin).rawJson("{\"name\":\"\\ud800\"}").send()
                .expectProblem(400, "invalid-field");
        api.command("POST", "/v1/workspaces/" + WS + "/projects").token(admin)
                .rawJson("{\"key\":\"k1\",\"name\":\"\\ud83d\"}").send().expectProblem(400, "invalid-field");
        api.command("POST", serviceAccount(WS, saId) + "/deactivate").token(admin)
                .rawJson("{\"reason\":\"\\ude00\"}").send().expectProblem(400, "invalid-field");
        // a surrogate pair is a character like any other: stored as sent
        JsonNode emoji = api.createServiceAccount(WS, admin, "rocket \uD83D\uDE80");
        assertThat(Eventually.read(() -> api.getServiceAccount(WS, admin, emoji.path("id").asText()),
                a -> assertThat(a.path("name").asText()).isEqualTo("rocket \uD83D\uDE80")).path("name").asText())
                .isEqualTo("rocket \uD83D\uDE80");
    }

    @Test
    void bytesThatAreNotUtf8_orAnotherCharset_orTooMany_areRefused() {
        for (byte[] body : List.of(bytes("{\"name\":\"", new byte[]{(byte) 0xC3, 0x28}, "\"}"),
                bytes("{\"name\":\"", new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}"), // a surrogate as UTF-8
                bytes("{\"name\":\"", new byte[]{(byte) 0xC0, (byte) 0xAF}, "\"}"),             // overlong '/'
                bytes("{\"name\":\"caf", new byte[]{(byte) 0xE9}, "\"}"))) {                     // ISO-8859-1
            RawHttp.Answer answer = RawHttp.send(system.commandUrl(), "POST " + serviceAccounts(WS) + " HTTP/1.1\r\n"
                    + "Authorization: Bearer " + admin + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n", body);
            assertProblem(answer, 400, "malformed-request");
            assertThat(answer.body()).contains("UTF-8");
        }
        api.command("POST", serviceAccounts(WS)).token(admin)
                .header("Content-Type", "application/json;charset=ISO-8859-1").rawJson("{\"name\":\"latin\"}").send()
                .expectProblem(415, "unsupported-media-type");
        api.command("POST", serviceAccounts(WS)).token(admin)
                .rawJson("{\"name\":\"big\",\"description\":\"" + "x".repeat(70_000) + "\"}").send()
                .expectProblem(413, "content-too-large");
    }

    @Test
    void aKeyGivenTwice_orASecondValue_isRefused_notLastOneWinsOrIgnored() {
        Response twice = api.command("POST", serviceAccounts(WS)).token(admin)
                .rawJson("{\"name\":\"first\",\"name\":\"second\"}").send().expectProblem(400, "malformed-request");
        assertThat(twice.detail()).contains("'name'");
        Response nested = api.command("POST", "/v1/workspaces").token(api.operatorToken())
                .rawJson("{\"id\":\"twice\",\"name\":\"T\",\"admin\":{\"username\":\"ann\",\"username\":\"eve\"}}")
                .send().expectProblem(400, "malformed-request");
        assertThat(nested.detail()).contains("'username'");
        api.command("POST", serviceAccounts(WS)).token(admin).rawJson("{\"name\":\"first\"}{\"name\":\"second\"}")
                .send().expectProblem(400, "malformed-request");
        assertThat(Json.texts(Json.items(api.listServiceAccounts(WS, admin).expect(200).json()), "name"))
                .doesNotContain("first", "second");
    }

    @Test
    void anInstantInABody_isAnIso8601StringWithAnOffset_neverANumberOrALocalTime() {
        for (String expiresAt : List.of("1893456000", "1893456000.5", "true", "[2030]", "\"2030-01-01T00:00:00\"",
                "\"2030-01-01\"", "\"+10000-01-01T00:00:00Z\"", "\"-999999999-01-01T00:00:00Z\"", "\"\"",
                "\"2030-02-30T00:00:00Z\"")) {
            Response refused = api.command("POST", tokens(WS, saId)).token(admin)
                    .rawJson("{\"expiresAt\":" + expiresAt + "}").send();
            assertThat(refused.status()).as(expiresAt + ": " + refused).isEqualTo(400);
            assertThat(refused.isProblem()).isTrue();
            assertThat(refused.detail()).as(expiresAt).contains("expiresAt");
        }
        JsonNode issued = api.issueToken(WS, admin, saId, Map.of("expiresAt", "2030-01-01T02:00:00+02:00"));
        assertThat(issued.path("expiresAt").asText()).isEqualTo("2030-01-01T00:00:00Z");
    }

    // ------------------------------------------------------------------ stored text and headers (hole 10)

    @Test
    void textIsStoredExactlyAsSent_orRefused_neverTrimmedCutOrStripped() {
        for (String name : List.of(" padded", "padded ", "\u3000ideographic", "nbsp\u00a0", "tab\tinside",
                "zero\u200bwidth")) {
            api.command("POST", serviceAccounts(WS)).token(admin).json(Map.of("name", name)).send()
                    .expectProblem(400, "invalid-field");
        }
        api.command("POST", serviceAccounts(WS)).token(admin).json(Map.of("name", "described", "description", "  "))
                .send().expectProblem(400, "invalid-field");

        String reason = "caf\u00e9 \u2615 r\u00e9union";
        RawHttp.Answer created = raw(system.commandUrl(), "POST", serviceAccounts(WS), admin, Map.of(
                "X-Audit-Reason", utf8AsLatin1(reason), "User-Agent", utf8AsLatin1("agent \u00fc/1.0"),
                "X-Correlation-Id", "stored-as-sent"), "{\"name\":\"as-sent\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode entry = Eventually.read(() -> api.audit(WS, admin, Map.of("correlationId", "stored-as-sent")),
                page -> assertThat(Json.items(page)).isNotEmpty()).path("items").get(0);
        assertThat(entry.path("reason").asText()).isEqualTo(reason);
        assertThat(entry.path("userAgent").asText()).isEqualTo("agent \u00fc/1.0");

        // the same on the query side, for a refusal (recorded even when the request is not otherwise taken): a
        // revoked token's next use, with three- and four-byte characters sent as raw UTF-8 bytes
        JsonNode revoked = api.issueToken(WS, admin, saId);
        api.revokeToken(WS, admin, saId, revoked.path("id").asText());
        String snowman = "\u2603 snow-bot/2.0 \ud83d\ude00";
        RawHttp.Answer refused = raw(system.queryUrl(), "GET", serviceAccounts(WS), revoked.path("secret").asText(),
                Map.of("User-Agent", utf8AsLatin1(snowman), "X-Correlation-Id", "refused-as-sent"), null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        JsonNode refusal = Eventually.read(() -> api.audit(WS, admin, Map.of("correlationId", "refused-as-sent")),
                page -> assertThat(Json.items(page)).isNotEmpty()).path("items").get(0);
        assertThat(refusal.path("type").asText()).isEqualTo("access.refused");
        assertThat(refusal.path("userAgent").asText()).isEqualTo(snowman);

        String longAgent = "a".repeat(512);
        assertThat(raw(system.commandUrl(), "POST", serviceAccounts(WS), admin, Map.of("User-Agent", longAgent,
                "X-Correlation-Id", "long-agent"), "{\"name\":\"long-agent\"}").status()).isEqualTo(201);
        assertThat(Eventually.read(() -> api.audit(WS, admin, Map.of("correlationId", "long-agent")),
                page -> assertThat(Json.items(page)).isNotEmpty()).path("items").get(0).path("userAgent").asText())
                .isEqualTo(longAgent);
    }

    @Test
    void aStoredHeaderThatCannotBeStoredAsSent_isRefusedNamingIt() {
        Map<String, Map<String, String>> headers = new LinkedHashMap<>();
        headers.put("reason not UTF-8", Map.of("X-Audit-Reason", "caf\u00e9"));
        headers.put("reason with a tab", Map.of("X-Audit-Reason", "a\tb"));
        headers.put("reason too long", Map.of("X-Audit-Reason", "r".repeat(501)));
        headers.put("reason with a zero-width space", Map.of("X-Audit-Reason", utf8AsLatin1("a\u200bb")));
        headers.put("user agent too long", Map.of("User-Agent", "a".repeat(513)));
        headers.put("user agent not UTF-8", Map.of("User-Agent", "\u00ff\u00fe"));
        headers.put("user agent with a tab", Map.of("User-Agent", "curl/8\tx"));
        headers.put("correlation id not ASCII", Map.of("X-Correlation-Id", utf8AsLatin1("caf\u00e9")));
        for (Map.Entry<String, Map<String, String>> header : headers.entrySet()) {
            long head = system.eventStoreHead();
            RawHttp.Answer answer = raw(system.commandUrl(), "POST", serviceAccounts(WS), admin, header.getValue(),
                    "{\"name\":\"" + UUID.randomUUID() + "\"}");
            assertThat(answer.status()).as(header.getKey() + ": " + answer).isEqualTo(400);
            assertThat(answer.isProblem()).as(header.getKey()).isTrue();
            assertThat(detail(answer)).as(header.getKey()).contains(header.getValue().keySet().iterator().next());
            assertThat(system.eventStoreHead()).as(header.getKey() + ": nothing stored").isEqualTo(head);
        }
        byte[] body = "{\"name\":\"twice\"}".getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer twice = RawHttp.send(system.commandUrl(), "POST " + serviceAccounts(WS) + " HTTP/1.1\r\n"
                + "Authorization: Bearer " + admin + "\r\nX-Audit-Reason: one\r\nX-Audit-Reason: two\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n", body);
        assertProblem(twice, 400, "invalid-audit-reason");
        RawHttp.Answer twoTokens = RawHttp.send(system.queryUrl(), "GET /v1/me HTTP/1.1\r\nAuthorization: Bearer "
                + admin + "\r\nAuthorization: Bearer " + api.operatorToken() + "\r\n");
        assertProblem(twoTokens, 400, "invalid-header");
    }

    // ------------------------------------------------------------------ what the container answers (hole 9)

    @Test
    void errorsOfTheServletContainer_areProblemDocuments_onBothSides() throws Exception {
        for (String base : List.of(system.commandUrl(), system.queryUrl())) {
            List<String> heads = List.of(
                    "GET /v1/workspaces/a%2Fb/audit HTTP/1.1\r\n",                     // encoded '/'
                    "GET /v1/workspaces/a%5Cb/audit HTTP/1.1\r\n",                     // encoded '\'
                    "GET /v1/workspaces/a%C3%28/audit HTTP/1.1\r\n",                   // not UTF-8
                    "GET /v1/me HTTP/1.1 extra\r\n",                                   // malformed request line
                    "GET /v1/m\u00e9 HTTP/1.1\r\n",                                    // a raw byte over 0x7F
                    "GET /v1/me?a=<b> HTTP/1.1\r\n",                                   // characters Tomcat refuses
                    "G\u0001T /v1/me HTTP/1.1\r\n",                                    // not a method
                    "GET /v1/me HTTP/1.1\r\nBad\u0001Name: x\r\n",                     // not a header name
                    "GET /v1/me HTTP/1.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n",    // headers too large
                    "GET /v1/" + "l".repeat(20_000) + " HTTP/1.1\r\n",                 // request line too long
                    "GET /v1/me HTTP/2.0\r\n",                                         // a version it does not serve
                    "GET /v1/me HTTP/1.1\r\nContent-Length: x\r\n",                    // not a length
                    "GET /v1/me HTTP/1.1\r\nTransfer-Encoding: gzip\r\n");             // not a coding it knows
            for (String head : heads) {
                RawHttp.Answer answer = RawHttp.send(base, head);
                assertThat(answer.status()).as(head.length() > 80 ? head.substring(0, 80) : head)
                        .isBetween(400, 505);
                assertThat(answer.isProblem()).as(head.length() > 80 ? head.substring(0, 80) : head + answer).isTrue();
                JsonNode problem = Api.JSON.readTree(answer.body());
                assertThat(problem.path("type").asText()).startsWith(Response.PROBLEM_TYPE_PREFIX);
                assertThat(problem.path("status").asInt()).isEqualTo(answer.status());
                assertThat(problem.path("requestId").asText()).isNotBlank();
            }
        }
    }

    @Test
    void theErrorPage_andUnknownPathsAndMethods_areProblemsWithStableTypes() {
        for (String base : List.of(system.commandUrl(), system.queryUrl())) {
            assertProblem(RawHttp.send(base, "GET /error HTTP/1.1\r\n"), 404, "not-found");
            assertProblem(raw(base, "GET", "/error", admin, Map.of(), null), 404, "not-found");
            assertProblem(raw(base, "GET", "/v1/nothing-here", admin, Map.of(), null), 404, "not-found");
            assertProblem(raw(base, "PROPFIND", serviceAccounts(WS), admin, Map.of(), null), 405,
                    "method-not-allowed");
            assertProblem(raw(base, "TRACE", serviceAccounts(WS), admin, Map.of(), null), 405, "method-not-allowed");
            assertProblem(RawHttp.send(base, "TRACE /v1/me HTTP/1.1\r\n"), 405, "method-not-allowed");
            assertProblem(RawHttp.send(base, "CONNECT /v1/me HTTP/1.1\r\n"), 501, "not-implemented");
        }
        assertProblem(raw(system.queryUrl(), "PUT", "/v1/me", admin, Map.of(), null), 405, "method-not-allowed");
    }

    @Test
    void aTooLongBearerToken_isUnauthenticated_likeAnyOtherMalformedToken() {
        for (String base : List.of(system.commandUrl(), system.queryUrl())) {
            RawHttp.Answer answer = raw(base, "GET", "/v1/me", "a".repeat(9_000), Map.of(), null);
            assertProblem(answer, 401, "unauthenticated");
            assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static RawHttp.Answer raw(String base, String method, String path, String token,
                                      Map<String, String> headers, String json) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            if (!headers.containsKey("Content-Type")) {
                head.append("Content-Type: application/json\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return RawHttp.send(base, head.toString(), body);
    }

    // ------------------------------------------------------------------ content negotiation and body types

    @Test
    void aWriteWhoseAcceptAdmitsNoJson_isRefusedBeforeItIsCarriedOut_notAfter() {
        for (String accept : List.of("application/xml", "image/png", "text/csv, application/json;q=0")) {
            long head = system.eventStoreHead();
            api.command("POST", serviceAccounts(WS)).token(admin).header("Accept", accept)
                    .json(Map.of("name", "negotiated")).send().expectProblem(406, "not-acceptable");
            assertThat(system.eventStoreHead()).as("nothing done for Accept: " + accept).isEqualTo(head);
        }
        long head = system.eventStoreHead();
        api.command("POST", serviceAccounts(WS)).token(admin).header("Accept", "garbage")
                .json(Map.of("name", "negotiated")).send().expectProblem(400, "invalid-header");
        assertThat(system.eventStoreHead()).isEqualTo(head);
        assertThat(Json.texts(Json.items(api.listServiceAccounts(WS, admin).expect(200).json()), "name"))
                .doesNotContain("negotiated");
        api.command("POST", serviceAccounts(WS)).token(admin).header("Accept", "application/*")
                .json(Map.of("name", "negotiated")).send().expect(201);
    }

    @Test
    void anError_isAProblemDocument_whateverAcceptAdmits() {
        for (String accept : List.of("image/png", "garbage", "text/html")) {
            // a malformed Accept is itself refused, before anything is done
            api.command("DELETE", tokens(WS, saId) + "/" + UUID.randomUUID()).token(admin).header("Accept", accept)
                    .send().expectProblem(accept.equals("garbage") ? 400 : 404,
                            accept.equals("garbage") ? "invalid-header" : "token-not-found");
            api.query("GET", "/v1/workspaces/" + WS + "/nothing-here").token(admin).header("Accept", accept).send()
                    .expectProblem(404, "not-found");
            api.query("GET", "/v1/me").token("usrtok_unknown").header("Accept", accept).send()
                    .expectProblem(401, "unauthenticated");
        }
    }

    @Test
    void aMultipartBody_isRefusedAsAnUnsupportedType_neverParsed() {
        long head = system.eventStoreHead();
        api.command("POST", serviceAccounts(WS)).token(admin).header("Content-Type", "multipart/form-data")
                .rawJson("{\"name\":\"multi\"}").send().expectProblem(415, "unsupported-media-type");
        api.command("POST", serviceAccounts(WS)).token(admin)
                .header("Content-Type", "multipart/form-data; boundary=x")
                .rawJson("--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nmulti\r\n--x--\r\n").send()
                .expectProblem(415, "unsupported-media-type");
        api.query("GET", "/v1/me").token(admin).header("Content-Type", "multipart/form-data").rawJson("x").send()
                .expectProblem(400, "unexpected-body");
        assertThat(system.eventStoreHead()).isEqualTo(head);
    }

    /**
     * A 400 of the checks every path gets before introspection (an unknown query parameter) is a problem document;
     * one introspection decides itself (any other query string) is also an OAuth error response: application/json
     * with {@code "error":"invalid_request"}.
     */
    private static void assertIntrospectionProblem(RawHttp.Answer answer, String code) {
        if (answer.isProblem()) {
            assertProblem(answer, 400, code);
            return;
        }
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/json");
        assertThat(answer.body()).as(answer.toString())
                .contains("\"type\":\"urn:svcaccounts:problem:" + code + "\"", "\"error\":\"invalid_request\"");
    }

    private static void assertProblem(RawHttp.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.isProblem()).as(answer + " is problem+json").isTrue();
        try {
            JsonNode problem = Api.JSON.readTree(answer.body());
            assertThat(problem.path("type").asText()).as(answer.toString())
                    .isEqualTo(Response.PROBLEM_TYPE_PREFIX + code);
            assertThat(problem.path("detail").asText()).as(answer.toString()).isNotBlank();
            assertThat(problem.path("requestId").asText()).as(answer.toString())
                    .isEqualTo(answer.header("X-Request-Id"));
        } catch (IOException e) {
            throw new AssertionError(answer + ": body is not JSON", e);
        }
    }

    private static String detail(RawHttp.Answer answer) {
        try {
            return Api.JSON.readTree(answer.body()).path("detail").asText();
        } catch (IOException e) {
            throw new AssertionError(answer + ": body is not JSON", e);
        }
    }

    /** The UTF-8 bytes of {@code text}, one character each, as a raw header value carries them. */
    private static String utf8AsLatin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String hex(char c) {
        return String.format("%02X", (int) c);
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
