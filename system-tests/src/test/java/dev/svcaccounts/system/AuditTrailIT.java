package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static dev.svcaccounts.system.support.Api.tokens;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every change is in the workspace's audit trail with who made it (actor and the token used), from where
 * (client address, user agent), under which request id and why; the filters and the cursor return exactly the
 * entries they should.
 */
class AuditTrailIT {

    private static final String WS = "audited";
    private static final String USER_AGENT = "audit-trail-it/1.0 (system tests)";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("audit");
    private static Api api;
    private static String admin;
    private static String adminTokenId;
    private static String saId;
    private static String saToken;
    private static String firstTokenId;
    /** The account's token after its reactivation (the first one died with the deactivation). */
    private static String liveSaToken;
    private static String extraTokenId;
    private static String deleteMeId;
    private static final List<String> deleteMeTokenIds = new ArrayList<>();
    private static Instant started;
    /** The whole trail of the workspace once every change below was projected. */
    private static List<JsonNode> trail;

    @BeforeAll
    static void startSystemAndMakeHistory() {
        api = system.api();
        started = Instant.now().minusSeconds(1);

        JsonNode workspace = api.command("POST", "/v1/workspaces").token(api.operatorToken())
                .header("X-Request-Id", "req-ws").header("User-Agent", USER_AGENT)
                .header("X-Audit-Reason", "onboarding")
                .json(Map.of("id", WS, "name", "Audited", "admin", Map.of("username", "alice")))
                .send().expect(201).json();
        admin = workspace.path("token").path("secret").asText();
        adminTokenId = workspace.path("token").path("id").asText();

        JsonNode sa = change("POST", serviceAccounts(WS), Map.of("name", "ci", "description", "builds"),
                "req-create", "new pipeline").expect(201).json();
        saId = sa.path("id").asText();
        saToken = sa.path("token").path("secret").asText();
        firstTokenId = sa.path("token").path("id").asText();
        change("PATCH", serviceAccount(WS, saId), Map.of("name", "ci-pipeline"), "req-rename", "clearer name")
                .expect(200);
        extraTokenId = change("POST", tokens(WS, saId), Map.of("description", "deploy"), "req-issue", "deploy job")
                .expect(201).json().path("id").asText();
        change("DELETE", tokens(WS, saId) + "/" + extraTokenId, null, "req-revoke", "no longer needed").expect(204);
        change("POST", serviceAccount(WS, saId) + "/deactivate", Map.of("reason", "leaked in CI log"), "req-deactivate",
                "incident 42").expect(200);
        liveSaToken = change("POST", serviceAccount(WS, saId) + "/reactivate", null, "req-reactivate",
                "incident closed").expect(200).json().path("token").path("secret").asText();

        JsonNode deleteMe = api.createServiceAccount(WS, admin, "delete-me");
        deleteMeId = deleteMe.path("id").asText();
        deleteMeTokenIds.add(deleteMe.path("token").path("id").asText());
        deleteMeTokenIds.add(api.issueToken(WS, admin, deleteMeId).path("id").asText());
        change("DELETE", serviceAccount(WS, deleteMeId), null, "req-delete", "decommissioned").expect(204);

        // enough entries for several pages: 12 accounts more, each created and renamed (3 entries each)
        for (int i = 0; i < 12; i++) {
            String id = api.createServiceAccount(WS, admin, "bulk-" + i).path("id").asText();
            api.rename(WS, admin, id, "bulk-renamed-" + i);
        }
        // a second workspace, whose entries must never show up in the first one's trail
        String other = api.createWorkspace("elsewhere", "bob").path("token").path("secret").asText();
        api.createServiceAccount("elsewhere", other, "ci");

        system.awaitProjectionsCaughtUp();
        trail = page(Map.of("limit", "500"));
        assertThat(trail).as("the trail before any test").hasSizeGreaterThan(50);
    }

    private static Response change(String method, String path, Object body, String requestId, String reason) {
        Api.Request request = api.command(method, path).token(admin)
                .header("X-Request-Id", requestId).header("User-Agent", USER_AGENT).header("X-Audit-Reason", reason);
        if (body != null) {
            request.json(body);
        }
        return request.send();
    }

    // ------------------------------------------------------------------ content

    @Test
    void everyChange_isInTheTrail_withActorTokenRequestClientAndReason() {
        assertThat(byRequest("req-ws")).extracting(e -> e.path("type").asText())
                .containsExactly("workspace.created", "user.added", "token.issued");
        JsonNode created = byRequest("req-ws").get(0);
        assertThat(created.path("actor").path("type").asText()).isEqualTo("operator");
        assertThat(created.path("subject").path("type").asText()).isEqualTo("workspace");
        assertThat(created.path("subject").path("id").asText()).isEqualTo(WS);
        assertThat(created.path("reason").asText()).isEqualTo("onboarding");

        assertThat(byRequest("req-create")).extracting(e -> e.path("type").asText())
                .containsExactly("service_account.created", "token.issued");
        assertThat(byRequest("req-rename")).extracting(e -> e.path("type").asText())
                .containsExactly("service_account.updated");
        assertThat(byRequest("req-issue")).extracting(e -> e.path("type").asText())
                .containsExactly("token.issued");
        assertThat(byRequest("req-revoke")).extracting(e -> e.path("type").asText())
                .containsExactly("token.revoked");
        assertThat(byRequest("req-deactivate")).extracting(e -> e.path("type").asText())
                .containsExactly("service_account.deactivated", "token.revoked");
        assertThat(byRequest("req-reactivate")).extracting(e -> e.path("type").asText())
                .containsExactly("service_account.reactivated", "token.issued");
        assertThat(byRequest("req-delete")).extracting(e -> e.path("type").asText())
                .containsExactlyInAnyOrder("token.revoked", "token.revoked", "service_account.deleted");

        Map<String, String> reasons = Map.of("req-create", "new pipeline", "req-rename", "clearer name",
                "req-issue", "deploy job", "req-revoke", "no longer needed", "req-deactivate", "incident 42",
                "req-reactivate", "incident closed", "req-delete", "decommissioned");
        Instant now = Instant.now().plusSeconds(1);
        reasons.forEach((requestId, reason) -> assertThat(byRequest(requestId)).allSatisfy(entry -> {
            assertThat(entry.path("actor").path("type").asText()).as(requestId + " actor type").isEqualTo("user");
            assertThat(entry.path("actor").path("id").asText()).as(requestId + " actor id").isEqualTo("alice");
            assertThat(entry.path("actor").path("name").asText()).as(requestId + " actor name").isEqualTo("alice");
            assertThat(entry.path("tokenId").asText()).as(requestId + " token used").isEqualTo(adminTokenId);
            assertThat(entry.path("correlationId").asText()).as(requestId + " the client's id").isEqualTo(requestId);
            assertThat(UUID.fromString(entry.path("requestId").asText())).as(requestId + " our own id").isNotNull();
            assertThat(entry.path("clientIp").asText()).as(requestId + " client address").isEqualTo("127.0.0.1");
            assertThat(entry.path("userAgent").asText()).as(requestId + " user agent").isEqualTo(USER_AGENT);
            assertThat(entry.path("reason").asText()).as(requestId + " reason").isEqualTo(reason);
            assertThat(entry.path("eventId").asText()).as(requestId + " event id").isNotBlank();
            assertThat(Instant.parse(entry.path("occurredAt").asText())).as(requestId + " time")
                    .isBetween(started, now);
        }));

        // subjects and details
        JsonNode createdSa = byRequest("req-create").get(0);
        assertThat(createdSa.path("subject").path("type").asText()).isEqualTo("service_account");
        assertThat(createdSa.path("subject").path("id").asText()).isEqualTo(saId);
        assertThat(createdSa.path("details").path("name").asText()).isEqualTo("ci");
        JsonNode firstToken = byRequest("req-create").get(1);
        assertThat(firstToken.path("subject").path("id").asText()).isEqualTo(firstTokenId);
        assertThat(firstToken.path("details").toString()).contains(saId);

        JsonNode renamed = byRequest("req-rename").get(0);
        assertThat(renamed.path("subject").path("id").asText()).isEqualTo(saId);
        assertThat(renamed.path("details").path("name").path("before").asText()).isEqualTo("ci");
        assertThat(renamed.path("details").path("name").path("after").asText()).isEqualTo("ci-pipeline");
        assertThat(renamed.path("details").has("description")).as("an unchanged field is not reported as a change")
                .isFalse();

        JsonNode issued = byRequest("req-issue").get(0);
        assertThat(issued.path("subject").path("id").asText()).isEqualTo(extraTokenId);
        assertThat(issued.path("details").path("description").asText()).isEqualTo("deploy");
        JsonNode revoked = byRequest("req-revoke").get(0);
        assertThat(revoked.path("subject").path("id").asText()).isEqualTo(extraTokenId);

        JsonNode deactivated = byRequest("req-deactivate").get(0);
        assertThat(deactivated.path("details").path("reason").asText()).as("the reason given in the body")
                .isEqualTo("leaked in CI log");
        assertThat(byRequest("req-deactivate").get(1).path("subject").path("id").asText()).isEqualTo(firstTokenId);
        assertThat(byRequest("req-delete").stream().filter(e -> e.path("type").asText().equals("token.revoked"))
                .map(e -> e.path("subject").path("id").asText())).containsExactlyInAnyOrderElementsOf(deleteMeTokenIds);

        // every entry, whichever request made it, carries the essentials; no secret anywhere
        assertThat(trail).allSatisfy(entry -> {
            assertThat(entry.path("position").asLong()).isPositive();
            assertThat(entry.path("type").asText()).isNotBlank();
            assertThat(entry.path("subject").path("id").asText()).isNotBlank();
            assertThat(entry.path("actor").path("id").asText()).isNotBlank();
            assertThat(entry.path("requestId").asText()).isNotBlank();
            assertThat(entry.toString()).doesNotContain(admin, saToken, liveSaToken, "secretHash");
        });
        assertThat(Json.texts(trail, "eventId")).doesNotHaveDuplicates();
    }

    @Test
    void trail_isInPositionOrder_andHoldsOnlyThisWorkspace() {
        List<Long> positions = trail.stream().map(e -> e.path("position").asLong()).toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(trail).noneSatisfy(e -> assertThat(e.toString()).contains("bob"));
        Integer events = system.database().jdbc().queryForObject(
                "SELECT count(*) FROM command_side.domain_event_entry WHERE aggregate_identifier = ?",
                Integer.class, WS);
        assertThat(trail).as("one entry per event of the workspace").hasSize(events);
    }

    // ------------------------------------------------------------------ filters

    @Test
    void filters_actorSubjectTypeFromAndTo_returnExactlyTheMatchingEntries() {
        assertFilter(Map.of("actor", "alice"), e -> e.path("actor").path("id").asText().equals("alice"));
        assertFilter(Map.of("actor", "operator"), e -> e.path("actor").path("id").asText().equals("operator"));
        assertFilter(Map.of("subject", saId), e -> e.path("subject").path("id").asText().equals(saId));
        assertThat(page(Map.of("subject", saId))).extracting(e -> e.path("type").asText())
                .containsExactly("service_account.created", "service_account.updated",
                        "service_account.deactivated", "service_account.reactivated");
        assertFilter(Map.of("subject", extraTokenId), e -> e.path("subject").path("id").asText().equals(extraTokenId));
        assertFilter(Map.of("type", "token.revoked"), e -> e.path("type").asText().equals("token.revoked"));
        assertFilter(Map.of("type", "service_account.updated"),
                e -> e.path("type").asText().equals("service_account.updated"));
        assertFilter(Map.of("type", "token.issued", "actor", "alice"),
                e -> e.path("type").asText().equals("token.issued")
                        && e.path("actor").path("id").asText().equals("alice"));

        // time: from is inclusive, to exclusive; pick a boundary in the middle of the trail
        Instant middle = Instant.parse(trail.get(trail.size() / 2).path("occurredAt").asText());
        assertFilter(Map.of("from", middle.toString()), e -> !occurredAt(e).isBefore(middle));
        assertFilter(Map.of("to", middle.toString()), e -> occurredAt(e).isBefore(middle));
        Instant first = occurredAt(trail.get(0));
        Instant later = middle.plusMillis(1);
        assertFilter(Map.of("from", first.toString(), "to", later.toString()),
                e -> !occurredAt(e).isBefore(first) && occurredAt(e).isBefore(later));
        assertThat(page(Map.of("from", middle.toString()))).isNotEmpty();
        assertThat(page(Map.of("to", middle.toString()))).isNotEmpty();

        assertThat(page(Map.of("actor", "nobody"))).isEmpty();
        assertThat(page(Map.of("from", Instant.now().plus(1, ChronoUnit.DAYS).toString()))).isEmpty();
    }

    // ------------------------------------------------------------------ cursor

    @Test
    void cursorPaging_returnsEveryEntryExactlyOnce_inPositionOrder() {
        assertPagingMatches(Map.of(), 7);
        assertPagingMatches(Map.of(), 1);
        assertPagingMatches(Map.of("type", "token.issued"), 2);
        assertPagingMatches(Map.of("actor", "alice"), 10);
        // a page size that divides the trail exactly still ends
        assertPagingMatches(Map.of(), trail.size() / 2);
        assertPagingMatches(Map.of(), trail.size());

        JsonNode defaultPage = api.audit(WS, admin, Map.of()).expect(200).json();
        assertThat(Json.items(defaultPage)).as("default limit").hasSize(Math.min(50, trail.size()));
    }

    @Test
    void cursorPaging_seesEntriesAddedBetweenPages() {
        String ws = "live-paging"; // a workspace of its own: the shared trail above must not change
        String liveAdmin = api.createWorkspace(ws, "dana").path("token").path("secret").asText();
        for (int i = 0; i < 10; i++) {
            api.createServiceAccount(ws, liveAdmin, "early-" + i);
        }
        system.awaitProjectionsCaughtUp();
        int before = Json.items(api.audit(ws, liveAdmin, Map.of("limit", "500")).expect(200).json()).size();

        List<JsonNode> seen = new ArrayList<>();
        JsonNode first = api.audit(ws, liveAdmin, Map.of("limit", "8")).expect(200).json();
        seen.addAll(Json.items(first));
        String next = Json.text(first, "next");
        assertThat(next).isNotNull();

        // new changes while the client is paging
        String id = api.createServiceAccount(ws, liveAdmin, "late-arrival").path("id").asText();
        system.awaitProjectionsCaughtUp();

        while (next != null) {
            JsonNode page = api.audit(ws, liveAdmin, Map.of("limit", "8", "after", next)).expect(200).json();
            seen.addAll(Json.items(page));
            next = Json.text(page, "next");
        }
        assertThat(seen.stream().map(e -> e.path("position").asLong()).toList()).isSorted().doesNotHaveDuplicates();
        assertThat(seen).anySatisfy(e -> assertThat(e.path("subject").path("id").asText()).isEqualTo(id));
        assertThat(seen).as("entries before, plus the new account and its token").hasSize(before + 2);
    }

    // ------------------------------------------------------------------ who may read it

    @Test
    void onlyTheWorkspacesAdmins_readItsTrail() {
        Response bySa = api.audit(WS, liveSaToken, Map.of());
        assertThat(bySa.status()).isEqualTo(403);
        assertThat(bySa.detail()).containsIgnoringCase("admin");
        String otherAdmin = api.createWorkspace("nosy", "eve").path("token").path("secret").asText();
        assertThat(api.audit(WS, otherAdmin, Map.of()).status()).isEqualTo(404);
        assertThat(api.query("GET", Api.audit(WS)).send().status()).isEqualTo(401);
        assertThat(api.audit(WS, api.operatorToken(), Map.of()).status()).as("the operator is no workspace admin")
                .isIn(403, 404);
    }

    // ------------------------------------------------------------------ helpers

    private static List<JsonNode> byRequest(String requestId) {
        return trail.stream().filter(e -> requestId.equals(e.path("correlationId").asText())).toList();
    }

    private static Instant occurredAt(JsonNode entry) {
        return Instant.parse(entry.path("occurredAt").asText());
    }

    /** One page (no cursor) with these filters; fails unless it is 200. */
    private static List<JsonNode> page(Map<String, String> filters) {
        Map<String, String> params = new LinkedHashMap<>(filters);
        params.putIfAbsent("limit", "500");
        JsonNode body = api.audit(WS, admin, params).expect(200).json();
        List<JsonNode> items = Json.items(body);
        assertThat(items.size()).as("a single page holds everything here").isLessThan(500);
        return items;
    }

    /** The server's filtering gives exactly what filtering the whole trail by {@code expected} gives. */
    private static void assertFilter(Map<String, String> filters, Predicate<JsonNode> expected) {
        List<Long> wanted = trail.stream().filter(expected).map(e -> e.path("position").asLong()).toList();
        assertThat(wanted).as("filter %s selects something in this test's data", filters).isNotEmpty();
        assertThat(page(filters).stream().map(e -> e.path("position").asLong()).toList())
                .as("positions returned for %s", filters).isEqualTo(wanted);
    }

    @Test
    void badFiltersAndCursors_are400ProblemsNamingTheParameter() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("type", "service_account.renamed");
        cases.put("from", "yesterday");
        cases.put("to", "2026-01-01");
        cases.put("after", "abc");
        cases.put("limit", "501");
        cases.forEach((parameter, value) -> {
            Response response = api.audit(WS, admin, Map.of(parameter, value));
            assertThat(response.status()).as(parameter + "=" + value).isEqualTo(400);
            assertThat(response.isProblem()).isTrue();
            assertThat(response.detail()).as(parameter + "=" + value).contains(parameter);
        });
        assertThat(api.audit(WS, admin, Map.of("limit", "abc")).status()).isEqualTo(400);
        for (String filter : List.of("actor", "subject", "project")) {
            Response nul = api.audit(WS, admin, Map.of(filter, "a\u0000b"));
            assertThat(nul.status()).as(filter + " with a NUL character: " + nul).isEqualTo(400);
            assertThat(nul.isProblem()).isTrue();
        }
    }

    private static void assertPagingMatches(Map<String, String> filters, int limit) {
        List<JsonNode> all = page(filters);
        List<JsonNode> paged = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String after = null;
        int pages = 0;
        do {
            Map<String, String> params = new LinkedHashMap<>(filters);
            params.put("limit", Integer.toString(limit));
            if (after != null) {
                params.put("after", after);
            }
            JsonNode body = api.audit(WS, admin, params).expect(200).json();
            List<JsonNode> items = Json.items(body);
            assertThat(items.size()).as("page size with limit %d", limit).isLessThanOrEqualTo(limit);
            paged.addAll(items);
            after = Json.text(body, "next");
            assertThat(after == null || cursors.add(after)).as("cursor %s repeats", after).isTrue();
            assertThat(++pages).as("pages for %d entries at %d a page", all.size(), limit)
                    .isLessThanOrEqualTo(all.size() / limit + 2);
        } while (after != null);
        assertThat(paged.stream().map(e -> e.path("position").asLong()).toList())
                .as("paged positions for %s, limit %d", filters, limit)
                .isEqualTo(all.stream().map(e -> e.path("position").asLong()).toList());
        assertThat(paged).isEqualTo(all);
    }
}
