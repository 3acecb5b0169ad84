package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.svcaccounts.system.support.Api.member;
import static dev.svcaccounts.system.support.Api.memberTokens;
import static dev.svcaccounts.system.support.Api.members;
import static dev.svcaccounts.system.support.Api.project;
import static dev.svcaccounts.system.support.Api.projectMember;
import static dev.svcaccounts.system.support.Api.projectServiceAccount;
import static dev.svcaccounts.system.support.Api.projects;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static dev.svcaccounts.system.support.Api.tokens;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} on every write (IETF httpapi draft): the same key with the same request gets the first
 * answer, status and body, from any command node, and nothing happens a second time; another request with that
 * key is 422; an answer that held a token's secret is never repeated (409 {@code idempotent-replay-of-secret} with
 * the token's id); keys are per principal and expire; a refused write binds nothing. What happens when the first
 * request has not finished, or its node died, is in {@link LostAnswerRetryIT}.
 */
class IdempotentWritesIT {

    private static final String KEY = "Idempotency-Key";
    private static final String REPLAYED = "Idempotent-Replayed";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("idempotent_writes");
    private static Api first;
    private static Api second;
    private static Workspaces workspaces;

    @BeforeAll
    static void setUp() {
        first = system.api();
        second = system.addCommandNode();
        workspaces = new Workspaces(first);
    }

    /** One write as a client sends it. */
    record Write(String ws, String method, String path, String token, Object body) {
        Response send(Api api, String key) {
            Api.Request request = api.command(method, path).token(token).header(KEY, key);
            return body == null ? request.send() : request.json(body).send();
        }
    }

    /**
     * Each kind of write without a secret in its answer, sent with a key to one node and again to the other: the
     * same status and body (byte for byte), marked as replayed, and no event more. Sent again without the key,
     * most of these would be refused (already deactivated, not found...) or answer otherwise (previousRole).
     */
    @TestFactory
    Stream<DynamicTest> everyWriteWithoutASecret_retriedWithItsKey_getsTheFirstAnswer_andHappensOnce() {
        Map<String, Function<Principal, Write>> writes = new LinkedHashMap<>();
        writes.put("POST project", admin -> new Write(admin.ws(), "POST", projects(admin.ws()), admin.token(),
                Map.of("key", "churn", "name", "Churn", "visibility", "workspace")));
        writes.put("PATCH project", admin -> {
            first.createProject(admin.ws(), admin.token(), "churn", "private");
            return new Write(admin.ws(), "PATCH", project(admin.ws(), "churn"), admin.token(),
                    Map.of("name", "Churn v2"));
        });
        writes.put("DELETE project", admin -> {
            first.createProject(admin.ws(), admin.token(), "churn", "private");
            return new Write(admin.ws(), "DELETE", project(admin.ws(), "churn"), admin.token(), null);
        });
        writes.put("PUT project service account", admin -> {
            first.createProject(admin.ws(), admin.token(), "churn", "private");
            Principal bot = workspaces.serviceAccount(admin, "bot");
            return new Write(admin.ws(), "PUT", projectServiceAccount(admin.ws(), "churn", bot.id()), admin.token(),
                    Map.of("role", "viewer"));
        });
        writes.put("DELETE project service account", admin -> {
            first.createProject(admin.ws(), admin.token(), "churn", "private");
            Principal bot = workspaces.serviceAccount(admin, "bot");
            first.assignServiceAccount(admin.ws(), admin.token(), "churn", bot.id(), "viewer");
            return new Write(admin.ws(), "DELETE", projectServiceAccount(admin.ws(), "churn", bot.id()),
                    admin.token(), null);
        });
        writes.put("PUT project member", admin -> {
            first.createProject(admin.ws(), admin.token(), "churn", "private");
            workspaces.user(admin, "bob", "member");
            return new Write(admin.ws(), "PUT", projectMember(admin.ws(), "churn", "bob"), admin.token(),
                    Map.of("role", "owner"));
        });
        writes.put("DELETE project member", admin -> {
            first.createProject(admin.ws(), admin.token(), "churn", "private");
            workspaces.user(admin, "bob", "member");
            first.assignMember(admin.ws(), admin.token(), "churn", "bob", "viewer");
            return new Write(admin.ws(), "DELETE", projectMember(admin.ws(), "churn", "bob"), admin.token(), null);
        });
        writes.put("PATCH service account", admin -> {
            Principal bot = workspaces.serviceAccount(admin, "bot");
            return new Write(admin.ws(), "PATCH", serviceAccount(admin.ws(), bot.id()), admin.token(),
                    Map.of("name", "robot", "description", "renamed"));
        });
        writes.put("POST deactivate", admin -> {
            Principal bot = workspaces.serviceAccount(admin, "bot");
            return new Write(admin.ws(), "POST", serviceAccount(admin.ws(), bot.id()) + "/deactivate", admin.token(),
                    Map.of("reason", "leaked"));
        });
        writes.put("DELETE service account", admin -> {
            Principal bot = workspaces.serviceAccount(admin, "bot");
            return new Write(admin.ws(), "DELETE", serviceAccount(admin.ws(), bot.id()), admin.token(), null);
        });
        writes.put("DELETE service-account token", admin -> {
            Principal bot = workspaces.serviceAccount(admin, "bot");
            return new Write(admin.ws(), "DELETE", tokens(admin.ws(), bot.id()) + "/" + bot.tokenId(), admin.token(),
                    null);
        });
        writes.put("PATCH member", admin -> {
            workspaces.user(admin, "bob", "member");
            return new Write(admin.ws(), "PATCH", member(admin.ws(), "bob"), admin.token(), Map.of("role", "admin"));
        });
        writes.put("DELETE member", admin -> {
            workspaces.user(admin, "bob", "member");
            return new Write(admin.ws(), "DELETE", member(admin.ws(), "bob"), admin.token(), null);
        });
        writes.put("DELETE member token", admin -> {
            // by the admin: a client that revokes the very token it sends gets 401 on a retry, replay or not
            Principal bob = workspaces.user(admin, "bob", "member");
            return new Write(admin.ws(), "DELETE", memberTokens(admin.ws(), "bob") + "/" + bob.tokenId(),
                    admin.token(), null);
        });
        return writes.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            Write write = entry.getValue().apply(workspaces.fresh("replay"));
            String key = newKey();
            Response answer = write.send(first, key);
            assertThat(answer.status()).as(answer.toString()).isBetween(200, 299);
            assertThat(answer.header(REPLAYED)).isNull();
            long events = events(write.ws());

            Response retry = write.send(second, key);

            assertSameAnswer(retry, answer);
            assertThat(events(write.ws())).as("events after the retry").isEqualTo(events);
            assertSameAnswer(write.send(first, key), answer);
        }));
    }

    /**
     * Writes whose answer holds a token's secret. A retry gets 409 naming the token that was issued (and the first
     * answer without the secret), never that secret again nor a new one; exactly one token was issued, it works,
     * and no secret is kept with the key.
     */
    @TestFactory
    Stream<DynamicTest> writesThatIssueATokenSecret_retried_get409WithTheTokenId_andNeverASecret() {
        Map<String, Function<Principal, Write>> writes = new LinkedHashMap<>();
        writes.put("POST workspace", admin -> new Write(admin.ws() + "-new", "POST", "/v1/workspaces",
                first.operatorToken(), Map.of("id", admin.ws() + "-new", "name", "New", "admin",
                Map.of("username", "carol"))));
        writes.put("POST service account", admin -> new Write(admin.ws(), "POST", serviceAccounts(admin.ws()),
                admin.token(), Map.of("name", "ci", "description", "pipeline")));
        writes.put("POST service-account token", admin -> {
            Principal bot = workspaces.serviceAccount(admin, "bot");
            return new Write(admin.ws(), "POST", tokens(admin.ws(), bot.id()), admin.token(),
                    Map.of("description", "evaluation", "expiresAt", "2030-01-01T00:00:00Z"));
        });
        writes.put("POST service-account token without a body", admin -> {
            Principal bot = workspaces.serviceAccount(admin, "bot");
            return new Write(admin.ws(), "POST", tokens(admin.ws(), bot.id()), admin.token(), null);
        });
        writes.put("POST member", admin -> new Write(admin.ws(), "POST", members(admin.ws()), admin.token(),
                Map.of("username", "bob", "role", "member")));
        writes.put("POST member token", admin -> {
            Principal bob = workspaces.user(admin, "bob", "member");
            return new Write(admin.ws(), "POST", memberTokens(admin.ws(), "bob"), bob.token(),
                    Map.of("description", "laptop"));
        });
        writes.put("POST reactivate", admin -> {
            Principal bot = workspaces.serviceAccount(admin, "bot");
            first.deactivate(admin.ws(), admin.token(), bot.id());
            return new Write(admin.ws(), "POST", serviceAccount(admin.ws(), bot.id()) + "/reactivate", admin.token(),
                    null);
        });
        return writes.entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            Write write = entry.getValue().apply(workspaces.fresh("secret"));
            String key = newKey();
            Response answer = write.send(first, key);
            assertThat(answer.status()).as(answer.toString()).isIn(200, 201);
            JsonNode token = issuedToken(answer.json());
            String secret = token.path("secret").asText();
            assertThat(secret).isNotBlank();
            long events = events(write.ws());
            long tokens = tokenCount(write.ws());

            for (Api api : List.of(second, first)) {
                Response retry = write.send(api, key).expectProblem(409, "idempotent-replay-of-secret");
                JsonNode problem = retry.json();
                assertThat(retry.body()).as("the retry's answer").doesNotContain(secret);
                assertThat(problem.path("tokenId").asText()).isEqualTo(token.path("id").asText());
                assertThat(problem.path("originalStatus").asInt()).isEqualTo(answer.status());
                assertThat(problem.path("location").asText(null)).isEqualTo(answer.header("Location"));
                ObjectNode withoutSecret = answer.json().deepCopy();
                ((ObjectNode) issuedToken(withoutSecret)).remove("secret");
                assertThat(problem.path("answer")).isEqualTo(withoutSecret);
                assertThat(retry.detail()).contains(token.path("id").asText());
            }
            assertThat(events(write.ws())).as("events after the retries").isEqualTo(events);
            assertThat(tokenCount(write.ws())).as("tokens after the retries").isEqualTo(tokens);
            first.me(secret).expect(200);
            assertThat(system.database().jdbc().queryForObject(
                    "SELECT count(*) FROM command_side.idempotency_key WHERE body LIKE ? OR body LIKE '%\"secret\"%'",
                    Long.class, "%" + secret + "%")).as("keys holding a secret").isZero();
        }));
    }

    @Test
    void theReplayOfAProjection_retried_getsThe202OfTheFirst_andStartsOneReplay() {
        String key = newKey();
        long before = replays("members");
        Response answer = first.query("POST", "/v1/admin/projections/members/replay").token(first.operatorToken())
                .header(KEY, key).send().expect(202);

        Response retry = first.query("POST", "/v1/admin/projections/members/replay").token(first.operatorToken())
                .header(KEY, key).send();

        assertSameAnswer(retry, answer);
        assertThat(replays("members")).isEqualTo(before + 1);
        // the same key for another projection is another request
        first.query("POST", "/v1/admin/projections/audit/replay").token(first.operatorToken()).header(KEY, key)
                .send().expectProblem(422, "idempotency-key-reused");
        assertThat(replays("audit")).isZero();
        Eventually.untilAsserted(Duration.ofSeconds(60), () -> {
            JsonNode status = first.query("GET", "/v1/admin/projections/members").token(first.operatorToken())
                    .send().expect(200).json();
            assertThat(status.path("replay").isNull() || status.path("replay").isMissingNode()).as("replaying")
                    .isTrue();
        });
    }

    @Test
    void theSameKeyForAnotherRequest_is422_andChangesNothing_whileTheSameJsonValueInAnotherLayoutIsTheSame() {
        Principal admin = workspaces.fresh("reuse");
        String key = newKey();
        Response answer = first.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, key)
                .rawJson("{\"key\":\"churn\",\"name\":\"Churn\",\"visibility\":\"workspace\"}").send().expect(201);
        long events = events(admin.ws());

        // whitespace and member order do not make another request
        assertSameAnswer(second.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, key)
                .rawJson(" {\"visibility\": \"workspace\",\n \"name\":\"Churn\", \"key\": \"churn\"}  ").send(),
                answer);
        // other values, another field, another path, another method: another request
        for (Api.Request other : List.of(
                first.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, key)
                        .json(Map.of("key", "churn", "name", "Churn!", "visibility", "workspace")),
                second.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, key)
                        .json(Map.of("key", "churn", "name", "Churn", "visibility", "private")),
                first.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, key)
                        .json(Map.of("key", "churn", "name", "Churn")),
                first.command("POST", "/v1/workspaces/" + admin.ws() + "/service-accounts").token(admin.token())
                        .header(KEY, key).json(Map.of("key", "churn", "name", "Churn", "visibility", "workspace")),
                second.command("PATCH", project(admin.ws(), "churn")).token(admin.token()).header(KEY, key)
                        .json(Map.of("name", "Churn")),
                first.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, key))) {
            Response refused = other.send().expectProblem(422, "idempotency-key-reused");
            assertThat(refused.detail()).contains("POST " + projects(admin.ws()));
        }
        assertThat(events(admin.ws())).isEqualTo(events);
        assertSameAnswer(first.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, key)
                .json(Map.of("key", "churn", "name", "Churn", "visibility", "workspace")).send(), answer);
    }

    @Test
    void aMalformedKey_is400_beforeAnythingHappens_whileAnyVisibleAsciiKeyUpTo255IsAccepted() throws Exception {
        Principal admin = workspaces.fresh("bad-key");
        long events = events(admin.ws());
        for (String bad : List.of("a b", "x".repeat(256), "a\"b", "a\\b", "\"\"", "\"abc")) {
            first.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, bad)
                    .json(Map.of("key", "p1", "name", "P1")).send().expectProblem(400, "invalid-idempotency-key");
        }
        // what Java's client will not send: empty and blank values, the header twice, UTF-8
        for (String fields : List.of(KEY + ":\r\n", KEY + ":   \r\n", KEY + ": one\r\n" + KEY + ": two\r\n",
                KEY + ": caf\u00e9\r\n")) {
            String answer = raw("POST " + projects(admin.ws()) + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + admin.token() + "\r\nContent-Type: application/json\r\n" + fields
                    + "Content-Length: 24\r\nConnection: close\r\n\r\n{\"key\":\"p1\",\"name\":\"P1\"}");
            assertThat(answer).as(fields).startsWith("HTTP/1.1 400").contains("invalid-idempotency-key");
        }
        assertThat(events(admin.ws())).isEqualTo(events);

        String longest = "k".repeat(255);
        Response answer = first.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, longest)
                .json(Map.of("key", "p1", "name", "P1")).send().expect(201);
        assertSameAnswer(second.command("POST", projects(admin.ws())).token(admin.token())
                .header(KEY, "\"" + longest + "\"").json(Map.of("key", "p1", "name", "P1")).send(), answer);
        String odd = "!#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~";
        Response oddAnswer = first.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, odd)
                .json(Map.of("key", "p2", "name", "P2")).send().expect(201);
        assertSameAnswer(second.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, odd)
                .json(Map.of("key", "p2", "name", "P2")).send(), oddAnswer);
    }

    @Test
    void keysArePerPrincipal_anotherPrincipalsEqualKeyIsAnotherKey() {
        Principal alice = workspaces.fresh("scope");
        Principal bob = workspaces.user(alice, "bob", "admin");
        Principal bot = workspaces.serviceAccount(alice, "bot");
        Principal otherAlice = workspaces.fresh("scope"); // "alice" of another workspace
        String key = newKey();

        first.command("POST", projects(alice.ws())).token(alice.token()).header(KEY, key)
                .json(Map.of("key", "by-alice", "name", "A")).send().expect(201);
        second.command("POST", projects(alice.ws())).token(bob.token()).header(KEY, key)
                .json(Map.of("key", "by-bob", "name", "B")).send().expect(201);
        first.command("POST", projects(alice.ws())).token(bot.token()).header(KEY, key)
                .json(Map.of("key", "by-bot", "name", "C")).send().expect(201);
        second.command("POST", projects(otherAlice.ws())).token(otherAlice.token()).header(KEY, key)
                .json(Map.of("key", "by-alice", "name", "A")).send().expect(201);
        first.command("POST", "/v1/workspaces").token(first.operatorToken()).header(KEY, key)
                .json(Map.of("id", alice.ws() + "-op", "name", "Op", "admin", Map.of("username", "dan")))
                .send().expect(201);

        // and each is still its owner's: a second token of the same principal replays it
        JsonNode secondToken = first.issueMemberToken(alice.ws(), bob.token(), "bob");
        Response replay = first.command("POST", projects(alice.ws())).token(secondToken.path("secret").asText())
                .header(KEY, key).json(Map.of("key", "by-bob", "name", "B")).send().expect(201);
        assertThat(replay.header(REPLAYED)).isEqualTo("true");
        assertThat(projectsCreated(alice.ws())).isEqualTo(3);
    }

    @Test
    void aRefusedWriteBindsNothing_itsRetryRunsAgain() {
        Principal admin = workspaces.fresh("refused");
        Principal bob = workspaces.user(admin, "bob", "member");
        String key = newKey();
        Write create = new Write(admin.ws(), "POST", serviceAccounts(admin.ws()), bob.token(), Map.of("name", "ci"));
        create.send(first, key).expectProblem(403, "workspace-admin-required");

        first.changeMemberRole(admin.ws(), admin.token(), "bob", "admin");

        assertThat(create.send(second, key).status()).isEqualTo(201);
        create.send(first, key).expectProblem(409, "idempotent-replay-of-secret");
    }

    @Test
    void aRemovedMembersKeysGoWithIt_theUsernameAddedAgainStartsWithoutThem() {
        Principal admin = workspaces.fresh("removed");
        Principal bob = workspaces.user(admin, "bob", "member");
        String key = newKey();
        Write create = new Write(admin.ws(), "POST", projects(admin.ws()), bob.token(),
                Map.of("key", "bobs", "name", "Bob's"));
        Response answer = create.send(first, key).expect(201);
        assertSameAnswer(create.send(second, key), answer);
        first.removeMember(admin.ws(), admin.token(), "bob");
        Principal newBob = workspaces.user(admin, "bob", "member");

        // not the earlier member's answer: the request runs, and the project is there already
        new Write(admin.ws(), "POST", projects(admin.ws()), newBob.token(), Map.of("key", "bobs", "name", "Bob's"))
                .send(second, key).expectProblem(409, "project-exists");
    }

    @Test
    void authenticationComesFirst_aRevokedTokenGetsNoReplay() {
        Principal admin = workspaces.fresh("auth-first");
        Principal bob = workspaces.user(admin, "bob", "member");
        String key = newKey();
        Write create = new Write(admin.ws(), "POST", projects(admin.ws()), bob.token(),
                Map.of("key", "bb", "name", "B"));
        Response answer = create.send(first, key).expect(201);
        assertSameAnswer(create.send(second, key), answer);
        first.revokeMemberToken(admin.ws(), admin.token(), "bob", bob.tokenId());

        create.send(second, key).expectProblem(401, "unauthenticated");
        new Write(admin.ws(), "POST", projects(admin.ws()), null, Map.of("key", "bb", "name", "B"))
                .send(second, key).expectProblem(401, "unauthenticated");
    }

    /**
     * On a node that keeps keys 5 s and sweeps every 300 ms (its sweep would delete other tests' keys too): the
     * retry right after the first answer must come within the retention however slowly a loaded machine answers
     * (2 s left little margin), then the key must go.
     */
    @Test
    void keysExpire_theSweepDeletesThem_andTheKeyIsFreeAgain() {
        Principal admin = workspaces.fresh("expiry");
        String key = newKey();
        try (ConfigurableApplicationContext node = RunningSystem.startCommandSide(system.database(),
                "--svcaccounts.idempotency.retention=5s", "--svcaccounts.idempotency.sweep-interval=300ms")) {
            Api shortMemory = new Api(RunningSystem.baseUrl(node), system.queryUrl(), first.operatorToken());
            Write create = new Write(admin.ws(), "POST", projects(admin.ws()), admin.token(),
                    Map.of("key", "aa", "name", "A"));
            Response answer = create.send(shortMemory, key).expect(201);
            assertSameAnswer(create.send(shortMemory, key), answer);

            Eventually.untilAsserted(Duration.ofSeconds(30), () -> assertThat(keyRows(key)).as("swept").isZero());

            new Write(admin.ws(), "POST", projects(admin.ws()), admin.token(), Map.of("key", "bb", "name", "B"))
                    .send(shortMemory, key).expect(201);
        }
    }

    @Test
    void aKeyOlderThan24Hours_isNotReplayed_andIsTakenByItsNextUse() {
        Principal admin = workspaces.fresh("expired");
        String key = newKey();
        Write create = new Write(admin.ws(), "POST", projects(admin.ws()), admin.token(),
                Map.of("key", "aa", "name", "A"));
        create.send(first, key).expect(201);
        system.database().jdbc().update("UPDATE command_side.idempotency_key SET created_at = created_at "
                + "- interval '24 hours 1 second' WHERE idempotency_key = ?", key);

        // carried out again: the project is there already
        create.send(second, key).expectProblem(409, "project-exists");
        Response other = new Write(admin.ws(), "POST", projects(admin.ws()), admin.token(),
                Map.of("key", "bb", "name", "B")).send(first, key).expect(201);
        assertSameAnswer(new Write(admin.ws(), "POST", projects(admin.ws()), admin.token(),
                Map.of("key", "bb", "name", "B")).send(second, key), other);
        assertThat(keyRows(key)).isEqualTo(1);
    }

    @Test
    void readsAndIntrospectionIgnoreTheHeader_theirKeyIsStillFreeForAWrite() {
        Principal admin = workspaces.fresh("reads");
        first.query("GET", members(admin.ws())).token(admin.token()).header(KEY, "not a key").send().expect(200);
        first.query("POST", "/v1/introspect").token(first.operatorToken()).header(KEY, "not a key")
                .form(Map.of("token", admin.token())).send().expect(200);
        Response introspected = first.query("POST", "/v1/introspect").token(first.operatorToken()).header(KEY, "same")
                .form(Map.of("token", admin.token())).send().expect(200);
        assertThat(introspected.header(REPLAYED)).isNull();
        assertThat(first.query("POST", "/v1/introspect").token(first.operatorToken()).header(KEY, "same")
                .form(Map.of("token", "usrtok_unknown")).send().expect(200).json().path("active").asBoolean())
                .isFalse();

        Write write = new Write(admin.ws(), "POST", "/v1/workspaces", first.operatorToken(),
                Map.of("id", admin.ws() + "-2", "name", "Two", "admin", Map.of("username", "alice")));
        write.send(first, "same").expect(201);
        write.send(second, "same").expectProblem(409, "idempotent-replay-of-secret");
    }

    @Test
    void theApiDocumentsShowTheHeaderOnEveryWriteAndOnNoRead() {
        JsonNode commandDocument = first.command("GET", "/v3/api-docs").send().expect(200).json();
        JsonNode queryDocument = first.query("GET", "/v3/api-docs").send().expect(200).json();
        List<String> keyedCommands = keyedOperations(commandDocument);
        JsonNode command = commandDocument.path("paths");
        assertThat(keyedCommands).contains("post /v1/workspaces",
                "delete /v1/workspaces/{ws}/service-accounts/{id}/tokens/{tokenId}",
                "put /v1/workspaces/{ws}/projects/{key}/members/{username}",
                "patch /v1/workspaces/{ws}/members/{username}");
        assertThat(keyedCommands).allSatisfy(operation -> assertThat(operation).doesNotStartWith("get "));
        assertThat(keyedOperations(queryDocument)).containsExactlyInAnyOrder(
                "post /v1/admin/projections/{name}/replay", "post /v1/admin/audit/verify");
        // answering through ResponseEntity did not change the documented statuses
        assertThat(command.path("/v1/workspaces").path("post").path("responses").has("201")).isTrue();
        assertThat(command.path("/v1/workspaces/{ws}/members/{username}/tokens/{tokenId}").path("delete")
                .path("responses").has("204")).isTrue();
    }

    /** The operations documenting the header, inline or as a reference to a shared parameter. */
    private static List<String> keyedOperations(JsonNode document) {
        List<String> keyed = new java.util.ArrayList<>();
        JsonNode paths = document.path("paths");
        paths.fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            for (JsonNode declared : operation.getValue().path("parameters")) {
                String ref = declared.path("$ref").asText("");
                JsonNode parameter = ref.startsWith("#/components/parameters/")
                        ? document.path("components").path("parameters").path(ref.substring(24)) : declared;
                if (parameter.path("in").asText().equals("header") && parameter.path("name").asText().equals(KEY)) {
                    keyed.add(operation.getKey() + " " + path.getKey());
                }
            }
        }));
        return keyed;
    }

    @Test
    void aKeyedBodyAbove64KiB_is413() {
        Principal admin = workspaces.fresh("large");
        first.command("POST", projects(admin.ws())).token(admin.token()).header(KEY, newKey())
                .rawJson("{\"key\":\"big\",\"name\":\"" + "x".repeat(70_000) + "\"}").send()
                .expectProblem(413, "request-too-large");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Sends a request exactly as written and returns the whole answer. */
    private static String raw(String request) throws Exception {
        URI command = URI.create(system.commandUrl());
        try (Socket socket = new Socket(command.getHost(), command.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String newKey() {
        return UUID.randomUUID().toString();
    }

    /** The same status, Location and body (byte for byte) as the first answer, marked as a replay. */
    static void assertSameAnswer(Response retry, Response first) {
        assertThat(retry.status()).as(retry.toString()).isEqualTo(first.status());
        assertThat(retry.header(REPLAYED)).as("replayed").isEqualTo("true");
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(retry.body()).isEqualTo(first.body());
    }

    /** The token (with its secret) in an answer: the answer itself (token issue) or its {@code token}. */
    private static JsonNode issuedToken(JsonNode answer) {
        return answer.has("secret") ? answer : answer.path("token");
    }

    private static long events(String ws) {
        return system.database().jdbc().queryForObject(
                "SELECT count(*) FROM command_side.domain_event_entry WHERE aggregate_identifier = ?", Long.class, ws);
    }

    private static long projectsCreated(String ws) {
        return system.database().jdbc().queryForObject("SELECT count(*) FROM command_side.domain_event_entry "
                + "WHERE aggregate_identifier = ? AND payload_type LIKE '%ProjectCreatedEvent'", Long.class, ws);
    }

    private static long tokenCount(String ws) {
        return system.database().jdbc().queryForObject(
                "SELECT count(*) FROM command_side.auth_token WHERE workspace_id = ?", Long.class, ws);
    }

    private static long keyRows(String key) {
        return system.database().jdbc().queryForObject(
                "SELECT count(*) FROM command_side.idempotency_key WHERE idempotency_key = ?", Long.class, key);
    }

    private static long replays(String group) {
        return system.database().jdbc().queryForObject(
                "SELECT count(*) FROM query_side.projection_replay WHERE processing_group = ?", Long.class, group);
    }
}
