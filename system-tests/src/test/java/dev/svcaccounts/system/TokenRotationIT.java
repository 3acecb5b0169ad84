package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation with overlap over HTTP: the successor shown once with the old token's description and lifetime, both
 * working on both sides during the overlap, only the successor after it (the old one refused as {@code token-rotated}
 * and that refusal audited), the trail and the token views linking them; the refusals; Idempotency-Key as for issuing.
 * The system tests have no controllable clock: overlaps here are a few seconds, and the tests wait them out.
 */
class TokenRotationIT {

    private static final String WS = "rotation";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("token-rotation");
    private static Api api;
    private static String admin;
    private static String bob;

    @BeforeAll
    static void setUp() {
        api = system.api();
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
        bob = api.addMember(WS, admin, "bob", "member").path("token").path("secret").asText();
    }

    private static String rotatePath(String ownerPath, String tokenId) {
        return ownerPath + "/tokens/" + tokenId + "/rotate";
    }

    private static Response rotate(String ownerPath, String tokenId, String token, Object body) {
        return api.command("POST", rotatePath(ownerPath, tokenId)).token(token).json(body).send();
    }

    @Test
    void bothTokensWorkDuringTheOverlap_onlyTheSuccessorAfterIt_andTheTrailLinksThem() throws InterruptedException {
        String id = api.createServiceAccount(WS, admin, "rotate-me").path("id").asText();
        Instant expiry = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        JsonNode old = api.issueToken(WS, admin, id, Map.of("description", "nightly", "expiresAt", expiry.toString()));
        String oldId = old.path("id").asText();
        String oldSecret = old.path("secret").asText();

        Instant before = Instant.now();
        Response rotated = rotate(Api.serviceAccount(WS, id), oldId, admin, Map.of("overlapSeconds", 4));
        Instant after = Instant.now();

        rotated.expect(201);
        JsonNode successor = rotated.json();
        String newId = successor.path("id").asText();
        String newSecret = successor.path("secret").asText();
        assertThat(newSecret).startsWith("svcacct_");
        assertThat(newId).isNotEqualTo(oldId);
        assertThat(successor.path("rotatedFrom").asText()).isEqualTo(oldId);
        assertThat(successor.path("description").asText()).as("copied").isEqualTo("nightly");
        assertThat(successor.path("scope").isNull()).as("full access, as the old one").isTrue();
        Instant overlapEnd = Instant.parse(successor.path("rotatedFromExpiresAt").asText());
        assertThat(overlapEnd).isBetween(before.plusSeconds(4).minusMillis(1), after.plusSeconds(4).plusMillis(1));

        // during the overlap both work, on both sides (403: a service account reading the account list)
        assertThat(Probe.querySide(api, WS, oldSecret).status()).isEqualTo(403);
        assertThat(Probe.commandSide(api, WS, oldSecret).status()).isEqualTo(403);
        assertThat(Probe.querySide(api, WS, newSecret).status()).isEqualTo(403);
        assertThat(Probe.commandSide(api, WS, newSecret).status()).isEqualTo(403);

        // the successor keeps the old token's lifetime (30 days), counted from the rotation
        JsonNode views = Eventually.read(() -> api.listTokens(WS, admin, id),
                page -> assertThat(Json.findById(page, newId)).isPresent());
        JsonNode oldView = Json.findById(views, oldId).orElseThrow();
        JsonNode newView = Json.findById(views, newId).orElseThrow();
        Duration oldLifetime = Duration.between(Instant.parse(oldView.path("createdAt").asText()), expiry);
        Instant newExpiry = Instant.parse(successor.path("expiresAt").asText());
        // counted from the instant the rotation was decided, a millisecond or so before its event's time
        Duration newLifetime = Duration.between(Instant.parse(newView.path("createdAt").asText()), newExpiry);
        assertThat(newLifetime.minus(oldLifetime).abs()).isLessThan(Duration.ofSeconds(1));
        // whole milliseconds (RotationRules), so up to one below what the test's clock read before the request
        assertThat(newExpiry).isBetween(before.plus(oldLifetime).minusMillis(1), after.plus(oldLifetime));
        assertThat(newView.path("rotatedFrom").asText()).isEqualTo(oldId);
        assertThat(oldView.path("rotatedTo").asText()).isEqualTo(newId);
        assertThat(Instant.parse(oldView.path("expiresAt").asText())).as("brought forward").isEqualTo(overlapEnd);

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), overlapEnd).toMillis()) + 200);

        Response queryAfter = Probe.querySide(api, WS, oldSecret);
        assertThat(queryAfter.status()).as("old token after the overlap, query side").isEqualTo(401);
        assertThat(Probe.commandSide(api, WS, oldSecret).status()).as("command side").isEqualTo(401);
        assertThat(Probe.querySide(api, WS, newSecret).status()).as("the successor works on").isEqualTo(403);
        assertThat(Probe.commandSide(api, WS, newSecret).status()).isEqualTo(403);

        Eventually.read(() -> api.audit(WS, admin, Map.of("subject", newId, "type", "token.issued")), page ->
                assertThat(Json.items(page)).singleElement().satisfies(entry ->
                        assertThat(entry.path("details").path("rotatedFrom").asText()).isEqualTo(oldId)));
        Eventually.read(() -> api.audit(WS, admin, Map.of("subject", oldId, "type", "token.expiry_shortened")),
                page -> assertThat(Json.items(page)).singleElement().satisfies(entry -> {
                    assertThat(entry.path("details").path("cause").asText()).isEqualTo("rotated");
                    assertThat(entry.path("actor").path("id").asText()).isEqualTo("alice");
                }));
        // its 403s during the overlap were its own; its 401s after it, on both sides, are refusals as rotated
        Eventually.read(() -> api.audit(WS, admin, Map.of("token", oldId, "type", "access.refused")), page ->
                assertThat(Json.filter(Json.items(page), entry -> entry.path("details").path("status").asInt() == 401))
                        .hasSize(2).allSatisfy(entry ->
                                assertThat(entry.path("details").path("rule").asText()).isEqualTo("token-rotated")));

        // ?at= shows the same links as the live view
        String now = Instant.now().toString();
        Eventually.read(() -> api.query("GET", Api.serviceAccount(WS, id)).token(admin).param("at", now).send(),
                account -> {
                    JsonNode at = Json.find(Json.list(account.path("tokens")), "id", newId).orElseThrow();
                    assertThat(at.path("rotatedFrom").asText()).isEqualTo(oldId);
                    JsonNode oldAt = Json.find(Json.list(account.path("tokens")), "id", oldId).orElseThrow();
                    assertThat(oldAt.path("rotatedTo").asText()).isEqualTo(newId);
                });
    }

    @Test
    void aUserRotatesItsOwnToken_onceOnly_andARetryWithItsKeyNeverShowsTheSecretAgain() {
        JsonNode issued = api.issueMemberToken(WS, bob, "bob");
        String tokenId = issued.path("id").asText();
        String key = UUID.randomUUID().toString();

        Response first = api.command("POST", rotatePath(Api.member(WS, "bob"), tokenId)).token(bob)
                .header("Idempotency-Key", key).json(Map.of("overlapSeconds", 3600)).send();
        first.expect(201);
        assertThat(first.json().path("secret").asText()).startsWith("usrtok_");
        String successor = first.json().path("id").asText();

        Response retry = api.command("POST", rotatePath(Api.member(WS, "bob"), tokenId)).token(bob)
                .header("Idempotency-Key", key).json(Map.of("overlapSeconds", 3600)).send();
        retry.expectProblem(409, "idempotent-replay-of-secret");
        assertThat(retry.json().path("tokenId").asText()).isEqualTo(successor);
        assertThat(retry.body()).doesNotContain(first.json().path("secret").asText());

        rotate(Api.member(WS, "bob"), tokenId, bob, Map.of("overlapSeconds", 60))
                .expectProblem(409, "token-already-rotated");
        // an admin rotates the successor; bob cannot rotate another user's token, nor a service account's
        rotate(Api.member(WS, "bob"), successor, admin, Map.of("overlapSeconds", 60)).expect(201);
        String aliceToken = api.issueMemberToken(WS, admin, "alice").path("id").asText();
        rotate(Api.member(WS, "alice"), aliceToken, bob, Map.of("overlapSeconds", 60))
                .expectProblem(403, "token-owner-or-admin-required");
        JsonNode sa = api.createServiceAccount(WS, admin, "not-bobs");
        rotate(Api.serviceAccount(WS, sa.path("id").asText()), sa.path("token").path("id").asText(), bob,
                Map.of("overlapSeconds", 60)).expectProblem(403, "workspace-admin-required");
    }

    @Test
    void refusals_nameTheRule_andChangeNothing() {
        JsonNode sa = api.createServiceAccount(WS, admin, "refusals");
        String id = sa.path("id").asText();
        String path = Api.serviceAccount(WS, id);
        String tokenId = sa.path("token").path("id").asText();

        rotate(path, tokenId, admin, Map.of("overlapSeconds", 86_401)).expectProblem(400, "overlap-out-of-range");
        rotate(path, tokenId, admin, Map.of("overlapSeconds", -1)).expectProblem(400, "overlap-out-of-range");
        rotate(path, tokenId, admin, Map.of()).expectProblem(400, "invalid-field");
        rotate(path, tokenId, admin, Map.of("overlapSeconds", 60, "description", "x"))
                .expectProblem(400, "malformed-request");
        rotate(path, "no-such-token", admin, Map.of("overlapSeconds", 60)).expectProblem(404, "token-not-found");
        rotate(Api.serviceAccount(WS, Probe.NO_SUCH_ACCOUNT), tokenId, admin, Map.of("overlapSeconds", 60))
                .expectProblem(404, "service-account-not-found");

        JsonNode revoked = api.issueToken(WS, admin, id);
        api.revokeToken(WS, admin, id, revoked.path("id").asText());
        rotate(path, revoked.path("id").asText(), admin, Map.of("overlapSeconds", 60))
                .expectProblem(409, "token-already-revoked");

        assertThat(Probe.querySide(api, WS, sa.path("token").path("secret").asText()).status())
                .as("the token refused a rotation still works").isEqualTo(403);
        Eventually.read(() -> api.audit(WS, admin, Map.of("subject", tokenId)), page ->
                assertThat(Json.texts(Json.items(page), "type")).containsExactly("token.issued"));
    }

    @Test
    void aRotation_isNotRefusedAtTheActiveTokenLimit() {
        JsonNode sa = api.createServiceAccount(WS, admin, "full-house");
        String id = sa.path("id").asText();
        for (int i = 0; i < 4; i++) {
            api.issueToken(WS, admin, id);
        }
        api.command("POST", Api.tokens(WS, id)).token(admin).send().expectProblem(409, "token-limit-reached");

        rotate(Api.serviceAccount(WS, id), sa.path("token").path("id").asText(), admin,
                Map.of("overlapSeconds", 600)).expect(201);
    }
}
