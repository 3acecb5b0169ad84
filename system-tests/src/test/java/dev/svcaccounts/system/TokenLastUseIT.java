package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.credentials.TokenUsageRecorder;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;

import static dev.svcaccounts.system.support.Api.serviceAccount;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Last use on the token views ({@code GET .../service-accounts/{id}/tokens}, the account's detail,
 * {@code GET .../members/{username}/tokens}), over HTTP: a token used on either side shows when and from where once
 * the node that served the use has flushed it (the tests flush by hand rather than wait for the interval); a token
 * never used says so; the account's detail, which has an {@code ?at=} form, leaves last use out (not event-sourced,
 * it has no past).
 */
class TokenLastUseIT {

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("token-last-use");
    private static Api api;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
    }

    @Test
    void serviceAccountTokens_showTheirLastUseOnceFlushed_andAnUnusedOneNeverUsed() {
        Principal admin = workspaces.fresh("sa-last-use");
        String ws = admin.ws();
        Principal ci = workspaces.serviceAccount(admin, "ci");
        String unused = api.issueToken(ws, admin.token(), ci.id()).path("id").asText();
        system.awaitProjectionsCaughtUp();
        String before = Instant.now().toString();

        Instant from = Instant.now();
        api.me(ci.token()).expect(200);
        Instant to = Instant.now();
        flushBothSides();

        List<JsonNode> items = Json.items(api.listTokens(ws, admin.token(), ci.id()).expect(200).json());
        assertUsed(find(items, ci.tokenId()), from, to);
        assertNeverUsed(find(items, unused));

        // the account's detail, now and at an earlier instant, is the same answer for the same moment: last use, not
        // being an event, has no past, so neither lists it
        JsonNode now = api.getServiceAccount(ws, admin.token(), ci.id()).expect(200).json();
        JsonNode then = api.query("GET", serviceAccount(ws, ci.id())).param("at", before).token(admin.token()).send()
                .expect(200).json();
        for (JsonNode detail : List.of(now, then)) {
            assertThat(Json.list(detail.path("tokens"))).hasSize(2).allSatisfy(token -> assertThat(token.has("id")
                    && !token.has("lastUsedAt") && !token.has("lastUsedIp") && !token.has("neverUsed"))
                    .as(token.toString()).isTrue());
        }
    }

    @Test
    void userTokens_showTheirLastUseFromTheCommandSide_toTheUserAndToAdmins() {
        Principal admin = workspaces.fresh("user-last-use");
        String ws = admin.ws();
        Principal bob = workspaces.user(admin, "bob", "member");
        String unused = api.issueMemberToken(ws, admin.token(), bob.id()).path("id").asText();
        system.awaitProjectionsCaughtUp();

        Instant from = Instant.now();
        api.createProject(ws, bob.token(), "notebook", "private");
        flushBothSides();

        // bob reading his own tokens is a use too (noted, maybe flushed meanwhile): the last use lies in between
        for (String reader : List.of(admin.token(), bob.token())) {
            List<JsonNode> items = Json.items(api.query("GET", Api.memberTokens(ws, bob.id())).token(reader).send()
                    .expect(200).json());
            assertUsed(find(items, bob.tokenId()), from, Instant.now());
            assertNeverUsed(find(items, unused));
        }
    }

    private static void assertUsed(JsonNode token, Instant from, Instant to) {
        assertThat(Instant.parse(token.path("lastUsedAt").asText())).as(token.toString())
                .isBetween(from.minusSeconds(1), to.plusSeconds(1));
        assertThat(token.path("lastUsedIp").asText()).as(token.toString()).isEqualTo("127.0.0.1");
        assertThat(token.path("neverUsed").asBoolean()).as(token.toString()).isFalse();
    }

    private static void assertNeverUsed(JsonNode token) {
        assertThat(token.path("lastUsedAt").isNull()).as(token.toString()).isTrue();
        assertThat(token.path("lastUsedIp").isNull()).as(token.toString()).isTrue();
        assertThat(token.path("neverUsed").asBoolean()).as(token.toString()).isTrue();
    }

    private static JsonNode find(List<JsonNode> tokens, String id) {
        return Json.find(tokens, "id", id).orElseThrow(() -> new AssertionError("no token " + id + " in " + tokens));
    }

    private static void flushBothSides() {
        system.querySide().getBean(TokenUsageRecorder.class).flush();
        system.commandSide().getBean(TokenUsageRecorder.class).flush();
    }
}
