package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.OidcIssuer;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/token}, the token exchange of keyless pipelines, against both applications: a JWT shaped exactly
 * like a GitHub Actions OIDC token, signed by a throw-away issuer whose keys are served on loopback (allowed by
 * FEDERATION_ALLOW_HTTP and FEDERATION_ALLOW_PRIVATE_ISSUERS, as only tests and air-gapped sites do), exchanges for
 * an ordinary, instantly revocable token of the account whose rule trusts it; every refusal is an RFC 6749 error and
 * an entry in the trail with the JWT's iss, sub and jti. Each test has a workspace and an issuer name of its own.
 */
class TokenExchangeIT {

    private static final String AUDIENCE = "https://svcaccounts.example";
    private static final String REPO = "acme/train";
    private static final String MAIN = "repo:acme/train:ref:refs/heads/main";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("token-exchange",
            "--svcaccounts.federation.allow-http=true", "--svcaccounts.federation.allow-private-issuers=true",
            "--svcaccounts.throttle.token-exchanges.limit=1000000",
            // a JWT naming a key the cached set lacks fetches it again at most this often (a minute in production)
            "--svcaccounts.federation.jwks-refetch-interval=2s");
    private static final AtomicInteger RUN = new AtomicInteger();

    private static final RSAKey RSA = OidcIssuer.rsa("rsa-1");
    private static final ECKey EC = OidcIssuer.ec("ec-1");
    private static OidcIssuer keys;
    private static Api api;

    @BeforeAll
    static void setUp() {
        api = system.api();
        keys = OidcIssuer.start(RSA.toPublicJWK(), EC.toPublicJWK());
    }

    @AfterAll
    static void stopIssuer() {
        keys.close();
    }

    /** A workspace with account "ci" and one rule trusting {@code issuer}'s main branch of acme/train. */
    record Trust(String ws, String admin, String accountId, String ruleId, String issuer) {
    }

    private static Trust trust(String label, String jwksUri) {
        String ws = "tx-" + label;
        String admin = api.createWorkspace(ws, "alice").path("token").path("secret").asText();
        String accountId = api.createServiceAccount(ws, admin, "ci").path("id").asText();
        String issuer = "https://token.actions.githubusercontent.com/" + label;
        String ruleId = addRule(ws, admin, accountId, issuer, jwksUri, MAIN).path("ruleId").asText();
        return new Trust(ws, admin, accountId, ruleId, issuer);
    }

    private static JsonNode addRule(String ws, String admin, String accountId, String issuer, String jwksUri,
                                    String subject) {
        return api.command("POST", Api.serviceAccount(ws, accountId) + "/federation-rules").token(admin)
                .json(Map.of("issuer", issuer, "jwksUri", jwksUri, "audience", AUDIENCE, "subject", subject,
                        "claims", Map.of("repository", REPO, "environment", "prod"),
                        "maxTokenLifetimeSeconds", 600))
                .send().expect(201).json();
    }

    /** The claims of a GitHub Actions OIDC token of acme/train's main branch, run by workflow "train" in prod. */
    private static Map<String, Object> github(String issuer) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("sub", MAIN);
        claims.put("aud", AUDIENCE);
        claims.put("ref", "refs/heads/main");
        claims.put("sha", "d3b07384d113edec49eaa6238ad5ff00c86d2f5b");
        claims.put("repository", REPO);
        claims.put("repository_owner", "acme");
        claims.put("repository_owner_id", "1042");
        claims.put("repository_id", "77001");
        claims.put("repository_visibility", "private");
        claims.put("run_id", "9876543210");
        claims.put("run_number", "42");
        claims.put("run_attempt", "1");
        claims.put("actor", "octocat");
        claims.put("actor_id", "583231");
        claims.put("workflow", "train");
        claims.put("workflow_ref", "acme/train/.github/workflows/train.yml@refs/heads/main");
        claims.put("event_name", "push");
        claims.put("ref_type", "branch");
        claims.put("environment", "prod");
        claims.put("job_workflow_ref", "acme/train/.github/workflows/train.yml@refs/heads/main");
        claims.put("runner_environment", "github-hosted");
        claims.put("iss", issuer);
        claims.put("nbf", now.minusSeconds(5));
        claims.put("exp", now.plusSeconds(300));
        claims.put("iat", now.minusSeconds(5));
        return claims;
    }

    private static Map<String, Object> with(Map<String, Object> claims, Object... nameValues) {
        Map<String, Object> changed = new LinkedHashMap<>(claims);
        for (int i = 0; i < nameValues.length; i += 2) {
            changed.put((String) nameValues[i], nameValues[i + 1]);
        }
        return changed;
    }

    private static Response exchange(Api on, String jwt, String... extra) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("subject_token", jwt);
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:jwt");
        for (int i = 0; i < extra.length; i += 2) {
            form.put(extra[i], extra[i + 1]);
        }
        return on.command("POST", "/v1/token").header("User-Agent", "github-actions-it/1.0").form(form).send();
    }

    private static Response exchange(String jwt, String... extra) {
        return exchange(api, jwt, extra);
    }

    /** The trail's entries of this type, newest first, once the audit projection has them. */
    private static List<JsonNode> entries(Trust trust, String type, int atLeast) {
        JsonNode page = Eventually.read(() -> api.audit(trust.ws(), trust.admin(), Map.of("type", type)),
                body -> assertThat(Json.items(body)).hasSizeGreaterThanOrEqualTo(atLeast));
        return Json.items(page);
    }

    private static JsonNode refusalOf(Trust trust, String jti) {
        JsonNode page = Eventually.read(() -> api.audit(trust.ws(), trust.admin(),
                        Map.of("type", "token.exchange_refused")),
                body -> assertThat(Json.items(body)).anyMatch(e -> e.path("details").path("jti").asText()
                        .equals(jti)));
        return Json.items(page).stream().filter(e -> e.path("details").path("jti").asText().equals(jti))
                .findFirst().orElseThrow();
    }

    /** Refused with this OAuth error and reason, and so recorded in the workspace's trail. */
    private static JsonNode refused(Trust trust, Map<String, Object> claims, String jwt, String error,
                                    String reason, String... extra) {
        Response answer = exchange(jwt, extra).expectOAuthError(400, reason, error);
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        assertThat(answer.body()).doesNotContain(jwt);
        JsonNode entry = refusalOf(trust, (String) claims.get("jti"));
        assertThat(entry.path("details").path("error").asText()).isEqualTo(error);
        assertThat(entry.path("details").path("reason").asText()).isEqualTo(reason);
        assertThat(entry.path("details").path("issuer").asText()).isEqualTo(trust.issuer());
        assertThat(entry.path("details").path("subject").asText()).isEqualTo(claims.get("sub"));
        assertThat(entry.toString()).doesNotContain(jwt);
        String signature = jwt.substring(jwt.lastIndexOf('.') + 1);
        if (!signature.isEmpty()) {
            assertThat(entry.toString()).doesNotContain(signature);
        }
        return entry;
    }

    @Test
    void aGithubActionsJwt_exchangesForAnOrdinaryTokenOfTheAccount_usableOnBothSides_revocableAtOnce_inTheTrail() {
        Trust trust = trust("main", keys.jwksUri());
        api.createProject(trust.ws(), trust.admin(), "churn", "private");
        api.assignServiceAccount(trust.ws(), trust.admin(), "churn", trust.accountId(), "owner");
        Map<String, Object> claims = github(trust.issuer());

        Response answer = exchange(OidcIssuer.sign(RSA, claims)).expect(200);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        JsonNode body = answer.json();
        assertThat(body.path("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asLong()).isBetween(590L, 600L); // the rule's lifetime: exp is later
        assertThat(body.has("scope")).isFalse();
        String token = body.path("access_token").asText();
        assertThat(token).startsWith("svcacct_");

        // an ordinary token of the account: introspection, a query-side read, a command-side write
        JsonNode introspected = api.introspect(token);
        assertThat(introspected.path("active").asBoolean()).isTrue();
        assertThat(introspected.path("sub").asText()).isEqualTo(trust.accountId());
        assertThat(introspected.path("workspace").asText()).isEqualTo(trust.ws());
        assertThat(introspected.path("exp").asLong() - Instant.now().getEpochSecond()).isBetween(580L, 600L);
        api.me(token).expect(200);
        api.updateProject(trust.ws(), token, "churn", Map.of("name", "Churn, retrained by CI"));

        // the trail: the exchange, by the JWT's identity, with the rule and the matched claims
        JsonNode exchanged = entries(trust, "token.exchanged", 1).get(0);
        String tokenId = exchanged.path("subject").path("id").asText();
        JsonNode details = exchanged.path("details").path("exchange");
        assertThat(details.path("ruleId").asText()).isEqualTo(trust.ruleId());
        assertThat(details.path("issuer").asText()).isEqualTo(trust.issuer());
        assertThat(details.path("subject").asText()).isEqualTo(MAIN);
        assertThat(details.path("jti").asText()).isEqualTo(claims.get("jti"));
        assertThat(details.path("claims").path("repository").asText()).isEqualTo(REPO);
        assertThat(details.path("claims").path("environment").asText()).isEqualTo("prod");
        assertThat(exchanged.path("actor").path("type").asText()).isEqualTo("federated");
        assertThat(exchanged.path("actor").path("id").asText()).isEqualTo(MAIN);
        assertThat(exchanged.toString()).doesNotContain(token);
        assertThat(introspected.path("token_id").asText()).isEqualTo(tokenId);

        // which workflow run acted: ?token= lists the exchange and everything the run did with the token
        JsonNode run = Eventually.read(() -> api.audit(trust.ws(), trust.admin(), Map.of("token", tokenId)),
                page -> assertThat(Json.items(page)).hasSize(2));
        assertThat(Json.items(run)).extracting(e -> e.path("type").asText())
                .containsExactlyInAnyOrder("token.exchanged", "project.renamed");

        // instantly revocable, on both sides
        api.revokeToken(trust.ws(), trust.admin(), trust.accountId(), tokenId);
        api.me(token).expect(401);
        assertThat(api.introspect(token).path("active").asBoolean()).isFalse();
        api.command("PATCH", Api.project(trust.ws(), "churn")).token(token)
                .json(Map.of("name", "Churn again")).send().expect(401);
    }

    @Test
    void anEs256Jwt_exchanges_withANarrowerScope() {
        Trust trust = trust("es256", keys.jwksUri());
        api.createProject(trust.ws(), trust.admin(), "churn", "private");
        api.assignServiceAccount(trust.ws(), trust.admin(), "churn", trust.accountId(), "owner");
        JsonNode body = exchange(OidcIssuer.sign(EC, github(trust.issuer())), "scope", "churn:viewer")
                .expect(200).json();
        assertThat(body.path("scope").asText()).isEqualTo("churn:viewer");
        String token = body.path("access_token").asText();
        api.command("PATCH", Api.project(trust.ws(), "churn")).token(token)
                .json(Map.of("name", "Beyond the scope")).send().expectProblem(403, "token-scope-exceeded");

        Map<String, Object> badScope = github(trust.issuer());
        refused(trust, badScope, OidcIssuer.sign(EC, badScope), "invalid_scope", "invalid-scope",
                "scope", "churn:admin");
        Map<String, Object> noSuchProject = github(trust.issuer());
        refused(trust, noSuchProject, OidcIssuer.sign(EC, noSuchProject), "invalid_scope",
                "project-not-found", "scope", "nope:viewer");
    }

    @Test
    void aJwtOfAnotherRefOrAudience_orOutOfItsTime_isRefusedWithItsReason_andRecorded() {
        Trust trust = trust("claims", keys.jwksUri());
        Map<String, Object> github = github(trust.issuer());
        Instant now = Instant.now();

        Map<String, Object> dev = with(github(trust.issuer()), "sub", "repo:acme/train:ref:refs/heads/dev",
                "ref", "refs/heads/dev");
        JsonNode entry = refused(trust, dev, OidcIssuer.sign(RSA, dev), "invalid_grant", "no-matching-rule");
        assertThat(entry.path("subject").path("id").asText()).isEqualTo(trust.accountId());
        assertThat(entry.path("details").path("ruleId").asText()).isEqualTo(trust.ruleId());

        Map<String, Object> otherAudience = with(github(trust.issuer()), "aud", "https://github.com/acme");
        refused(trust, otherAudience, OidcIssuer.sign(RSA, otherAudience), "invalid_grant", "wrong-audience");

        Map<String, Object> expired = with(github(trust.issuer()), "iat", now.minusSeconds(900),
                "nbf", now.minusSeconds(900), "exp", now.minusSeconds(300));
        refused(trust, expired, OidcIssuer.sign(RSA, expired), "invalid_grant", "jwt-expired");

        Map<String, Object> notYet = with(github(trust.issuer()), "nbf", now.plusSeconds(300),
                "exp", now.plusSeconds(900));
        refused(trust, notYet, OidcIssuer.sign(RSA, notYet), "invalid_grant", "jwt-not-yet-valid");

        // and the claims that do match still exchange
        exchange(OidcIssuer.sign(RSA, github)).expect(200);
    }

    @Test
    void aRefusal_isRecordedOnlyInTheWorkspacesItConcerns_notInAnotherTenantTrustingTheSameIssuer() {
        Trust acme = trust("tenant-a", keys.jwksUri());
        // another tenant trusts the same issuer (GitHub, say) for its own repository, with an audience of its own
        String otherWs = "tx-tenant-b";
        String otherAdmin = api.createWorkspace(otherWs, "alice").path("token").path("secret").asText();
        String otherAccount = api.createServiceAccount(otherWs, otherAdmin, "ci").path("id").asText();
        api.command("POST", Api.serviceAccount(otherWs, otherAccount) + "/federation-rules").token(otherAdmin)
                .json(Map.of("issuer", acme.issuer(), "jwksUri", keys.jwksUri(),
                        "audience", "https://svcaccounts.example/otherco", "subject", "repo:otherco/*"))
                .send().expect(201);
        Trust other = new Trust(otherWs, otherAdmin, otherAccount, null, acme.issuer());

        // acme's job from another branch: acme's trail has it, the other tenant's trail does not
        Map<String, Object> dev = with(github(acme.issuer()), "sub", "repo:acme/train:ref:refs/heads/dev",
                "ref", "refs/heads/dev");
        refused(acme, dev, OidcIssuer.sign(RSA, dev), "invalid_grant", "no-matching-rule");
        // a JWT for the other tenant's audience, refused there, is recorded there and not in acme's trail
        Map<String, Object> forOther = with(github(acme.issuer()), "aud", "https://svcaccounts.example/otherco",
                "sub", "repo:otherco/eval:ref:refs/heads/main", "repository", "otherco/eval",
                "iat", Instant.now().minusSeconds(400), "nbf", Instant.now().minusSeconds(400),
                "exp", Instant.now().minusSeconds(120));
        refused(other, forOther, OidcIssuer.sign(RSA, forOther), "invalid_grant", "jwt-expired");

        List<JsonNode> acmeTrail = entries(acme, "token.exchange_refused", 1);
        List<JsonNode> otherTrail = entries(other, "token.exchange_refused", 1);
        assertThat(acmeTrail).noneMatch(e -> e.path("details").path("jti").asText().equals(forOther.get("jti")));
        assertThat(otherTrail).noneMatch(e -> e.path("details").path("jti").asText().equals(dev.get("jti")));
        assertThat(otherTrail.toString()).doesNotContain("acme/train");
    }

    @Test
    void forgedJwts_unknownKey_algNone_hs256WithThePublicKey_areRefused_andRecorded() throws JOSEException {
        Trust trust = trust("forged", keys.jwksUri());

        Map<String, Object> unknownKid = github(trust.issuer());
        refused(trust, unknownKid, OidcIssuer.sign(OidcIssuer.rsa("nobody"), unknownKid), "invalid_grant",
                "unknown-key");

        Map<String, Object> none = github(trust.issuer());
        String unsigned = new PlainJWT(new PlainHeader(), OidcIssuer.claimsSet(none)).serialize();
        refused(trust, none, unsigned, "invalid_grant", "unsupported-algorithm");

        Map<String, Object> hmac = github(trust.issuer());
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                OidcIssuer.claimsSet(hmac));
        byte[] publicKey = RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        confused.sign(new MACSigner(publicKey));
        refused(trust, hmac, confused.serialize(), "invalid_grant", "unsupported-algorithm");

        // a signature of the right key over other claims
        Map<String, Object> tampered = github(trust.issuer());
        String good = OidcIssuer.sign(RSA, with(tampered, "sub", "repo:acme/other:ref:refs/heads/main"));
        String[] parts = good.split("\\.");
        String forged = parts[0] + "." + OidcIssuer.claimsSet(tampered).toPayload().toBase64URL() + "." + parts[2];
        refused(trust, tampered, forged, "invalid_grant", "bad-signature");
    }

    @Test
    void aJwtIsExchangedOnce() {
        Trust trust = trust("replay", keys.jwksUri());
        Map<String, Object> claims = github(trust.issuer());
        String jwt = OidcIssuer.sign(RSA, claims);
        exchange(jwt).expect(200);
        refused(trust, claims, jwt, "invalid_grant", "jti-replayed");
    }

    @Test
    void aJwtReplayedOnAnotherCommandNode_isRefused() {
        Trust trust = trust("cluster", keys.jwksUri());
        Api otherNode = system.addCommandNode();
        Map<String, Object> claims = github(trust.issuer());
        String jwt = OidcIssuer.sign(RSA, claims);
        exchange(jwt).expect(200);
        exchange(otherNode, jwt).expectOAuthError(400, "jti-replayed", "invalid_grant");
        assertThat(refusalOf(trust, (String) claims.get("jti")).path("details").path("reason").asText())
                .isEqualTo("jti-replayed");
        // and the other node exchanges fresh JWTs
        exchange(otherNode, OidcIssuer.sign(RSA, github(trust.issuer()))).expect(200);
    }

    @Test
    void aRuleDeleted_orAnAccountDeactivated_justBefore_refusesTheExchange() {
        Trust trust = trust("gone", keys.jwksUri());
        // a second rule of the same account, for the release branch, stays: the JWT is judged by it alone
        String release = addRule(trust.ws(), trust.admin(), trust.accountId(), trust.issuer(), keys.jwksUri(),
                "repo:acme/train:ref:refs/heads/release").path("ruleId").asText();
        api.command("DELETE", Api.serviceAccount(trust.ws(), trust.accountId()) + "/federation-rules/"
                + trust.ruleId()).token(trust.admin()).send().expect(204);
        Map<String, Object> main = github(trust.issuer());
        JsonNode entry = refused(trust, main, OidcIssuer.sign(RSA, main), "invalid_grant", "no-matching-rule");
        assertThat(entry.path("details").path("ruleId").asText()).isEqualTo(release);

        Trust deactivated = trust("inactive", keys.jwksUri());
        api.deactivate(deactivated.ws(), deactivated.admin(), deactivated.accountId());
        Map<String, Object> claims = github(deactivated.issuer());
        JsonNode refusal = refused(deactivated, claims, OidcIssuer.sign(RSA, claims), "invalid_grant",
                "service-account-deactivated");
        assertThat(refusal.path("subject").path("id").asText()).isEqualTo(deactivated.accountId());
        assertThat(refusal.path("actor").path("type").asText()).isEqualTo("federated");
    }

    @Test
    void aJwtOfAnIssuerNoRuleTrusts_isRefused_andRecordedNowhere() {
        Map<String, Object> claims = github("https://token.actions.githubusercontent.com/nobody-trusts-this");
        exchange(OidcIssuer.sign(RSA, claims)).expectOAuthError(400, "unknown-issuer", "invalid_grant");
    }

    @Test
    void aJwtMatchingRulesOfTwoAccounts_needsItsResource() {
        Trust trust = trust("two", keys.jwksUri());
        String second = api.createServiceAccount(trust.ws(), trust.admin(), "ci-two").path("id").asText();
        addRule(trust.ws(), trust.admin(), second, trust.issuer(), keys.jwksUri(), "repo:acme/train:*");
        exchange(OidcIssuer.sign(RSA, github(trust.issuer())))
                .expectOAuthError(400, "ambiguous-target", "invalid_target");
        exchange(OidcIssuer.sign(RSA, github(trust.issuer())), "resource", trust.ws() + "/" + UUID.randomUUID())
                .expectOAuthError(400, "unknown-target", "invalid_target");
        JsonNode body = exchange(OidcIssuer.sign(RSA, github(trust.issuer())), "resource", trust.ws() + "/" + second)
                .expect(200).json();
        assertThat(api.introspect(body.path("access_token").asText()).path("sub").asText()).isEqualTo(second);
    }

    @Test
    void malformedRequests_areOAuthErrors_neverProblemDocuments() {
        String jwt = OidcIssuer.sign(RSA, github("https://token.actions.githubusercontent.com/malformed"));
        api.command("POST", "/v1/token").rawJson("{\"grant_type\":\"x\"}").send()
                .expectOAuthError(400, "malformed-request", "invalid_request");
        api.command("POST", "/v1/token").send().expectOAuthError(400, "malformed-request", "invalid_request");
        api.command("POST", "/v1/token").rawForm("grant_type=password&username=a&password=b").send()
                .expectOAuthError(400, "malformed-request", "invalid_request");
        api.command("POST", "/v1/token").rawForm("grant_type=client_credentials").send()
                .expectOAuthError(400, "malformed-request", "unsupported_grant_type");
        api.command("POST", "/v1/token").rawForm("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-"
                + "exchange&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt").send()
                .expectOAuthError(400, "malformed-request", "invalid_request");
        api.command("POST", "/v1/token").rawForm("grant_type=a&grant_type=b").send()
                .expectOAuthError(400, "malformed-request", "invalid_request");
        api.command("POST", "/v1/token").rawForm("x=" + "a".repeat(70 * 1024)).send()
                .expectOAuthError(400, "malformed-request", "invalid_request");
        api.command("POST", "/v1/token").param("subject_token", jwt).rawForm("grant_type=a").send()
                .expectOAuthError(400, "malformed-request", "invalid_request");
        exchange("not.a.jwt").expectOAuthError(400, "malformed-jwt", "invalid_request");
    }

    /**
     * The issuer rotates its keys: a JWT signed by a key published after the set was fetched is verified once the
     * set is fetched again (an unknown kid refetches it, at most once per refetch interval, here 2 s), without a
     * restart.
     */
    @Test
    void aKeyRotationAtTheIssuer_isPickedUpWithoutRestart() {
        RSAKey first = OidcIssuer.rsa("rotating-1");
        try (OidcIssuer rotating = OidcIssuer.start(first.toPublicJWK())) {
            Trust trust = trust("rotation", rotating.jwksUri());
            exchange(OidcIssuer.sign(first, github(trust.issuer()))).expect(200);
            int fetched = rotating.fetches();
            assertThat(fetched).isPositive();

            RSAKey next = OidcIssuer.rsa("rotating-2");
            rotating.publish(next.toPublicJWK());
            rotating.withdraw("rotating-1");
            Eventually.untilAsserted(Duration.ofSeconds(30), () -> {
                Response answer = exchange(OidcIssuer.sign(next, github(trust.issuer())));
                if (answer.status() != 200) {
                    answer.expectOAuthError(400, "unknown-key", "invalid_grant");
                    Thread.sleep(1000);
                }
                assertThat(answer.status()).isEqualTo(200);
            });
            assertThat(rotating.fetches()).as("fetched again, not once per exchange").isBetween(fetched + 1,
                    fetched + 2);
        }
    }
}
