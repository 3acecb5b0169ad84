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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The race of issue 12: many writes with one token in flight when that token stops working (revoked, its account
 * deactivated or deleted, its user removed). Whatever the workspace decides after the token's end is refused with
 * 401 and the rule, and recorded as {@code access.refused}: no event made with the token follows its revocation in
 * the workspace's event stream. A race, so each kind is run for several rounds, the end coming at a different moment
 * of the burst in each.
 */
class RevocationRaceIT {

    private static final int WRITERS = 16;
    /** Milliseconds between releasing the writers and sending the request that ends their token, per round. */
    private static final int[] DELAYS_MS = {10, 25, 40, 50, 60, 75};
    /** RefusalRecorder records at most this many refusals a minute per token. */
    private static final int RECORDED_PER_TOKEN = 10;

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("revocation_race");
    private static Api api;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    @Test
    void aRevokedToken_commitsNothingAfterItsRevocation() throws Exception {
        race("revoke", "token-revoked", (admin, writer) -> api.revokeToken(admin.ws(), admin.token(), writer.id(),
                writer.tokenId()));
    }

    @Test
    void aDeactivatedAccountsToken_commitsNothingAfterTheDeactivation() throws Exception {
        race("deactivate", "account-deactivated",
                (admin, writer) -> api.deactivate(admin.ws(), admin.token(), writer.id()));
    }

    @Test
    void aDeletedAccountsToken_commitsNothingAfterTheDeletion() throws Exception {
        race("delete", "account-deleted", (admin, writer) -> api.delete(admin.ws(), admin.token(), writer.id()));
    }

    @Test
    void aRemovedMembersToken_commitsNothingAfterTheRemoval() throws Exception {
        race("remove", "member-removed", (admin, writer) -> api.removeMember(admin.ws(), admin.token(), writer.id()));
    }

    /** One round per delay, each in a workspace of its own; then every round's stream and trail are checked. */
    private void race(String kind, String rule, BiConsumer<Principal, Principal> end) throws Exception {
        List<String> violations = new ArrayList<>();
        int refusedByTheWorkspace = 0;
        for (int delay : DELAYS_MS) {
            Principal admin = workspaces.fresh(kind);
            Principal writer = kind.equals("remove") ? workspaces.user(admin, "writer", "member")
                    : workspaces.serviceAccount(admin, "writer");
            List<Response> responses = writeWhileEnding(writer, delay, () -> end.accept(admin, writer));

            List<Response> unexpected = responses.stream().filter(r -> r.status() != 201 && r.status() != 401).toList();
            assertThat(unexpected).as("%s after %d ms: every write is 201 or 401", kind, delay).isEmpty();
            List<Response> refused = responses.stream().filter(r -> r.status() == 401).toList();
            assertThat(refused).as("%s after %d ms: each refusal a 401 problem with WWW-Authenticate", kind, delay)
                    .allSatisfy(r -> {
                        assertThat(r.isProblem()).isTrue();
                        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
                        // the workspace names the rule; the authentication filter answers alike for every bad token
                        assertThat(r.problemCode()).isIn(rule, "unauthenticated");
                    });
            refusedByTheWorkspace += (int) refused.stream().filter(r -> r.problemCode().equals(rule)).count();

            violations.addAll(eventsAfterTheEnd(admin.ws(), writer.tokenId(), kind, delay));
            assertThat(projectsCreatedWith(admin.ws(), writer.tokenId()))
                    .as("%s after %d ms: one project.created per 201, nothing half-done", kind, delay)
                    .isEqualTo(responses.size() - refused.size());
            assertRefusalsRecorded(admin, writer, rule, refused);
        }
        System.out.printf("%s race: %d refused by the workspace itself over %d rounds%n", kind, refusedByTheWorkspace,
                DELAYS_MS.length);
        assertThat(violations).as("events made with a token after its end, in the workspace's stream").isEmpty();
    }

    /** {@value #WRITERS} project creations released together, and {@code end} sent {@code delayMs} later. */
    private static List<Response> writeWhileEnding(Principal writer, int delayMs, Runnable end) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                Api.Request request = api.command("POST", Api.projects(writer.ws())).token(writer.token())
                        .header("X-Request-Id", writer.ws() + "-write-" + i)
                        .json(Map.of("key", "p-" + i, "name", "Project " + i));
                futures.add(pool.submit(() -> {
                    go.await();
                    return request.send();
                }));
            }
            go.countDown();
            Thread.sleep(delayMs);
            end.run();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get(60, TimeUnit.SECONDS));
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Events of the workspace's stream made with the token after the event that revoked it. */
    private static List<String> eventsAfterTheEnd(String ws, String tokenId, String kind, int delay) {
        List<Map<String, Object>> stream = system.database().jdbc().queryForList("""
                SELECT sequence_number, payload_type, convert_from(payload, 'UTF8') AS payload,
                       convert_from(meta_data, 'UTF8') AS meta_data
                  FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ?
                 ORDER BY sequence_number
                """, ws);
        List<String> found = new ArrayList<>();
        Long revokedAt = null;
        for (Map<String, Object> event : stream) {
            String type = (String) event.get("payload_type");
            JsonNode payload = json((String) event.get("payload"));
            JsonNode metaData = json((String) event.get("meta_data"));
            long sequence = ((Number) event.get("sequence_number")).longValue();
            boolean itsRevocation = type.endsWith("TokenRevokedEvent")
                    && tokenId.equals(payload.path("tokenId").asText());
            if (revokedAt == null && itsRevocation) {
                revokedAt = sequence;
            } else if (revokedAt != null && tokenId.equals(metaData.path("actorTokenId").asText(null))) {
                found.add(kind + " after " + delay + " ms: " + type + " #" + sequence + " made with token " + tokenId
                        + " after its revocation #" + revokedAt);
            }
        }
        assertThat(revokedAt).as("%s after %d ms: the token's revocation is in the stream", kind, delay).isNotNull();
        return found;
    }

    private static int projectsCreatedWith(String ws, String tokenId) {
        Integer count = system.database().jdbc().queryForObject("""
                SELECT count(*) FROM command_side.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type LIKE '%ProjectCreatedEvent'
                   AND convert_from(meta_data, 'UTF8')::jsonb ->> 'actorTokenId' = ?
                """, Integer.class, ws, tokenId);
        return count == null ? 0 : count;
    }

    /** Each refusal is in the trail as access.refused with the rule, up to the recorder's cap per token. */
    private static void assertRefusalsRecorded(Principal admin, Principal writer, String rule, List<Response> refused) {
        // the request id the problem names is the one recorded with the refusal
        Set<String> refusedRequests = refused.stream().map(r -> r.json().path("requestId").asText())
                .collect(Collectors.toSet());
        int expected = Math.min(refused.size(), RECORDED_PER_TOKEN);
        Eventually.untilAsserted(() -> {
            List<JsonNode> entries = Json.items(api.audit(admin.ws(), admin.token(),
                    Map.of("token", writer.tokenId(), "type", "access.refused", "limit", "500")).expect(200).json());
            List<JsonNode> ofTheRace = Json.filter(entries,
                    e -> refusedRequests.contains(e.path("requestId").asText()));
            assertThat(ofTheRace).hasSize(expected);
            assertThat(ofTheRace).allSatisfy(e -> {
                assertThat(e.path("details").path("rule").asText()).isEqualTo(rule);
                assertThat(e.path("details").path("status").asInt()).isEqualTo(401);
                assertThat(e.path("actor").path("id").asText()).isEqualTo(writer.id());
            });
        });
    }

    private static JsonNode json(String text) {
        try {
            return text == null ? Api.JSON.missingNode() : Api.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("unreadable JSON in the event store: " + text, e);
        }
    }
}
