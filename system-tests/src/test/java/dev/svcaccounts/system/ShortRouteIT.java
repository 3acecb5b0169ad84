package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.RawHttp;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.web.context.support.ServletRequestHandledEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command side's short route ({@code command.common.ShortRoute}) answers every request it takes exactly as Spring
 * MVC does: each request is sent twice, once with an {@code Accept} header the route takes and once with its twin
 * that Spring MVC reads as the same ({@code ;q=1} added) and the route leaves to Spring MVC; both answers, status
 * line, every header in its order and the body as framed, must be the same but for the request id and the date.
 * A command that changes something is undone between the twins, so that both meet the same state.
 */
class ShortRouteIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("short_route",
            "--svcaccounts.throttle.writes.limit=1000000");
    private static Api api;
    private static Workspaces workspaces;

    /** The {@code Accept} headers the route takes, each with its twin that goes through Spring MVC. */
    private static final Map<String, String> TWINS = new LinkedHashMap<>();

    static {
        TWINS.put(null, "*/*;q=1");
        TWINS.put("*/*", "*/*;q=1");
        TWINS.put("application/json", "application/json;q=1");
        TWINS.put("application/json, application/problem+json", "application/json;q=1, application/problem+json;q=1");
    }

    /** {@code "METHOD path"} of each request Spring MVC's DispatcherServlet handled on the command side. */
    private static final List<String> DISPATCHED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
        system.commandSide().addApplicationListener((ApplicationListener<ServletRequestHandledEvent>) handled ->
                DISPATCHED.add(handled.getMethod() + " " + handled.getRequestUrl()));
    }

    /**
     * The comparisons' premise: the route answers the requests it takes itself, and their twins go through Spring MVC
     * (whose DispatcherServlet reports each request it handles). Without it, a route that took nothing would pass
     * them, comparing Spring MVC with itself.
     */
    @Test
    void theRouteAnswersWhatItTakes_andTheTwinsGoThroughSpringMvc() {
        Principal admin = workspaces.fresh("taken");
        Principal robot = workspaces.serviceAccount(admin, "taken-bot");
        api.createProject(admin.ws(), admin.token(), "alpha", "private");
        String bearer = "Bearer " + admin.token();
        String tokens = "/v1/workspaces/" + admin.ws() + "/service-accounts/" + robot.id() + "/tokens/";
        String token = api.issueToken(admin.ws(), admin.token(), robot.id()).path("id").asText();
        List<Case> cases = List.of(
                new Case("assign", "/v1/workspaces/" + admin.ws() + "/projects/alpha/service-accounts/" + robot.id(),
                        bearer, "Content-Type: application/json\r\n", body("{\"role\":\"viewer\"}"), null),
                new Case("revoke", "DELETE", tokens + token, bearer, "", new byte[0], null));
        for (Case c : cases) {
            String request = c.method() + " " + c.path();
            for (Map.Entry<String, String> accept : TWINS.entrySet()) {
                DISPATCHED.clear();
                raw(c, accept.getKey(), null);
                raw(c, accept.getValue(), null);
                Eventually.untilAsserted(() -> assertThat(DISPATCHED).as(c.name() + ", Accept " + accept.getKey())
                        .containsExactly(request));
            }
        }
    }

    /** One request: the head's extra lines (CRLF-terminated), its body, and what undoes it (null: nothing to undo). */
    private record Case(String name, String method, String path, String authorization, String extraHead,
                        byte[] body, Runnable undo) {
        Case(String name, String path, String authorization, String extraHead, byte[] body, Runnable undo) {
            this(name, "PUT", path, authorization, extraHead, body, undo);
        }
    }

    @Test
    void assigningAServiceAccount_answersAsSpringMvcDoes_headerByHeader() {
        Principal admin = workspaces.fresh("route");
        Principal robot = workspaces.serviceAccount(admin, "route-bot");
        Principal other = workspaces.serviceAccount(admin, "route-other");
        Principal viewer = workspaces.user(admin, "route-viewer", "member");
        Principal stranger = workspaces.fresh("route-stranger");
        Principal strangerBot = workspaces.serviceAccount(stranger, "stranger-bot");
        api.createProject(admin.ws(), admin.token(), "alpha", "private");
        api.createProject(admin.ws(), admin.token(), "beta", "private");
        api.assignServiceAccount(admin.ws(), admin.token(), "beta", other.id(), "contributor");
        String ws = admin.ws();
        String bearer = "Bearer " + admin.token();
        String alphaRobot = "/v1/workspaces/" + ws + "/projects/alpha/service-accounts/" + robot.id();
        String betaOther = "/v1/workspaces/" + ws + "/projects/beta/service-accounts/" + other.id();
        String json = "Content-Type: application/json\r\n";
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("new assignment", alphaRobot, bearer, json, body("{\"role\":\"viewer\"}"),
                () -> api.unassignServiceAccount(ws, admin.token(), "alpha", robot.id())));
        cases.add(new Case("role changed", betaOther, bearer, json, body("{\"role\":\"owner\"}"),
                () -> api.assignServiceAccount(ws, admin.token(), "beta", other.id(), "contributor")));
        cases.add(new Case("same role again", betaOther, bearer, json, body("{\"role\":\"contributor\"}"), null));
        cases.add(new Case("charset utf-8", betaOther, bearer, "Content-Type: application/json;charset=UTF-8\r\n",
                body("{\"role\":\"contributor\"}"), null));
        cases.add(new Case("query string", betaOther + "?colour=blue", bearer, json,
                body("{\"role\":\"contributor\"}"), null));
        cases.add(new Case("malformed JSON", betaOther, bearer, json, body("{\"role\":"), null));
        cases.add(new Case("trailing garbage", betaOther, bearer, json, body("{\"role\":\"owner\"} x"), null));
        cases.add(new Case("unknown field", betaOther, bearer, json, body("{\"role\":\"owner\",\"colour\":1}"), null));
        cases.add(new Case("lone surrogate in a value", betaOther, bearer, json, body("{\"role\":\"\\ud800\"}"),
                null));
        cases.add(new Case("lone surrogate in a key", betaOther, bearer, json, body("{\"\\udc00x\":\"owner\"}"),
                null));
        cases.add(new Case("bytes that are not UTF-8", betaOther, bearer, json,
                new byte[] {'{', '"', 'r', '"', ':', '"', (byte) 0xC3, '"', '}'}, null));
        cases.add(new Case("wrong type", betaOther, bearer, json, body("{\"role\":5}"), null));
        cases.add(new Case("array for a string", betaOther, bearer, json, body("{\"role\":[\"owner\"]}"), null));
        cases.add(new Case("missing field", betaOther, bearer, json, body("{}"), null));
        cases.add(new Case("null field", betaOther, bearer, json, body("{\"role\":null}"), null));
        cases.add(new Case("unknown role", betaOther, bearer, json, body("{\"role\":\"admin\"}"), null));
        cases.add(new Case("not an object", betaOther, bearer, json, body("[\"owner\"]"), null));
        cases.add(new Case("empty body", betaOther, bearer, json, new byte[0], null));
        cases.add(new Case("too large", betaOther, bearer, json,
                body("{\"role\":\"" + "x".repeat(70_000) + "\"}"), null));
        cases.add(new Case("text/plain", betaOther, bearer, "Content-Type: text/plain\r\n",
                body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("no Content-Type", betaOther, bearer, "", body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("latin-1", betaOther, bearer, "Content-Type: application/json;charset=ISO-8859-1\r\n",
                body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("form", betaOther, bearer, "Content-Type: application/x-www-form-urlencoded\r\n",
                body("role=owner"), null));
        cases.add(new Case("unknown account", "/v1/workspaces/" + ws + "/projects/beta/service-accounts/"
                + UUID.randomUUID(), bearer, json, body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("unknown project", "/v1/workspaces/" + ws + "/projects/gamma/service-accounts/"
                + other.id(), bearer, json, body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("an account of another workspace", "/v1/workspaces/" + ws
                + "/projects/beta/service-accounts/" + strangerBot.id(), bearer, json, body("{\"role\":\"owner\"}"),
                null));
        cases.add(new Case("another workspace", "/v1/workspaces/" + stranger.ws()
                + "/projects/beta/service-accounts/" + other.id(), bearer, json, body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("percent-encoded id", "/v1/workspaces/" + ws + "/projects/beta/service-accounts/%41"
                + other.id(), bearer, json, body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("a member may not", betaOther, "Bearer " + viewer.token(), json,
                body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("a wrong token", betaOther, "Bearer svc_nothing-of-the-kind", json,
                body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("no token", betaOther, null, json, body("{\"role\":\"owner\"}"), null));
        cases.add(new Case("with reason and correlation", betaOther, bearer,
                json + "X-Audit-Reason: the twins\r\nX-Correlation-Id: twins-1\r\nUser-Agent: twin/1\r\n",
                body("{\"role\":\"owner\"}"),
                () -> api.assignServiceAccount(ws, admin.token(), "beta", other.id(), "contributor")));
        SoftAssertions twins = new SoftAssertions(); // every difference listed, not only the first
        for (Case c : cases) {
            for (Map.Entry<String, String> accept : TWINS.entrySet()) {
                String shortRoute = raw(c, accept.getKey(), null);
                undo(c);
                String springMvc = raw(c, accept.getValue(), null);
                undo(c);
                twins.assertThat(shortRoute).as(c.name() + ", Accept " + accept.getKey()).isEqualTo(springMvc);
            }
        }
        // Idempotency-Key: the first answer, its replay, and the key sent again with another body
        for (Map.Entry<String, String> accept : TWINS.entrySet()) {
            String[] keys = {UUID.randomUUID().toString(), UUID.randomUUID().toString()};
            String[][] answers = new String[2][3];
            for (int twin = 0; twin < 2; twin++) {
                String acceptHeader = twin == 0 ? accept.getKey() : accept.getValue();
                Case change = new Case("idempotent", betaOther, bearer, json, body("{\"role\":\"viewer\"}"), null);
                Case another = new Case("idempotent, other body", betaOther, bearer, json,
                        body("{\"role\":\"owner\"}"), null);
                answers[twin][0] = raw(change, acceptHeader, keys[twin]).replace(keys[twin], "<key>");
                answers[twin][1] = raw(change, acceptHeader, keys[twin]).replace(keys[twin], "<key>");
                answers[twin][2] = raw(another, acceptHeader, keys[twin]).replace(keys[twin], "<key>");
                api.assignServiceAccount(ws, admin.token(), "beta", other.id(), "contributor");
            }
            for (int i = 0; i < 3; i++) {
                twins.assertThat(answers[0][i]).as("idempotent " + i + ", Accept " + accept.getKey())
                        .isEqualTo(answers[1][i]);
            }
        }
        twins.assertAll();
        assertThat(raw(cases.get(0), null, null)).startsWith("HTTP/1.1 200 ").contains("\"role\":\"viewer\"");
        // the route's answers are counted under the mapping's pattern, as Spring MVC's are (an idempotent replay,
        // answered by a filter before any mapping, is counted under UNKNOWN in both)
        String pattern = "/v1/workspaces/{ws}/projects/{key}/service-accounts/{saId}";
        long routed = putsCounted(pattern);
        long unknown = putsCounted("UNKNOWN");
        for (int i = 0; i < 3; i++) {
            assertThat(raw(cases.get(2), null, null)).startsWith("HTTP/1.1 200 ");
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (putsCounted(pattern) < routed + 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(putsCounted(pattern)).isEqualTo(routed + 3);
        assertThat(putsCounted("UNKNOWN")).isEqualTo(unknown);
    }

    @Test
    void revokingAServiceAccountsToken_answersAsSpringMvcDoes_headerByHeader() {
        Principal admin = workspaces.fresh("revoke");
        Principal robot = workspaces.serviceAccount(admin, "revoke-bot");
        Principal other = workspaces.serviceAccount(admin, "revoke-other");
        Principal viewer = workspaces.user(admin, "revoke-viewer", "member");
        Principal stranger = workspaces.fresh("revoke-stranger");
        String ws = admin.ws();
        String bearer = "Bearer " + admin.token();
        String tokens = "/v1/workspaces/" + ws + "/service-accounts/" + robot.id() + "/tokens/";
        String revoked = api.issueToken(ws, admin.token(), robot.id()).path("id").asText();
        api.revokeToken(ws, admin.token(), robot.id(), revoked);
        String othersToken = api.issueToken(ws, admin.token(), other.id()).path("id").asText();
        String kept = api.issueToken(ws, admin.token(), robot.id()).path("id").asText();
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("already revoked", "DELETE", tokens + revoked, bearer, "", new byte[0], null));
        cases.add(new Case("unknown token", "DELETE", tokens + UUID.randomUUID(), bearer, "", new byte[0], null));
        cases.add(new Case("not an id", "DELETE", tokens + "not-an-id", bearer, "", new byte[0], null));
        cases.add(new Case("a token of another account", "DELETE", tokens + othersToken, bearer, "", new byte[0],
                null));
        cases.add(new Case("unknown account", "DELETE", "/v1/workspaces/" + ws + "/service-accounts/"
                + UUID.randomUUID() + "/tokens/" + kept, bearer, "", new byte[0], null));
        cases.add(new Case("another workspace", "DELETE", "/v1/workspaces/" + stranger.ws() + "/service-accounts/"
                + robot.id() + "/tokens/" + kept, bearer, "", new byte[0], null));
        cases.add(new Case("with a body", "DELETE", tokens + kept, bearer, "Content-Type: application/json\r\n",
                body("{\"reason\":\"x\"}"), null));
        cases.add(new Case("query string", "DELETE", tokens + kept + "?reason=x", bearer, "", new byte[0], null));
        cases.add(new Case("a member may not", "DELETE", tokens + kept, "Bearer " + viewer.token(), "",
                new byte[0], null));
        cases.add(new Case("no token", "DELETE", tokens + kept, null, "", new byte[0], null));
        SoftAssertions twins = new SoftAssertions();
        for (Case c : cases) {
            for (Map.Entry<String, String> accept : TWINS.entrySet()) {
                twins.assertThat(raw(c, accept.getKey(), null)).as(c.name() + ", Accept " + accept.getKey())
                        .isEqualTo(raw(c, accept.getValue(), null));
            }
        }
        // a revocation: each twin revokes a token of its own, in the same state; then with an Idempotency-Key
        for (Map.Entry<String, String> accept : TWINS.entrySet()) {
            String[] answers = new String[2];
            String[][] idempotent = new String[2][2];
            for (int twin = 0; twin < 2; twin++) {
                String acceptHeader = twin == 0 ? accept.getKey() : accept.getValue();
                String token = api.issueToken(ws, admin.token(), robot.id()).path("id").asText();
                answers[twin] = raw(new Case("revoked", "DELETE", tokens + token, bearer,
                        "X-Audit-Reason: rotated\r\n", new byte[0], null), acceptHeader, null);
                String key = UUID.randomUUID().toString();
                Case keyed = new Case("revoked, with a key", "DELETE",
                        tokens + api.issueToken(ws, admin.token(), robot.id()).path("id").asText(), bearer, "",
                        new byte[0], null);
                idempotent[twin][0] = raw(keyed, acceptHeader, key).replace(key, "<key>");
                idempotent[twin][1] = raw(keyed, acceptHeader, key).replace(key, "<key>");
            }
            twins.assertThat(answers[0]).as("revoked, Accept " + accept.getKey()).isEqualTo(answers[1])
                    .startsWith("HTTP/1.1 204 ");
            for (int i = 0; i < 2; i++) {
                twins.assertThat(idempotent[0][i]).as("revoked with a key " + i + ", Accept " + accept.getKey())
                        .isEqualTo(idempotent[1][i]);
            }
        }
        twins.assertAll();
    }

    /** How many PUTs answered 200 the command side's request timer counted under this {@code uri} tag. */
    private static long putsCounted(String uri) {
        String scrape = api.command("GET", "/actuator/prometheus").header("Accept", "text/plain").send().expect(200)
                .body();
        return scrape.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")
                        && line.contains("method=\"PUT\"") && line.contains("status=\"200\"")
                        && line.contains("uri=\"" + uri + "\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static void undo(Case c) {
        if (c.undo() != null) {
            c.undo().run();
        }
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The answer as it came, its request id and date left out. */
    private static String raw(Case c, String accept, String idempotencyKey) {
        StringBuilder head = new StringBuilder(c.method() + " " + c.path() + " HTTP/1.1\r\n");
        if (c.authorization() != null) {
            head.append("Authorization: ").append(c.authorization()).append("\r\n");
        }
        if (accept != null) {
            head.append("Accept: ").append(accept).append("\r\n");
        }
        if (idempotencyKey != null) {
            head.append("Idempotency-Key: ").append(idempotencyKey).append("\r\n");
        }
        head.append(c.extraHead()).append("Content-Length: ").append(c.body().length).append("\r\n");
        String answer = RawHttp.sendForText(system.commandUrl(), head.toString(), c.body());
        Matcher requestId = Pattern.compile("(?md)^X-Request-Id: (\\S+)\r$").matcher(answer);
        assertThat(requestId.find()).as(answer).isTrue();
        return answer.replace(requestId.group(1), "<request id>").replaceAll("(?md)^Date: .*\r$", "Date: <date>\r");
    }
}
