package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.svcaccounts.command.federation.ExchangeTokenCommand;
import dev.svcaccounts.command.federation.VerifiedJwt;
import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Histories;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.svcaccounts.system.support.Api.federationRules;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service account's federation rules over HTTP on real PostgreSQL (issue 16, item 1): added by admins with the
 * issuer's keys at a URL or inline, every malformed rule refused naming its field, listed in the account's detail
 * and at an instant, deleted, in the audit trail, and rebuilt alike by a replay. Exchanging JWTs by them is
 * {@code TokenExchangeIT}'s.
 */
class FederationRulesIT {

    private static final String GITHUB = "https://token.actions.githubusercontent.com";
    private static final String SUBJECT = "repo:acme/train:ref:refs/heads/main";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("federation-rules");
    private static Api api;
    private static Workspaces workspaces;
    private static RSAKey rsa;
    private static ECKey ec;

    @BeforeAll
    static void setUp() throws Exception {
        api = system.api();
        workspaces = new Workspaces(api);
        rsa = new RSAKeyGenerator(2048).keyID("rsa-2026").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-2026").generate();
    }

    private static Map<String, Object> byUri(String subject) {
        return Map.of("issuer", GITHUB, "jwksUri", GITHUB + "/.well-known/jwks", "audience", "https://github.com/acme",
                "subject", subject);
    }

    private static Map<String, Object> inline(String subject, Object jwks) {
        return Map.of("issuer", "https://ci.acme.example", "jwks", jwks, "audience", "svcaccounts", "subject",
                subject, "claims", Map.of("repository", "acme/train", "environment", "prod"),
                "maxTokenLifetimeSeconds", 300);
    }

    private static Map<String, Object> with(Map<String, Object> rule, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(rule);
        if (value == null) {
            changed.remove(field);
        } else {
            changed.put(field, value);
        }
        return changed;
    }

    private static Response add(Principal admin, String token, String id, Object rule) {
        return api.command("POST", federationRules(admin.ws(), id)).token(token).json(rule).send();
    }

    private static Response list(Principal admin, String id, String at) {
        Api.Request request = api.query("GET", federationRules(admin.ws(), id)).token(admin.token());
        return (at == null ? request : request.param("at", at)).send();
    }

    @Test
    void adminsAddRules_byUriOrInlineKeys_seenInTheListTheDetailAndAtAnInstant_thenDeleteThem() throws Exception {
        Principal admin = workspaces.fresh("federation");
        Principal ci = workspaces.serviceAccount(admin, "ci");

        JsonNode first = add(admin, admin.token(), ci.id(), byUri(SUBJECT)).expect(201).json();
        assertThat(UUID.fromString(first.path("ruleId").asText())).isNotNull();
        assertThat(first.path("issuer").asText()).isEqualTo(GITHUB);
        assertThat(first.path("jwksUri").asText()).isEqualTo(GITHUB + "/.well-known/jwks");
        assertThat(first.path("jwks").isNull()).isTrue();
        assertThat(first.path("claims").isEmpty()).isTrue();
        assertThat(first.path("maxTokenLifetimeSeconds").asInt()).isEqualTo(900);
        Thread.sleep(50);
        Instant between = Instant.now();
        Thread.sleep(50);
        String keys = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
        JsonNode second = add(admin, admin.token(), ci.id(), inline("repo:acme/train:*", Api.JSON.readTree(keys)))
                .expect(201).json();
        assertThat(second.path("jwksUri").isNull()).isTrue();
        assertThat(Json.texts(Json.list(second.path("jwks").path("keys")), "kid"))
                .containsExactly("rsa-2026", "ec-2026");
        assertThat(second.path("jwks").toString()).doesNotContain("\"d\"");
        assertThat(second.path("claims").path("environment").asText()).isEqualTo("prod");
        assertThat(second.path("maxTokenLifetimeSeconds").asInt()).isEqualTo(300);

        JsonNode both = Eventually.read(() -> list(admin, ci.id(), null),
                page -> assertThat(Json.items(page)).hasSize(2));
        List<JsonNode> rules = Json.items(both);
        assertThat(Json.texts(rules, "ruleId"))
                .containsExactly(first.path("ruleId").asText(), second.path("ruleId").asText());
        assertThat(rules.get(1).path("jwks")).isEqualTo(second.path("jwks"));
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.path("createdBy").path("type").asText()).isEqualTo("user");
            assertThat(rule.path("createdBy").path("id").asText()).isEqualTo("alice");
            assertThat(Instant.parse(rule.path("createdAt").asText())).isBefore(Instant.now());
        });
        JsonNode detail = api.getServiceAccount(admin.ws(), admin.token(), ci.id()).expect(200).json();
        assertThat(detail.path("federationRules")).isEqualTo(both.path("items"));
        assertThat(Json.items(list(admin, ci.id(), between.toString()).expect(200).json()))
                .containsExactly(rules.get(0));
        assertThat(Json.items(list(admin, ci.id(), Instant.now().toString()).expect(200).json()))
                .isEqualTo(rules);

        api.removeFederationRule(admin.ws(), admin.token(), ci.id(), first.path("ruleId").asText());
        api.command("DELETE", federationRules(admin.ws(), ci.id()) + "/" + first.path("ruleId").asText())
                .token(admin.token()).send().expectProblem(404, "federation-rule-not-found");
        api.command("DELETE", federationRules(admin.ws(), ci.id()) + "/" + UUID.randomUUID())
                .token(admin.token()).send().expectProblem(404, "federation-rule-not-found");
        Eventually.read(() -> list(admin, ci.id(), null), page -> assertThat(Json.items(page)).containsExactly(
                rules.get(1)));
        assertThat(Json.list(api.query("GET", Api.serviceAccount(admin.ws(), ci.id())).token(admin.token())
                .param("at", between.toString()).send().expect(200).json().path("federationRules")))
                .containsExactly(rules.get(0));
        assertThat(Json.list(api.query("GET", Api.serviceAccount(admin.ws(), ci.id())).token(admin.token())
                .param("at", Instant.now().toString()).send().expect(200).json().path("federationRules")))
                .containsExactly(rules.get(1));

        JsonNode added = Eventually.read(() -> api.audit(admin.ws(), admin.token(),
                Map.of("type", "federation_rule.added")), page -> assertThat(Json.items(page)).hasSize(2));
        JsonNode inlineEntry = Json.items(added).stream().filter(e -> e.path("details").path("ruleId").asText()
                .equals(second.path("ruleId").asText())).findFirst().orElseThrow();
        assertThat(inlineEntry.path("actor").path("id").asText()).isEqualTo("alice");
        assertThat(inlineEntry.path("details").path("inlineJwks").asBoolean()).isTrue();
        assertThat(inlineEntry.path("details").path("subject").asText()).isEqualTo("repo:acme/train:*");
        JsonNode removed = Eventually.read(() -> api.audit(admin.ws(), admin.token(),
                Map.of("type", "federation_rule.removed")), page -> assertThat(Json.items(page)).hasSize(1));
        assertThat(Json.items(removed).get(0).path("details").path("ruleId").asText())
                .isEqualTo(first.path("ruleId").asText());
    }

    @Test
    void everyMalformedRule_isRefusedNamingItsField_andNothingIsRecorded() throws Exception {
        Principal admin = workspaces.fresh("refusals");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        String id = ci.id();
        Map<String, Object> good = byUri(SUBJECT);
        Map<Object, String> invalid = new java.util.LinkedHashMap<>();
        invalid.put(with(good, "issuer", "http://token.actions.githubusercontent.com"), "issuer");
        invalid.put(with(good, "issuer", "https://user:pw@issuer.example"), "issuer");
        invalid.put(with(good, "issuer", null), "issuer");
        invalid.put(with(good, "jwksUri", "https://issuer.example/jwks#keys"), "jwksUri");
        invalid.put(with(good, "jwksUri", null), "jwksUri");
        invalid.put(with(good, "jwks", Api.JSON.readTree(new JWKSet(ec.toPublicJWK()).toString())), "jwks");
        invalid.put(inline(SUBJECT, "not a key set"), "jwks");
        invalid.put(inline(SUBJECT, Map.of("keys", List.of(Map.of("kty", "RSA")))), "jwks");
        invalid.put(with(good, "audience", "a".repeat(501)), "audience");
        invalid.put(with(good, "subject", "repo:acme/\u0007train"), "subject");
        invalid.put(with(good, "maxTokenLifetimeSeconds", 59), "maxTokenLifetimeSeconds");
        invalid.put(with(good, "maxTokenLifetimeSeconds", 3601), "maxTokenLifetimeSeconds");
        Map<String, String> manyClaims = new HashMap<>();
        for (int i = 0; i <= 20; i++) {
            manyClaims.put("claim" + i, "v");
        }
        invalid.put(with(good, "claims", manyClaims), "claims");
        invalid.put(with(good, "claims", Map.of("ref", "x".repeat(501))), "claims");
        invalid.forEach((rule, field) -> {
            Response refused = add(admin, admin.token(), id, rule).expectProblem(400, "invalid-federation-rule");
            assertThat(refused.json().path("field").asText()).as(refused.body()).isEqualTo(field);
        });

        String withPrivateKey = new JWKSet(rsa).toString(false);
        add(admin, admin.token(), id, inline(SUBJECT, Api.JSON.readTree(withPrivateKey)))
                .expectProblem(400, "jwks-private-key");
        add(admin, admin.token(), id, with(good, "subject", "*")).expectProblem(400, "federation-rule-too-broad");
        add(admin, admin.token(), id, with(good, "issuerUrl", GITHUB)).expectProblem(400, "malformed-request");
        add(admin, admin.token(), id, with(good, "claims", Map.of("run_attempt", 1)))
                .expectProblem(400, "malformed-request");
        add(admin, admin.token(), UUID.randomUUID().toString(), good).expectProblem(404, "service-account-not-found");

        add(admin, admin.token(), id, good).expect(201);
        add(admin, admin.token(), id, with(good, "maxTokenLifetimeSeconds", 60))
                .expectProblem(409, "federation-rule-exists");
        for (int i = 2; i <= 20; i++) {
            add(admin, admin.token(), id, byUri("repo:acme/repo-" + i + ":*")).expect(201);
        }
        add(admin, admin.token(), id, byUri("repo:acme/one-too-many:*"))
                .expectProblem(409, "federation-rule-limit-reached");
        Eventually.read(() -> list(admin, id, null), page -> assertThat(Json.items(page)).hasSize(20));
        Eventually.read(() -> api.audit(admin.ws(), admin.token(), Map.of("type", "federation_rule.added")),
                page -> assertThat(Json.items(page)).hasSize(20));
    }

    @Test
    void onlyAdmins_withAnUnscopedToken_manageAndReadRules_andOwnersSummaryHasNone() {
        Principal admin = workspaces.fresh("who");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        Principal bob = workspaces.user(admin, "bob", "member");
        String ruleId = add(admin, admin.token(), ci.id(), byUri(SUBJECT)).expect(201).json().path("ruleId").asText();
        api.createProject(admin.ws(), bob.token(), "churn", "private"); // bob owns a project: he reads summaries
        String scoped = api.command("POST", Api.memberTokens(admin.ws(), "alice")).token(admin.token())
                .json(Map.of("scope", Map.of("churn", "owner"))).send().expect(201).json().path("secret").asText();
        Principal other = workspaces.fresh("elsewhere");

        for (String token : List.of(bob.token(), ci.token())) {
            add(admin, token, ci.id(), byUri("repo:acme/x:*")).expectProblem(403, "workspace-admin-required");
            api.command("DELETE", federationRules(admin.ws(), ci.id()) + "/" + ruleId).token(token).send()
                    .expectProblem(403, "workspace-admin-required");
            api.query("GET", federationRules(admin.ws(), ci.id())).token(token).send()
                    .expectProblem(403, "workspace-admin-required");
        }
        add(admin, scoped, ci.id(), byUri("repo:acme/x:*")).expectProblem(403, "token-scope-exceeded");
        api.command("DELETE", federationRules(admin.ws(), ci.id()) + "/" + ruleId).token(scoped).send()
                .expectProblem(403, "token-scope-exceeded");
        api.query("GET", federationRules(admin.ws(), ci.id())).token(scoped).send()
                .expectProblem(403, "token-scope-exceeded");
        add(admin, other.token(), ci.id(), byUri("repo:acme/x:*")).expectProblem(404, "workspace-not-found");
        api.query("GET", federationRules(admin.ws(), ci.id())).token(other.token()).send()
                .expectProblem(404, "workspace-not-found");
        api.query("GET", federationRules(admin.ws(), UUID.randomUUID().toString())).token(admin.token()).send()
                .expectProblem(404, "service-account-not-found");

        JsonNode summary = Eventually.read(() -> api.getServiceAccount(admin.ws(), bob.token(), ci.id()),
                account -> assertThat(account.path("name").asText()).isEqualTo("ci"));
        assertThat(summary.has("federationRules")).isFalse();
        Eventually.read(() -> list(admin, ci.id(), null), page -> assertThat(Json.items(page)).hasSize(1));
        // the refused writes are in the trail, as every refused write is
        Eventually.read(() -> api.audit(admin.ws(), admin.token(), Map.of("type", "access.refused", "actor", "bob")),
                page -> assertThat(Json.items(page)).extracting(e -> e.path("details").path("method").asText()
                        + " " + e.path("details").path("rule").asText())
                        .contains("POST workspace-admin-required", "DELETE workspace-admin-required"));
    }

    @Test
    void aRetryWithTheSameIdempotencyKey_getsTheFirstAnswer_andAddsOneRule() {
        Principal admin = workspaces.fresh("idempotent");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        String key = UUID.randomUUID().toString();
        Response first = api.command("POST", federationRules(admin.ws(), ci.id())).token(admin.token())
                .header("Idempotency-Key", key).json(byUri(SUBJECT)).send().expect(201);
        Response again = api.command("POST", federationRules(admin.ws(), ci.id())).token(admin.token())
                .header("Idempotency-Key", key).json(byUri(SUBJECT)).send().expect(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        Eventually.read(() -> list(admin, ci.id(), null), page -> assertThat(Json.texts(Json.items(page), "ruleId"))
                .containsExactly(first.json().path("ruleId").asText()));
    }

    /**
     * A token issued by an exchange, sent to the aggregate as the exchange endpoint sends it (the JWT's verification is
     * not this test's): the token views, live and at an instant, say how it was obtained; other tokens say null.
     */
    @Test
    void anExchangedToken_showsItsRuleAndTheJwtsIssuerSubjectAndJti_inTheTokenViews() {
        Principal admin = workspaces.fresh("exchanged");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        String ruleId = add(admin, admin.token(), ci.id(), byUri(SUBJECT)).expect(201).json().path("ruleId").asText();
        Instant jwtExpires = Instant.now().plusSeconds(300);
        VerifiedJwt jwt = new VerifiedJwt(GITHUB, SUBJECT, "run-4242-attempt-1", List.of("https://github.com/acme"),
                Map.of("repository", "acme/train"), jwtExpires);
        NewToken.WithSecret token = NewToken.generate(PrincipalType.SERVICE_ACCOUNT, null, null);
        system.commandSide().getBean(CommandGateway.class).sendAndWait(
                new ExchangeTokenCommand(admin.ws(), ci.id(), ruleId, jwt, token.token()),
                MetaData.from(Map.of(AuditMetadata.ACTOR_TYPE, AuditMetadata.FEDERATED, AuditMetadata.ACTOR_ID, SUBJECT,
                        AuditMetadata.ACTOR_NAME, GITHUB, AuditMetadata.ACTOR_TOKEN_ID, token.token().tokenId())));
        String exchangedId = token.token().tokenId();

        JsonNode tokens = Eventually.read(() -> api.listTokens(admin.ws(), admin.token(), ci.id()),
                page -> assertThat(Json.texts(Json.items(page), "id")).contains(exchangedId));
        JsonNode exchanged = Json.item(tokens, "id", exchangedId);
        assertThat(exchanged.path("exchange").path("ruleId").asText()).isEqualTo(ruleId);
        assertThat(exchanged.path("exchange").path("issuer").asText()).isEqualTo(GITHUB);
        assertThat(exchanged.path("exchange").path("subject").asText()).isEqualTo(SUBJECT);
        assertThat(exchanged.path("exchange").path("jti").asText()).isEqualTo("run-4242-attempt-1");
        assertThat(exchanged.path("exchange").size()).isEqualTo(4);
        assertThat(Json.item(tokens, "id", ci.tokenId()).path("exchange").isNull()).isTrue();
        assertThat(Json.item(tokens, "id", ci.tokenId()).has("exchange")).isTrue();

        JsonNode detail = api.getServiceAccount(admin.ws(), admin.token(), ci.id()).expect(200).json();
        JsonNode atNow = api.query("GET", Api.serviceAccount(admin.ws(), ci.id())).token(admin.token())
                .param("at", Instant.now().toString()).send().expect(200).json();
        assertThat(Json.find(Json.list(detail.path("tokens")), "id", exchangedId).orElseThrow().path("exchange"))
                .isEqualTo(exchanged.path("exchange"));
        assertThat(atNow.path("tokens")).isEqualTo(detail.path("tokens"));
        assertThat(api.me(token.secret()).expect(200).json().toString()).contains(ci.id());
    }

    @Test
    void aDeletedAccountsRules_goWithIt_butStayInItsPast() throws Exception {
        Principal admin = workspaces.fresh("deleted");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        JsonNode rule = add(admin, admin.token(), ci.id(), byUri(SUBJECT)).expect(201).json();
        Thread.sleep(50);
        Instant before = Instant.now();
        Thread.sleep(50);
        api.delete(admin.ws(), admin.token(), ci.id());

        Eventually.read(() -> api.getServiceAccount(admin.ws(), admin.token(), ci.id()),
                account -> assertThat(account.path("status").asText()).isEqualTo("deleted"));
        assertThat(Json.items(list(admin, ci.id(), null).expect(200).json())).isEmpty();
        assertThat(Json.items(list(admin, ci.id(), before.toString()).expect(200).json()))
                .extracting(r -> r.path("ruleId").asText()).containsExactly(rule.path("ruleId").asText());
        add(admin, admin.token(), ci.id(), byUri(SUBJECT)).expectProblem(404, "service-account-not-found");
    }

    @Test
    void aReplayOfTheServiceAccountsReadModel_rebuildsTheRulesAlike() {
        Principal admin = workspaces.fresh("replayed");
        Principal ci = workspaces.serviceAccount(admin, "ci");
        add(admin, admin.token(), ci.id(), byUri(SUBJECT)).expect(201);
        String removed = add(admin, admin.token(), ci.id(), Histories.federationRule("repo:acme/gone:*")).expect(201)
                .json().path("ruleId").asText();
        add(admin, admin.token(), ci.id(), Histories.federationRule("repo:acme/kept:*")).expect(201);
        api.removeFederationRule(admin.ws(), admin.token(), ci.id(), removed);
        JsonNode before = Eventually.read(() -> list(admin, ci.id(), null),
                page -> assertThat(Json.items(page)).hasSize(2));

        String requestedAt = api.query("POST", "/v1/admin/projections/service-accounts/replay")
                .token(api.operatorToken()).send().expect(202).json().path("replay").path("requestedAt").asText();
        Eventually.untilAsserted(Duration.ofSeconds(60), () -> {
            JsonNode status = api.query("GET", "/v1/admin/projections/service-accounts").token(api.operatorToken())
                    .send().expect(200).json();
            assertThat(status.path("state").asText()).isEqualTo("live");
            assertThat(status.path("lastReplay").path("requestedAt").asText()).isEqualTo(requestedAt);
            assertThat(status.path("lastReplay").path("outcome").asText()).isEqualTo("finished");
        });
        assertThat(list(admin, ci.id(), null).expect(200).json()).isEqualTo(before);
    }
}
