package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Histories;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query side's short routes for its hot reads ({@code infra.web.ShortRoute}, listed in
 * {@code query.web.ReadRoutes}) answer every request they take exactly as Spring MVC does: each request is sent
 * twice, once with an {@code Accept} header the route takes and once with its twin that Spring MVC reads as the same
 * ({@code ;q=1} added) and the route leaves to Spring MVC; both answers, status line, every header in its order and
 * the body as framed, must be the same but for the request id and the date. The requests the routes leave to Spring
 * MVC (a query string, HEAD, a body, a conditional header, ...) are compared too, and the premise test checks that
 * they do go through Spring MVC.
 */
class ReadRouteIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("read_route",
            "--svcaccounts.throttle.failed-authentications.limit=1000000",
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

    private static final String SERVICE_ACCOUNT = "/v1/workspaces/{ws}/service-accounts/{id}";
    private static final String PROJECT_ACCESS = "/v1/workspaces/{ws}/projects/{key}/access";

    /** {@code "METHOD path"} of each request Spring MVC's DispatcherServlet handled on the query side. */
    private static final List<String> DISPATCHED = new CopyOnWriteArrayList<>();
    /** A request only Spring MVC answers, sent after the compared ones. */
    private static final String SENTINEL = "/actuator/health";

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
        system.querySide().addApplicationListener((ApplicationListener<ServletRequestHandledEvent>) handled ->
                DISPATCHED.add(handled.getMethod() + " " + handled.getRequestUrl()));
    }

    /** One request: the head's extra lines (CRLF-terminated) and its body. */
    private record Case(String name, String method, String path, String authorization, String extraHead,
                        byte[] body) {
        Case(String name, String path, String authorization) {
            this(name, "GET", path, authorization, "", new byte[0]);
        }

        Case(String name, String path, String authorization, String extraHead) {
            this(name, "GET", path, authorization, extraHead, new byte[0]);
        }
    }

    /** A workspace with what both reads show: accounts with tokens, assignments and a rule, owners, a stranger. */
    private record Scene(Principal admin, Principal robot, Principal owner, Principal ownerBot, Principal member,
                         Principal otherBot, String scopedToken, Principal stranger, String deactivated,
                         String deleted) {
        String bearer() {
            return "Bearer " + admin.token();
        }

        String account(String id) {
            return "/v1/workspaces/" + admin.ws() + "/service-accounts/" + id;
        }

        String access(String key) {
            return "/v1/workspaces/" + admin.ws() + "/projects/" + key + "/access";
        }
    }

    private static Scene scene(String prefix) {
        Principal admin = workspaces.fresh(prefix);
        String ws = admin.ws();
        Principal robot = workspaces.serviceAccount(admin, prefix + "-bot");
        api.createProject(ws, admin.token(), "alpha", "private");
        api.createProject(ws, admin.token(), "beta", "public");
        api.issueToken(ws, admin.token(), robot.id(), Map.of("description", "second", "scope", Map.of("alpha",
                "viewer")));
        api.assignServiceAccount(ws, admin.token(), "alpha", robot.id(), "contributor");
        api.assignServiceAccount(ws, admin.token(), "beta", robot.id(), "viewer");
        api.addFederationRule(ws, admin.token(), robot.id(), Histories.federationRule("repo:acme/" + prefix + ":*"));
        Principal owner = workspaces.user(admin, prefix + "-owner", "member");
        api.assignMember(ws, admin.token(), "alpha", owner.id(), "owner");
        Principal ownerBot = workspaces.serviceAccount(admin, prefix + "-owner-bot");
        api.assignServiceAccount(ws, admin.token(), "beta", ownerBot.id(), "owner");
        Principal member = workspaces.user(admin, prefix + "-member", "member");
        Principal otherBot = workspaces.serviceAccount(admin, prefix + "-other-bot");
        String scoped = otherBot.withToken(api.issueToken(ws, admin.token(), otherBot.id(),
                Map.of("scope", Map.of("alpha", "viewer")))).token();
        String deactivated = workspaces.serviceAccount(admin, prefix + "-deactivated").id();
        api.deactivate(ws, admin.token(), deactivated);
        String deleted = workspaces.serviceAccount(admin, prefix + "-deleted").id();
        api.delete(ws, admin.token(), deleted);
        Principal stranger = workspaces.fresh(prefix + "-stranger");
        system.awaitProjectionsCaughtUp();
        return new Scene(admin, robot, owner, ownerBot, member, otherBot, scoped, stranger, deactivated, deleted);
    }

    /**
     * The comparisons' premise: the routes answer the requests they take themselves, their twins go through Spring MVC
     * (whose DispatcherServlet reports each request it handles), and so does every request a route leaves to it.
     * Without it, a route that took nothing would pass them, comparing Spring MVC with itself.
     */
    @Test
    void theRoutesAnswerWhatTheyTake_andLeaveTheRestToSpringMvc() {
        Scene scene = scene("taken");
        String bearer = scene.bearer();
        List<Case> taken = List.of(new Case("a service account", scene.account(scene.robot().id()), bearer),
                new Case("a project's access", scene.access("alpha"), bearer));
        for (Case c : taken) {
            for (Map.Entry<String, String> accept : TWINS.entrySet()) {
                assertThat(dispatched(c, accept.getKey())).as(c.name() + ", Accept " + accept.getKey()).isEmpty();
                assertThat(dispatched(c, accept.getValue())).as(c.name() + ", Accept " + accept.getValue())
                        .containsExactly(c.method() + " " + c.path());
            }
        }
        String account = scene.account(scene.robot().id());
        List<Case> left = new ArrayList<>();
        left.add(new Case("a query string", account + "?at=" + Instant.now(), bearer));
        left.add(new Case("an empty query string", account + "?", bearer));
        left.add(new Case("HEAD", "HEAD", account, bearer, "", new byte[0]));
        left.add(new Case("a body", "GET", account, bearer, "Content-Type: application/json\r\n", body("{}")));
        left.add(new Case("If-None-Match", account, bearer, "If-None-Match: *\r\n"));
        left.add(new Case("If-Modified-Since", account, bearer,
                "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n"));
        left.add(new Case("Accept-Language", account, bearer, "Accept-Language: fr\r\n"));
        left.add(new Case("Origin", account, bearer, "Origin: https://elsewhere.example\r\n"));
        left.add(new Case("HEAD of the access", "HEAD", scene.access("alpha"), bearer, "", new byte[0]));
        left.add(new Case("the access at a past instant", scene.access("alpha") + "?at=" + Instant.now(), bearer));
        for (Case c : left) {
            String path = c.path().contains("?") ? c.path().substring(0, c.path().indexOf('?')) : c.path();
            assertThat(dispatched(c, null)).as(c.name()).containsExactly(c.method() + " " + path);
        }
    }

    /** The requests DispatcherServlet handled of this one sent with this {@code Accept}. */
    private static List<String> dispatched(Case c, String accept) {
        DISPATCHED.clear();
        raw(c, accept);
        // DispatcherServlet reports a request after answering it: wait for a later request's report, so a report of
        // the routed request, were it dispatched, would be in by then
        RawHttp.send(system.queryUrl(), "GET " + SENTINEL + " HTTP/1.1\r\n");
        Eventually.untilAsserted(() -> assertThat(DISPATCHED).contains("GET " + SENTINEL));
        List<String> handled = new ArrayList<>(DISPATCHED);
        assertThat(handled).endsWith("GET " + SENTINEL);
        return handled.subList(0, handled.size() - 1);
    }

    @Test
    void readingAServiceAccount_answersAsSpringMvcDoes_headerByHeader() {
        Scene scene = scene("account");
        String bearer = scene.bearer();
        String robot = scene.account(scene.robot().id());
        String accounts = scene.account("");
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("an admin reads it all", robot, bearer));
        cases.add(new Case("a deactivated account", scene.account(scene.deactivated()), bearer));
        cases.add(new Case("a deleted account", scene.account(scene.deleted()), bearer));
        cases.add(new Case("with reason and correlation", robot, bearer,
                "X-Audit-Reason: the twins\r\nX-Correlation-Id: twins-1\r\nUser-Agent: twin/1\r\n"));
        cases.add(new Case("a Range", robot, bearer, "Range: bytes=0-10\r\n"));
        cases.add(new Case("Content-Length 0", robot, bearer, "Content-Length: 0\r\n"));
        cases.add(new Case("Content-Type and no body", robot, bearer, "Content-Type: application/json\r\n"));
        cases.add(new Case("a project owner sees a summary", robot, "Bearer " + scene.owner().token()));
        cases.add(new Case("an owning account sees a summary", robot, "Bearer " + scene.ownerBot().token()));
        cases.add(new Case("a member may not", robot, "Bearer " + scene.member().token()));
        cases.add(new Case("an account that owns nothing may not", robot, "Bearer " + scene.otherBot().token()));
        cases.add(new Case("a scoped token may not", robot, "Bearer " + scene.scopedToken()));
        cases.add(new Case("another workspace's admin", robot, "Bearer " + scene.stranger().token()));
        cases.add(new Case("another workspace", "/v1/workspaces/" + scene.stranger().ws() + "/service-accounts/"
                + scene.robot().id(), bearer));
        cases.add(new Case("an unknown workspace", "/v1/workspaces/no-such-workspace/service-accounts/"
                + scene.robot().id(), bearer));
        cases.add(new Case("an unknown account", accounts + UUID.randomUUID(), bearer));
        cases.add(new Case("an account of another workspace", accounts
                + workspaces.serviceAccount(scene.stranger(), "stranger-bot").id(), bearer));
        cases.add(new Case("not an id", accounts + "not-an-id", bearer));
        cases.add(new Case("too long", accounts + "x".repeat(2_000), bearer));
        cases.add(new Case("percent-encoded", accounts + "%41" + scene.robot().id(), bearer));
        cases.add(new Case("percent-encoded to itself", accounts + scene.robot().id().replace("-", "%2D"), bearer));
        cases.add(new Case("non-ASCII, encoded", accounts + "%C3%A9t%C3%A9", bearer));
        cases.add(new Case("non-ASCII, raw", accounts + "\u00e9t\u00e9", bearer));
        cases.add(new Case("not UTF-8", accounts + "%C3%28", bearer));
        cases.add(new Case("an encoded slash", accounts + "a%2Fb", bearer));
        cases.add(new Case("an encoded backslash", accounts + "a%5Cb", bearer));
        cases.add(new Case("a matrix variable", robot + ";v=1", bearer));
        cases.add(new Case("a dot segment", accounts + "../service-accounts/" + scene.robot().id(), bearer));
        cases.add(new Case("an empty id", accounts, bearer));
        cases.add(new Case("the workspace percent-encoded", "/v1/workspaces/%" + hex(scene.admin().ws().charAt(0))
                + scene.admin().ws().substring(1) + "/service-accounts/" + scene.robot().id(), bearer));
        cases.add(new Case("a wrong token", robot, "Bearer svc_nothing-of-the-kind"));
        cases.add(new Case("not a bearer", robot, "Basic YWxpY2U6c2VjcmV0"));
        cases.add(new Case("no token", robot, null));
        // left to Spring MVC, compared all the same
        cases.add(new Case("text/html", robot, bearer, "Accept: text/html\r\n"));
        cases.add(new Case("at a past instant", robot + "?at=" + Instant.now(), bearer));
        cases.add(new Case("an unknown parameter", robot + "?colour=blue", bearer));
        cases.add(new Case("HEAD", "HEAD", robot, bearer, "", new byte[0]));
        cases.add(new Case("OPTIONS", "OPTIONS", robot, bearer, "", new byte[0]));
        cases.add(new Case("a body", "GET", robot, bearer, "Content-Type: application/json\r\n", body("{}")));
        cases.add(new Case("If-None-Match", robot, bearer, "If-None-Match: *\r\n"));
        cases.add(new Case("Accept-Language", robot, bearer, "Accept-Language: fr\r\n"));
        cases.add(new Case("Origin", robot, bearer, "Origin: https://elsewhere.example\r\n"));
        cases.add(new Case("a trailing slash", robot + "/", bearer));
        SoftAssertions twins = compareTwins(cases);
        twins.assertAll();
        assertThat(raw(cases.get(0), null)).startsWith("HTTP/1.1 200 ").contains("\"federationRules\":[{")
                .contains("\"projects\":[{").contains("\"tokens\":[{");
        assertThat(raw(cases.get(7), null)).startsWith("HTTP/1.1 200 ").doesNotContain("\"tokens\"");
    }

    @Test
    void readingAProjectsAccess_answersAsSpringMvcDoes_headerByHeader() {
        Scene scene = scene("access");
        String bearer = scene.bearer();
        String alpha = scene.access("alpha");
        String beta = scene.access("beta");
        api.createProject(scene.admin().ws(), scene.admin().token(), "gone", "private");
        api.deleteProject(scene.admin().ws(), scene.admin().token(), "gone");
        system.awaitProjectionsCaughtUp();
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("an admin reads a private project", alpha, bearer));
        cases.add(new Case("an admin reads a public project", beta, bearer));
        cases.add(new Case("with reason and correlation", alpha, bearer,
                "X-Audit-Reason: the twins\r\nX-Correlation-Id: twins-1\r\nUser-Agent: twin/1\r\n"));
        cases.add(new Case("the project's owner", alpha, "Bearer " + scene.owner().token()));
        cases.add(new Case("an assigned account", alpha, "Bearer " + scene.robot().token()));
        cases.add(new Case("a member reads a public project", beta, "Bearer " + scene.member().token()));
        cases.add(new Case("a member may not read a private one", alpha, "Bearer " + scene.member().token()));
        cases.add(new Case("an unassigned account", alpha, "Bearer " + scene.otherBot().token()));
        cases.add(new Case("a scoped token", alpha, "Bearer " + scene.scopedToken()));
        cases.add(new Case("a scoped token, another project", beta, "Bearer " + scene.scopedToken()));
        cases.add(new Case("another workspace's admin", alpha, "Bearer " + scene.stranger().token()));
        cases.add(new Case("another workspace", "/v1/workspaces/" + scene.stranger().ws() + "/projects/alpha/access",
                bearer));
        cases.add(new Case("an unknown workspace", "/v1/workspaces/no-such-workspace/projects/alpha/access",
                bearer));
        cases.add(new Case("an unknown project", scene.access("gamma"), bearer));
        cases.add(new Case("a deleted project", scene.access("gone"), bearer));
        cases.add(new Case("not a key", scene.access("ALPHA"), bearer));
        cases.add(new Case("too long", scene.access("k".repeat(2_000)), bearer));
        cases.add(new Case("non-ASCII, encoded", scene.access("%C3%A9t%C3%A9"), bearer));
        cases.add(new Case("non-ASCII, raw", scene.access("\u00e9t\u00e9"), bearer));
        cases.add(new Case("an encoded slash", scene.access("al%2Fpha"), bearer));
        cases.add(new Case("percent-encoded to itself", scene.access("%61lpha"), bearer));
        cases.add(new Case("a matrix variable", scene.access("alpha;v=1"), bearer));
        cases.add(new Case("an empty key", scene.access(""), bearer));
        cases.add(new Case("a wrong token", alpha, "Bearer svc_nothing-of-the-kind"));
        cases.add(new Case("no token", alpha, null));
        // left to Spring MVC, compared all the same
        cases.add(new Case("text/html", alpha, bearer, "Accept: text/html\r\n"));
        cases.add(new Case("at a past instant", alpha + "?at=" + Instant.now(), bearer));
        cases.add(new Case("an unknown parameter", alpha + "?colour=blue", bearer));
        cases.add(new Case("HEAD", "HEAD", alpha, bearer, "", new byte[0]));
        cases.add(new Case("a body", "GET", alpha, bearer, "Content-Type: application/json\r\n", body("{}")));
        cases.add(new Case("If-Modified-Since", alpha, bearer, "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n"));
        cases.add(new Case("Origin", alpha, bearer, "Origin: https://elsewhere.example\r\n"));
        SoftAssertions twins = compareTwins(cases);
        twins.assertAll();
        assertThat(raw(cases.get(0), null)).startsWith("HTTP/1.1 200 ").contains(scene.robot().id())
                .contains(scene.owner().id());
    }

    /**
     * The routes' answers are counted in the request metrics under the same series as Spring MVC's: the mapping's
     * path pattern as {@code uri}, the status, the outcome, no exception.
     */
    @Test
    void theRoutesAnswers_areCountedAsSpringMvcCountsThem() {
        Scene scene = scene("counted");
        String bearer = scene.bearer();
        List<Case> cases = List.of(
                new Case("a service account", scene.account(scene.robot().id()), bearer),
                new Case("an unknown account", scene.account(UUID.randomUUID().toString()), bearer),
                new Case("a member may not", scene.account(scene.robot().id()), "Bearer " + scene.member().token()),
                new Case("a project's access", scene.access("alpha"), bearer),
                new Case("an unknown project", scene.access("gamma"), bearer),
                new Case("a member may not read a private project", scene.access("alpha"),
                        "Bearer " + scene.member().token()));
        List<String> expected = List.of("200\",uri=\"" + SERVICE_ACCOUNT, "404\",uri=\"" + SERVICE_ACCOUNT,
                "403\",uri=\"" + SERVICE_ACCOUNT, "200\",uri=\"" + PROJECT_ACCESS, "404\",uri=\"" + PROJECT_ACCESS,
                "403\",uri=\"" + PROJECT_ACCESS);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Map<String, Double> routed = counted(c, "application/json");
            Map<String, Double> springMvc = counted(c, "application/json;q=1");
            assertThat(routed).as(c.name()).isEqualTo(springMvc).hasSize(1);
            assertThat(routed.keySet().iterator().next()).as(c.name()).contains("method=\"GET\"")
                    .contains("status=\"" + expected.get(i) + "\"");
            assertThat(routed.values()).as(c.name()).containsExactly(3.0);
        }
    }

    /** The request series of the query side whose count the request, sent three times, changed, with the change. */
    private static Map<String, Double> counted(Case c, String accept) {
        Map<String, Double> before = requestCounts();
        for (int i = 0; i < 3; i++) {
            raw(c, accept);
        }
        Map<String, Double> changes = new TreeMap<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        do {
            changes.clear();
            requestCounts().forEach((series, count) -> {
                double change = count - before.getOrDefault(series, 0.0);
                if (change != 0) {
                    changes.put(series, change);
                }
            });
        } while (changes.values().stream().mapToDouble(Double::doubleValue).sum() < 3 && System.nanoTime() < deadline);
        return changes;
    }

    /** {@code http_server_requests_seconds_count} of the query side by series, the API's paths only. */
    private static Map<String, Double> requestCounts() {
        String scrape = api.query("GET", "/actuator/prometheus").header("Accept", "text/plain").send().expect(200)
                .body();
        Map<String, Double> counts = new TreeMap<>();
        scrape.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")
                        && line.contains("uri=\"/v1/"))
                .forEach(line -> counts.put(line.substring(0, line.lastIndexOf(' ')),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))));
        return counts;
    }

    /** Each case with each {@code Accept} and its twin. */
    private static SoftAssertions compareTwins(List<Case> cases) {
        SoftAssertions twins = new SoftAssertions(); // every difference listed, not only the first
        for (Case c : cases) {
            for (Map.Entry<String, String> accept : TWINS.entrySet()) {
                String shortRoute = raw(c, accept.getKey());
                String springMvc = raw(c, accept.getValue());
                twins.assertThat(shortRoute).as(c.name() + ", Accept " + accept.getKey()).isEqualTo(springMvc);
            }
        }
        return twins;
    }

    private static String hex(char c) {
        return String.format("%02X", (int) c);
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The answer as it came, its request id and date left out. */
    private static String raw(Case c, String accept) {
        StringBuilder head = new StringBuilder(c.method() + " " + c.path() + " HTTP/1.1\r\n");
        if (c.authorization() != null) {
            head.append("Authorization: ").append(c.authorization()).append("\r\n");
        }
        if (accept != null && !c.extraHead().startsWith("Accept:")) {
            head.append("Accept: ").append(accept).append("\r\n");
        }
        head.append(c.extraHead());
        if (c.body().length > 0) {
            head.append("Content-Length: ").append(c.body().length).append("\r\n");
        }
        String answer = RawHttp.sendForText(system.queryUrl(), head.toString(), c.body());
        // an answer of Tomcat's, before the filters, has no request id
        Matcher requestId = Pattern.compile("(?md)^X-Request-Id: (\\S+)\r$").matcher(answer);
        if (requestId.find()) {
            answer = answer.replace(requestId.group(1), "<request id>");
        }
        return answer.replaceAll("(?md)^Date: .*\r$", "Date: <date>\r");
    }
}
