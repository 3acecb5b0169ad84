package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.TokenSecret;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token that was revoked (alone, by deactivation or by deletion) is refused by both sides on the very next
 * request after the revoking command returned: no waiting for the query side's projections. Hence no sleeps and
 * no polling here, except for expiry, which is a matter of the clock.
 */
class InstantRevocationIT {

    private static final String WS = "revocation";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("revocation");
    private static Api api;
    private static String admin;

    @BeforeAll
    static void setUp() {
        api = system.api();
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
    }

    @Test
    void revokedToken_isRefusedOnBothSidesAtOnce() {
        JsonNode sa = api.createServiceAccount(WS, admin, "revoke-once");
        String id = sa.path("id").asText();
        JsonNode token = api.issueToken(WS, admin, id);
        String secret = token.path("secret").asText();
        assertAccepted(secret);

        api.revokeToken(WS, admin, id, token.path("id").asText());

        Response query = Probe.querySide(api, WS, secret);
        Response command = Probe.commandSide(api, WS, secret);
        assertThat(query.status()).as("query side, next request").isEqualTo(401);
        assertThat(command.status()).as("command side, next request").isEqualTo(401);
        assertThat(query.header("WWW-Authenticate")).startsWith("Bearer");
        // the answer does not tell a revoked token from one that never existed
        String neverIssued = TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX);
        assertThat(query.detail()).isEqualTo(Probe.querySide(api, WS, neverIssued).detail());
        assertThat(command.detail()).isEqualTo(Probe.commandSide(api, WS, neverIssued).detail());
        // the account's other token is untouched
        assertAccepted(sa.path("token").path("secret").asText());
    }

    @Test
    void revokingTwentyTokensInARow_eachIsRefusedOnTheVeryNextRequest() {
        JsonNode sa = api.createServiceAccount(WS, admin, "revoke-many");
        String id = sa.path("id").asText();
        String keeper = sa.path("token").path("secret").asText();
        for (int i = 0; i < 20; i++) {
            JsonNode token = api.issueToken(WS, admin, id, Map.of("description", "round " + i));
            String secret = token.path("secret").asText();
            // warm: the token works on both sides right before
            assertThat(Probe.querySide(api, WS, secret).status()).as("round %d before, query side", i).isEqualTo(403);
            assertThat(Probe.commandSide(api, WS, secret).status()).as("round %d before, command side", i)
                    .isEqualTo(403);

            api.revokeToken(WS, admin, id, token.path("id").asText());

            // alternate which side is asked first, so neither is always given the extra time of the other
            if (i % 2 == 0) {
                assertThat(Probe.querySide(api, WS, secret).status()).as("round %d, query side first", i)
                        .isEqualTo(401);
                assertThat(Probe.commandSide(api, WS, secret).status()).as("round %d, command side", i).isEqualTo(401);
            } else {
                assertThat(Probe.commandSide(api, WS, secret).status()).as("round %d, command side first", i)
                        .isEqualTo(401);
                assertThat(Probe.querySide(api, WS, secret).status()).as("round %d, query side", i).isEqualTo(401);
            }
        }
        assertAccepted(keeper);
        // the read model catches up with all of it in the end
        Eventually.read(() -> api.listTokens(WS, admin, id), page -> {
            assertThat(Json.items(page)).hasSize(21);
            assertThat(Json.filter(Json.items(page), t -> t.path("status").asText().equals("revoked"))).hasSize(20);
        });
    }

    @Test
    void deactivation_refusesEveryTokenAtOnce_andReactivationKeepsThemDead() {
        JsonNode sa = api.createServiceAccount(WS, admin, "deactivate-me");
        String id = sa.path("id").asText();
        List<String> secrets = new ArrayList<>(List.of(sa.path("token").path("secret").asText()));
        for (int i = 0; i < 4; i++) {
            secrets.add(api.issueToken(WS, admin, id).path("secret").asText());
        }
        secrets.forEach(InstantRevocationIT::assertAccepted);

        api.deactivate(WS, admin, id);

        for (String secret : secrets) {
            assertRefused(secret);
        }

        JsonNode reactivated = api.reactivate(WS, admin, id);
        String fresh = reactivated.path("token").path("secret").asText();
        assertAccepted(fresh);
        for (String secret : secrets) {
            assertRefused(secret);
        }

        // deactivate again: the fresh token dies too, and reactivating once more does not revive it
        api.deactivate(WS, admin, id);
        assertRefused(fresh);
        String fresher = api.reactivate(WS, admin, id).path("token").path("secret").asText();
        assertRefused(fresh);
        assertAccepted(fresher);
    }

    @Test
    void deletion_refusesEveryTokenAtOnce() {
        JsonNode sa = api.createServiceAccount(WS, admin, "delete-me");
        String id = sa.path("id").asText();
        String first = sa.path("token").path("secret").asText();
        String second = api.issueToken(WS, admin, id).path("secret").asText();
        assertAccepted(first);
        assertAccepted(second);

        api.delete(WS, admin, id);

        assertRefused(first);
        assertRefused(second);
        // and a new account with the same name gets new tokens; the old ones stay dead
        String successor = api.createServiceAccount(WS, admin, "delete-me").path("token").path("secret").asText();
        assertAccepted(successor);
        assertRefused(first);
    }

    @Test
    void expiringToken_stopsWorkingOnBothSidesOnceItsTimeIsUp() {
        JsonNode sa = api.createServiceAccount(WS, admin, "short-lived");
        String id = sa.path("id").asText();
        Instant expiresAt = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        JsonNode token = api.issueToken(WS, admin, id, Map.of("expiresAt", expiresAt.toString()));
        String secret = token.path("secret").asText();
        assertThat(Instant.parse(token.path("expiresAt").asText())).isEqualTo(expiresAt);

        assertAcceptedWhileItLives(secret, expiresAt);
        Eventually.untilAsserted(Duration.ofSeconds(30), () -> {
            assertThat(Probe.querySide(api, WS, secret).status()).isEqualTo(401);
            assertThat(Probe.commandSide(api, WS, secret).status()).isEqualTo(401);
        });
        assertThat(Instant.now()).as("refused only once expired").isAfterOrEqualTo(expiresAt);
        assertAccepted(sa.path("token").path("secret").asText());

        // the read model shows it as expired, and it no longer counts as active
        Eventually.read(() -> api.getServiceAccount(WS, admin, id), account -> {
            assertThat(account.path("activeTokens").asInt()).isEqualTo(1);
            JsonNode expired =
                    Json.find(Json.list(account.path("tokens")), "id", token.path("id").asText()).orElseThrow();
            assertThat(expired.path("status").asText()).isEqualTo("expired");
        });
        // an expired token does not count towards the limit of five either
        for (int i = 0; i < 4; i++) {
            api.issueToken(WS, admin, id);
        }
        assertThat(api.command("POST", Api.tokens(WS, id)).token(admin).send().status()).isEqualTo(409);
    }

    private static void assertAccepted(String secret) {
        assertThat(Probe.querySide(api, WS, secret).status()).as("query side accepts the token").isEqualTo(403);
        assertThat(Probe.commandSide(api, WS, secret).status()).as("command side accepts the token").isEqualTo(403);
    }

    /** Accepted on both sides, but for an answer that comes only after the expiry (a loaded machine is slow). */
    private static void assertAcceptedWhileItLives(String secret, Instant expiresAt) {
        for (Supplier<Response> probe : List.<Supplier<Response>>of(() -> Probe.querySide(api, WS, secret),
                () -> Probe.commandSide(api, WS, secret))) {
            Response answer = probe.get();
            if (Instant.now().isBefore(expiresAt)) {
                assertThat(answer.status()).as("accepted before its expiry: " + answer).isEqualTo(403);
            }
        }
    }

    private static void assertRefused(String secret) {
        assertThat(Probe.querySide(api, WS, secret).status()).as("query side refuses the token").isEqualTo(401);
        assertThat(Probe.commandSide(api, WS, secret).status()).as("command side refuses the token").isEqualTo(401);
    }
}
