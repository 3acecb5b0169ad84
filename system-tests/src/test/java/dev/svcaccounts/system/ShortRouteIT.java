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
 * The command side's short routes ({@code infra.web.ShortRoute}) answer every request they take exactly as Spring
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

    /** The last answer {@link #raw} received (the undo of a creation reads the new id there). */
    private static volatile String lastAnswer;

    /** {@code "METHOD path"} of each request Spring MVC's DispatcherServlet handled on the command side. */
    private static final List<String> DISPATCHED = new CopyOnWriteArrayList<>();
    /** A request only Spring MVC answers, sent after the compared ones. */
    private static final String SENTINEL = "/actuator/health";

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
        String accounts = "/v1/workspaces/" + admin.ws() + "/service-accounts";
        Principal doomed = workspaces.serviceAccount(admin, "taken-doomed");
        List<Case> cases = List.of(
                new Case("assign", "/v1/workspaces/" + admin.ws() + "/projects/alpha/service-accounts/" + robot.id(),
                        bearer, "Content-Type: application/json\r\n", body("{\"role\":\"viewer\"}"), null),
                new Case("revoke", "DELETE", tokens + token, bearer, "", new byte[0], null),
                new Case("create", "POST", accounts, bearer, "Content-Type: application/json\r\n",
                        body("{\"name\":\"taken-created\"}"), null),
                new Case("delete", "DELETE", accounts + "/" + doomed.id(), bearer, "", new byte[0], null),
                new Case("issue", "POST", accounts + "/" + robot.id() + "/tokens", bearer,
                        "Content-Type: application/json\r\n", body("{\"description\":\"taken\"}"), null));
        for (Case c : cases) {
            String request = c.method() + " " + c.path();
            for (Map.Entry<String, String> accept : TWINS.entrySet()) {
                DISPATCHED.clear();
                raw(c, accept.getKey(), null);
                raw(c, accept.getValue(), null);
                // DispatcherServlet reports a request after answering it: wait for a later request's report, so a
                // report of the routed request, were it dispatched, would be in by then
                RawHttp.send(system.commandUrl(), "GET " + SENTINEL + " HTTP/1.1\r\n");
                Eventually.untilAsserted(() -> assertThat(DISPATCHED).contains("GET " + SENTINEL));
                assertThat(DISPATCHED).as(c.name() + ", Accept " + accept.getKey())
                        .containsExactly(request, "GET " + SENTINEL);
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

    @Test
    void creatingAServiceAccount_answersAsSpringMvcDoes_headerByHeader() {
        Principal admin = workspaces.fresh("create");
        Principal taken = workspaces.serviceAccount(admin, "create-taken");
        Principal viewer = workspaces.user(admin, "create-viewer", "member");
        Principal stranger = workspaces.fresh("create-stranger");
        Principal full = workspaces.fresh("create-full");
        for (int i = 0; i < 50; i++) { // the workspace quota
            api.createServiceAccount(full.ws(), full.token(), "full-" + i);
        }
        String ws = admin.ws();
        String bearer = "Bearer " + admin.token();
        String accounts = "/v1/workspaces/" + ws + "/service-accounts";
        String json = "Content-Type: application/json\r\n";
        Runnable undo = () -> undoCreation(ws, admin.token());
        String made = "{\"name\":\"twin-made\"}";
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("created", "POST", accounts, bearer, json, body(made), undo));
        cases.add(new Case("with description and expiry", "POST", accounts, bearer, json,
                body("{\"name\":\"twin-made\",\"description\":\"made by a twin\","
                        + "\"tokenExpiresAt\":\"2099-01-01T00:00:00Z\"}"), undo));
        cases.add(new Case("charset utf-8", "POST", accounts, bearer,
                "Content-Type: application/json;charset=UTF-8\r\n", body("{\"name\":\"twin-\u00e9t\u00e9\"}"), undo));
        cases.add(new Case("query string", "POST", accounts + "?colour=blue", bearer, json, body(made), undo));
        cases.add(new Case("with reason and correlation", "POST", accounts, bearer,
                json + "X-Audit-Reason: the twins\r\nX-Correlation-Id: twins-1\r\nUser-Agent: twin/1\r\n", body(made),
                undo));
        cases.add(new Case("name taken", "POST", accounts, bearer, json, body("{\"name\":\"create-taken\"}"), undo));
        cases.add(new Case("quota reached", "POST", "/v1/workspaces/" + full.ws() + "/service-accounts",
                "Bearer " + full.token(), json, body(made), () -> undoCreation(full.ws(), full.token())));
        // one violation per case: with several, their order in the answer changes from one request to the next
        // (Hibernate Validator's set of violations hashes their beans by identity), through Spring MVC as through the
        // route
        cases.add(new Case("blank name", "POST", accounts, bearer, json, body("{\"name\":\" \"}"), undo));
        cases.add(new Case("name too long", "POST", accounts, bearer, json,
                body("{\"name\":\"" + "n".repeat(101) + "\"}"), undo));
        cases.add(new Case("a control character", "POST", accounts, bearer, json, body("{\"name\":\"a\\u0007b\"}"),
                undo));
        cases.add(new Case("description too long", "POST", accounts, bearer, json,
                body("{\"name\":\"twin-made\",\"description\":\"" + "d".repeat(257) + "\"}"), undo));
        cases.add(new Case("expiry in the past", "POST", accounts, bearer, json,
                body("{\"name\":\"twin-made\",\"tokenExpiresAt\":\"2001-01-01T00:00:00Z\"}"), undo));
        cases.add(new Case("expiry too late", "POST", accounts, bearer, json,
                body("{\"name\":\"twin-made\",\"tokenExpiresAt\":\"+10000-01-01T00:00:00Z\"}"), undo));
        cases.add(new Case("expiry not a date", "POST", accounts, bearer, json,
                body("{\"name\":\"twin-made\",\"tokenExpiresAt\":\"tomorrow\"}"), undo));
        addBadBodies(cases, "POST", accounts, bearer, "name", undo);
        cases.add(new Case("missing name", "POST", accounts, bearer, json, body("{\"description\":\"x\"}"), undo));
        cases.add(new Case("another workspace", "POST", "/v1/workspaces/" + stranger.ws() + "/service-accounts",
                bearer, json, body(made), () -> undoCreation(stranger.ws(), stranger.token())));
        cases.add(new Case("a member may not", "POST", accounts, "Bearer " + viewer.token(), json, body(made), undo));
        cases.add(new Case("a service account may not", "POST", accounts, "Bearer " + taken.token(), json,
                body(made), undo));
        cases.add(new Case("a wrong token", "POST", accounts, "Bearer svc_nothing-of-the-kind", json, body(made),
                undo));
        cases.add(new Case("no token", "POST", accounts, null, json, body(made), undo));
        SoftAssertions twins = new SoftAssertions();
        compareTwins(cases, twins);
        // Idempotency-Key: the first answer (the secret shown once), its replay, the key again with another body
        Case create = new Case("idempotent", "POST", accounts, bearer, json, body(made), undo);
        Case another = new Case("idempotent, other body", "POST", accounts, bearer, json,
                body("{\"name\":\"twin-other\"}"), undo);
        compareIdempotentTwins(create, another, twins);
        twins.assertAll();
        assertThat(raw(cases.get(0), null, null)).startsWith("HTTP/1.1 201 ").contains("\"secret\":\"svcacct_");
        undoCreation(ws, admin.token());
    }

    @Test
    void deletingAServiceAccount_answersAsSpringMvcDoes_headerByHeader() {
        Principal admin = workspaces.fresh("delete");
        Principal kept = workspaces.serviceAccount(admin, "delete-kept");
        Principal gone = workspaces.serviceAccount(admin, "delete-gone");
        api.delete(admin.ws(), admin.token(), gone.id());
        Principal viewer = workspaces.user(admin, "delete-viewer", "member");
        Principal stranger = workspaces.fresh("delete-stranger");
        Principal strangerBot = workspaces.serviceAccount(stranger, "stranger-bot");
        String ws = admin.ws();
        String bearer = "Bearer " + admin.token();
        String accounts = "/v1/workspaces/" + ws + "/service-accounts/";
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("already deleted", "DELETE", accounts + gone.id(), bearer, "", new byte[0], null));
        cases.add(new Case("unknown account", "DELETE", accounts + UUID.randomUUID(), bearer, "", new byte[0],
                null));
        cases.add(new Case("not an id", "DELETE", accounts + "not-an-id", bearer, "", new byte[0], null));
        cases.add(new Case("an account of another workspace", "DELETE", accounts + strangerBot.id(), bearer, "",
                new byte[0], null));
        cases.add(new Case("another workspace", "DELETE", "/v1/workspaces/" + stranger.ws() + "/service-accounts/"
                + strangerBot.id(), bearer, "", new byte[0], null));
        cases.add(new Case("with a body", "DELETE", accounts + kept.id(), bearer,
                "Content-Type: application/json\r\n", body("{\"reason\":\"x\"}"), null));
        cases.add(new Case("query string", "DELETE", accounts + kept.id() + "?reason=x", bearer, "", new byte[0],
                null));
        cases.add(new Case("percent-encoded id", "DELETE", accounts + "%41" + kept.id(), bearer, "", new byte[0],
                null));
        cases.add(new Case("a member may not", "DELETE", accounts + kept.id(), "Bearer " + viewer.token(), "",
                new byte[0], null));
        cases.add(new Case("the account itself may not", "DELETE", accounts + kept.id(), "Bearer " + kept.token(),
                "", new byte[0], null));
        cases.add(new Case("a wrong token", "DELETE", accounts + kept.id(), "Bearer svc_nothing-of-the-kind", "",
                new byte[0], null));
        cases.add(new Case("no token", "DELETE", accounts + kept.id(), null, "", new byte[0], null));
        SoftAssertions twins = new SoftAssertions();
        compareTwins(cases, twins);
        // a deletion: each twin deletes an account of its own, in the same state; then with an Idempotency-Key
        for (Map.Entry<String, String> accept : TWINS.entrySet()) {
            String[] answers = new String[2];
            String[][] idempotent = new String[2][2];
            for (int twin = 0; twin < 2; twin++) {
                String acceptHeader = twin == 0 ? accept.getKey() : accept.getValue();
                Principal doomed = workspaces.serviceAccount(admin, "delete-doomed");
                answers[twin] = raw(new Case("deleted", "DELETE", accounts + doomed.id(), bearer,
                        "X-Audit-Reason: retired\r\n", new byte[0], null), acceptHeader, null);
                String key = UUID.randomUUID().toString();
                Case keyed = new Case("deleted, with a key", "DELETE",
                        accounts + workspaces.serviceAccount(admin, "delete-keyed").id(), bearer, "", new byte[0],
                        null);
                idempotent[twin][0] = raw(keyed, acceptHeader, key).replace(key, "<key>");
                idempotent[twin][1] = raw(keyed, acceptHeader, key).replace(key, "<key>");
            }
            twins.assertThat(answers[0]).as("deleted, Accept " + accept.getKey()).isEqualTo(answers[1])
                    .startsWith("HTTP/1.1 204 ");
            for (int i = 0; i < 2; i++) {
                twins.assertThat(idempotent[0][i]).as("deleted with a key " + i + ", Accept " + accept.getKey())
                        .isEqualTo(idempotent[1][i]);
            }
        }
        twins.assertAll();
    }

    @Test
    void issuingAServiceAccountToken_answersAsSpringMvcDoes_headerByHeader() {
        Principal admin = workspaces.fresh("issue");
        Principal robot = workspaces.serviceAccount(admin, "issue-bot");
        Principal full = workspaces.serviceAccount(admin, "issue-full");
        for (int i = 1; i < 5; i++) { // the default limit of active tokens, the first one issued with the account
            api.issueToken(admin.ws(), admin.token(), full.id());
        }
        Principal resting = workspaces.serviceAccount(admin, "issue-resting");
        api.deactivate(admin.ws(), admin.token(), resting.id());
        Principal gone = workspaces.serviceAccount(admin, "issue-gone");
        api.delete(admin.ws(), admin.token(), gone.id());
        Principal viewer = workspaces.user(admin, "issue-viewer", "member");
        Principal stranger = workspaces.fresh("issue-stranger");
        Principal strangerBot = workspaces.serviceAccount(stranger, "stranger-bot");
        api.createProject(admin.ws(), admin.token(), "alpha", "private");
        String ws = admin.ws();
        String bearer = "Bearer " + admin.token();
        String accounts = "/v1/workspaces/" + ws + "/service-accounts/";
        String tokens = accounts + robot.id() + "/tokens";
        String json = "Content-Type: application/json\r\n";
        Runnable undo = () -> undoIssue(ws, admin.token(), robot.id());
        String described = "{\"description\":\"twin\"}";
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("issued, no body", "POST", tokens, bearer, "", new byte[0], undo));
        cases.add(new Case("issued, an empty JSON body", "POST", tokens, bearer, json, new byte[0], undo));
        cases.add(new Case("issued, an empty object", "POST", tokens, bearer, json, body("{}"), undo));
        cases.add(new Case("with description, expiry and scope", "POST", tokens, bearer, json,
                body("{\"description\":\"twin\",\"expiresAt\":\"2099-01-01T00:00:00Z\",\"scope\":{\"alpha\":"
                        + "\"viewer\"}}"), undo));
        cases.add(new Case("charset utf-8", "POST", tokens, bearer, "Content-Type: application/json;charset=UTF-8\r\n",
                body("{\"description\":\"\u00e9t\u00e9\"}"), undo));
        cases.add(new Case("query string", "POST", tokens + "?colour=blue", bearer, json, body(described), undo));
        cases.add(new Case("with reason and correlation", "POST", tokens, bearer,
                json + "X-Audit-Reason: the twins\r\nX-Correlation-Id: twins-1\r\nUser-Agent: twin/1\r\n",
                body(described), undo));
        cases.add(new Case("token limit reached", "POST", accounts + full.id() + "/tokens", bearer, json,
                body(described), () -> undoIssue(ws, admin.token(), full.id())));
        cases.add(new Case("a deactivated account", "POST", accounts + resting.id() + "/tokens", bearer, json,
                body(described), () -> undoIssue(ws, admin.token(), resting.id())));
        cases.add(new Case("a deleted account", "POST", accounts + gone.id() + "/tokens", bearer, json,
                body(described), null));
        cases.add(new Case("unknown account", "POST", accounts + UUID.randomUUID() + "/tokens", bearer, json,
                body(described), null));
        cases.add(new Case("an account of another workspace", "POST", accounts + strangerBot.id() + "/tokens",
                bearer, json, body(described), null));
        cases.add(new Case("another workspace", "POST", "/v1/workspaces/" + stranger.ws() + "/service-accounts/"
                + strangerBot.id() + "/tokens", bearer, json, body(described), null));
        cases.add(new Case("percent-encoded id", "POST", accounts + "%41" + robot.id() + "/tokens", bearer, json,
                body(described), undo));
        cases.add(new Case("empty scope", "POST", tokens, bearer, json, body("{\"scope\":{}}"), undo));
        cases.add(new Case("unknown role in scope", "POST", tokens, bearer, json,
                body("{\"scope\":{\"alpha\":\"admin\"}}"), undo));
        cases.add(new Case("unknown project in scope", "POST", tokens, bearer, json,
                body("{\"scope\":{\"gamma\":\"viewer\"}}"), undo));
        cases.add(new Case("invalid key in scope", "POST", tokens, bearer, json,
                body("{\"scope\":{\"Not A Key!\":\"viewer\"}}"), undo));
        cases.add(new Case("scope a string", "POST", tokens, bearer, json, body("{\"scope\":\"alpha\"}"), undo));
        cases.add(new Case("expiry in the past", "POST", tokens, bearer, json,
                body("{\"expiresAt\":\"2001-01-01T00:00:00Z\"}"), undo));
        cases.add(new Case("expiry too late", "POST", tokens, bearer, json,
                body("{\"expiresAt\":\"+10000-01-01T00:00:00Z\"}"), undo));
        cases.add(new Case("expiry not a date", "POST", tokens, bearer, json, body("{\"expiresAt\":\"soon\"}"),
                undo));
        cases.add(new Case("description too long", "POST", tokens, bearer, json,
                body("{\"description\":\"" + "d".repeat(257) + "\"}"), undo));
        cases.add(new Case("a control character", "POST", tokens, bearer, json,
                body("{\"description\":\"a\\u0007b\"}"), undo));
        addBadBodies(cases, "POST", tokens, bearer, "description", undo);
        cases.add(new Case("a member may not", "POST", tokens, "Bearer " + viewer.token(), json, body(described),
                undo));
        cases.add(new Case("the account itself may not", "POST", tokens, "Bearer " + robot.token(), json,
                body(described), undo));
        cases.add(new Case("a wrong token", "POST", tokens, "Bearer svc_nothing-of-the-kind", json,
                body(described), undo));
        cases.add(new Case("no token", "POST", tokens, null, json, body(described), undo));
        SoftAssertions twins = new SoftAssertions();
        compareTwins(cases, twins);
        Case issue = new Case("idempotent", "POST", tokens, bearer, json, body(described), undo);
        Case another = new Case("idempotent, other body", "POST", tokens, bearer, json,
                body("{\"description\":\"other\"}"), undo);
        compareIdempotentTwins(issue, another, twins);
        twins.assertAll();
        assertThat(raw(cases.get(0), null, null)).startsWith("HTTP/1.1 201 ").contains("\"secret\":\"svcacct_");
        undoIssue(ws, admin.token(), robot.id());
    }

    /** The bodies every JSON endpoint must refuse as Spring MVC does; {@code field} is a string field of the body. */
    private static void addBadBodies(List<Case> cases, String method, String path, String bearer, String field,
                                     Runnable undo) {
        String json = "Content-Type: application/json\r\n";
        String good = "{\"" + field + "\":\"twin-made\"}";
        cases.add(new Case("malformed JSON", method, path, bearer, json, body("{\"" + field + "\":"), undo));
        cases.add(new Case("trailing garbage", method, path, bearer, json, body(good + " x"), undo));
        cases.add(new Case("unknown field", method, path, bearer, json,
                body("{\"" + field + "\":\"twin-made\",\"colour\":1}"), undo));
        cases.add(new Case("lone surrogate in a value", method, path, bearer, json,
                body("{\"" + field + "\":\"\\ud800\"}"), undo));
        cases.add(new Case("lone surrogate in a key", method, path, bearer, json, body("{\"\\udc00x\":\"y\"}"),
                undo));
        byte[] latin = ("{\"" + field + "\":\"\u00c3\"}").getBytes(StandardCharsets.ISO_8859_1);
        cases.add(new Case("bytes that are not UTF-8", method, path, bearer, json, latin, undo));
        cases.add(new Case("wrong type", method, path, bearer, json, body("{\"" + field + "\":5}"), undo));
        cases.add(new Case("array for a string", method, path, bearer, json, body("{\"" + field + "\":[\"x\"]}"),
                undo));
        cases.add(new Case("null field", method, path, bearer, json, body("{\"" + field + "\":null}"), undo));
        cases.add(new Case("not an object", method, path, bearer, json, body("[\"twin-made\"]"), undo));
        cases.add(new Case("empty body", method, path, bearer, json, new byte[0], undo));
        cases.add(new Case("too large", method, path, bearer, json,
                body("{\"" + field + "\":\"" + "x".repeat(70_000) + "\"}"), undo));
        cases.add(new Case("text/plain", method, path, bearer, "Content-Type: text/plain\r\n", body(good), undo));
        cases.add(new Case("no Content-Type", method, path, bearer, "", body(good), undo));
        cases.add(new Case("latin-1", method, path, bearer, "Content-Type: application/json;charset=ISO-8859-1\r\n",
                body(good), undo));
        cases.add(new Case("form", method, path, bearer, "Content-Type: application/x-www-form-urlencoded\r\n",
                body(field + "=twin-made"), undo));
    }

    /** Each case with each {@code Accept} and its twin, undone after each; new ids and secrets masked. */
    private static void compareTwins(List<Case> cases, SoftAssertions twins) {
        for (Case c : cases) {
            for (Map.Entry<String, String> accept : TWINS.entrySet()) {
                String shortRoute = masked(raw(c, accept.getKey(), null), c.path());
                undo(c);
                String springMvc = masked(raw(c, accept.getValue(), null), c.path());
                undo(c);
                twins.assertThat(shortRoute).as(c.name() + ", Accept " + accept.getKey()).isEqualTo(springMvc);
            }
        }
    }

    /** Idempotency-Key: the first answer, its replay, the key again with another body; new ids masked. */
    private static void compareIdempotentTwins(Case first, Case another, SoftAssertions twins) {
        for (Map.Entry<String, String> accept : TWINS.entrySet()) {
            String[][] answers = new String[2][3];
            for (int twin = 0; twin < 2; twin++) {
                String acceptHeader = twin == 0 ? accept.getKey() : accept.getValue();
                String key = UUID.randomUUID().toString();
                answers[twin][0] = masked(raw(first, acceptHeader, key).replace(key, "<key>"), first.path());
                String created = lastAnswer;
                answers[twin][1] = masked(raw(first, acceptHeader, key).replace(key, "<key>"), first.path());
                answers[twin][2] = masked(raw(another, acceptHeader, key).replace(key, "<key>"), first.path());
                undo(another);
                lastAnswer = created;
                undo(first);
            }
            for (int i = 0; i < 3; i++) {
                twins.assertThat(answers[0][i]).as(first.name() + " " + i + ", Accept " + accept.getKey())
                        .isEqualTo(answers[1][i]);
            }
        }
    }

    private static final Pattern NEW_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** The answer with what each creation makes anew (ids not in the request's path, the secret, its hint) masked. */
    private static String masked(String answer, String path) {
        Matcher ids = NEW_ID.matcher(answer);
        StringBuilder out = new StringBuilder();
        while (ids.find()) {
            ids.appendReplacement(out, path.contains(ids.group()) ? ids.group() : "<new id>");
        }
        ids.appendTail(out);
        return out.toString().replaceAll("\"secret\":\"[^\"]*\"", "\"secret\":\"<secret>\"")
                .replaceAll("\"hint\":\"[^\"]*\"", "\"hint\":\"<hint>\"");
    }

    /** Deletes the account the last answer created, if it created one. */
    private static void undoCreation(String ws, String adminToken) {
        Matcher location = Pattern.compile("(?md)^Location: \\S*/service-accounts/(\\S+)\r$").matcher(lastAnswer);
        if (lastAnswer.startsWith("HTTP/1.1 201 ") && location.find()) {
            api.delete(ws, adminToken, location.group(1));
        }
    }

    /** Revokes the token the last answer issued, if it issued one. */
    private static void undoIssue(String ws, String adminToken, String accountId) {
        Matcher id = Pattern.compile("\\{\"id\":\"([^\"]+)\"").matcher(lastAnswer);
        if (lastAnswer.startsWith("HTTP/1.1 201 ") && id.find()) {
            api.revokeToken(ws, adminToken, accountId, id.group(1));
        }
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
        lastAnswer = answer;
        Matcher requestId = Pattern.compile("(?md)^X-Request-Id: (\\S+)\r$").matcher(answer);
        assertThat(requestId.find()).as(answer).isTrue();
        return answer.replace(requestId.group(1), "<request id>").replaceAll("(?md)^Date: .*\r$", "Date: <date>\r");
    }
}
