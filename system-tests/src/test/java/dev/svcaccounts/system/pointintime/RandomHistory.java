package dev.svcaccounts.system.pointintime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Response;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One workspace driven by random commands, valid and invalid, from several principals: its admin {@code root}
 * (never demoted nor removed while another admin exists: it is who reads the answers), other users, service
 * accounts, with tokens that still work and tokens that no longer do. The generator knows only which names, ids
 * and tokens it has seen; whether a command is allowed is for the product to say, and the answer is recorded.
 * Everything random comes from the seed; the history printed names service accounts {@code sa1}, {@code sa2}...
 */
public final class RandomHistory {

    /** Who reads every answer: the workspace's first admin. */
    public static final String ROOT = "root";

    private static final List<String> USERNAMES = List.of("bob", "carol", "dave", "erin");
    /** Names differing only in case collide: the second is refused 409. */
    private static final List<String> ACCOUNT_NAMES = List.of("ci", "etl", "CI", "trainer", "sync");
    /** Few keys, so that a deleted project's key is soon used again. */
    public static final List<String> PROJECT_KEYS = List.of("ml", "cv", "nlp");
    /** The keys whose access listing is read: those, and one no command names (404 all along). */
    public static final List<String> PROJECT_KEYS_READ = List.of("ml", "cv", "nlp", "never");
    private static final List<String> ROLES = List.of("viewer", "contributor", "owner");
    private static final List<String> VISIBILITIES = List.of("private", "workspace", "public");
    /** Service accounts created at most per history: every one is read at every step. */
    private static final int MAX_ACCOUNTS = 6;

    private final Api api;
    private final String ws;
    private final Random random;
    private final String rootToken;
    /** A service account id no command ever creates: both answers must be 404 all along. */
    private final String neverAnAccount;
    private final List<String> accounts = new ArrayList<>();
    private final Set<String> deleted = new HashSet<>();
    private final Map<String, List<String>> accountSecrets = new LinkedHashMap<>();
    private final Map<String, List<String>> accountTokenIds = new LinkedHashMap<>();
    private final Map<String, List<String>> userSecrets = new LinkedHashMap<>();
    private final Map<String, List<String>> userTokenIds = new LinkedHashMap<>();
    private final Map<String, List<String>> ruleIds = new LinkedHashMap<>();
    /** Every token id issued, in order, to name them in the printed history. */
    private final List<String> tokenIds = new ArrayList<>();
    /** The projects that exist, as the accepted commands left them. */
    private final Set<String> projects = new TreeSet<>();
    /** The workspace role of every current member but root, as the accepted commands left it. */
    private final Map<String, String> roles = new LinkedHashMap<>();
    /** Every expiry ever asked for: a moment must not straddle one (a token's status changes by the clock). */
    private final List<Instant> expiries = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    /** How often each answer came: {@code 201}, {@code 403 workspace-admin-required}... */
    private final Map<String, Integer> answers = new TreeMap<>();
    private int attempts;
    private int accepted;

    public RandomHistory(Api api, String ws, long seed) {
        this.api = api;
        this.ws = ws;
        this.random = new Random(seed);
        this.neverAnAccount = new UUID(random.nextLong(), random.nextLong()).toString();
        this.rootToken = api.createWorkspace(ws, ROOT).path("token").path("secret").asText();
        log.add("operator: POST /v1/workspaces {id=" + ws + ", admin=" + ROOT + "} -> 201");
    }

    public String ws() {
        return ws;
    }

    public String rootToken() {
        return rootToken;
    }

    /** Every service account id there ever was, and one that never was. */
    public List<String> accountIds() {
        List<String> ids = new ArrayList<>(accounts);
        ids.add(neverAnAccount);
        return ids;
    }

    public List<Instant> expiries() {
        return List.copyOf(expiries);
    }

    /** The commands so far, one a line, each with its answer. */
    public List<String> log() {
        return List.copyOf(log);
    }

    public Map<String, Integer> answers() {
        return Map.copyOf(answers);
    }

    public int attempts() {
        return attempts;
    }

    public int accepted() {
        return accepted;
    }

    /** One random command, sent and answered. */
    public void step() {
        Actor actor = actor();
        int pick = random.nextInt(100);
        if (pick < 8) {
            createAccount(actor);
        } else if (pick < 13) {
            updateAccount(actor);
        } else if (pick < 18) {
            send(actor, "POST", account() + "/deactivate",
                    random.nextBoolean() ? body("reason", "step " + attempts) : null, null);
        } else if (pick < 23) {
            send(actor, "POST", account() + "/reactivate", null, json -> keepAccountToken(json.path("id").asText(),
                    json.path("token")));
        } else if (pick < 26) {
            String id = accountId();
            send(actor, "DELETE", "/service-accounts/" + id, null, json -> deleted.add(id));
        } else if (pick < 34) {
            issueAccountToken(actor);
        } else if (pick < 37) {
            revokeAccountToken(actor);
        } else if (pick < 39) {
            rotateAccountToken(actor);
        } else if (pick < 45) {
            addMember(actor);
        } else if (pick < 50) {
            changeMemberRole(actor);
        } else if (pick < 53) {
            String username = memberTarget();
            send(actor, "DELETE", "/members/" + username, null, json -> roles.remove(username));
        } else if (pick < 56) {
            memberToken(actor);
        } else if (pick < 64) {
            createProject(actor);
        } else if (pick < 71) {
            updateProject(actor);
        } else if (pick < 74) {
            String key = projectKey();
            send(actor, "DELETE", "/projects/" + key, null, json -> projects.remove(key));
        } else if (pick < 84) {
            send(actor, "PUT", "/projects/" + projectKey() + "/service-accounts/" + accountId(),
                    body("role", projectRole()), null);
        } else if (pick < 88) {
            send(actor, "DELETE", "/projects/" + projectKey() + "/service-accounts/" + accountId(), null, null);
        } else if (pick < 93) {
            send(actor, "PUT", "/projects/" + projectKey() + "/members/" + username(),
                    body("role", projectRole()), null);
        } else if (pick < 96) {
            federationRule(actor);
        } else if (pick < 98) {
            send(actor, "DELETE", "/projects/" + projectKey() + "/members/" + username(), null, null);
        } else {
            setTokenPolicy(actor);
        }
    }

    /**
     * A credential policy, enforced or not. Its maximum lifetime is at least a day and every token here is minutes
     * old, so enforcing it only brings expiries forward to days from now: no token of the history stops.
     */
    private void setTokenPolicy(Actor actor) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            body.put("maxLifetimeDays", pick(List.of(1, 30, 365)));
        }
        if (random.nextInt(4) == 0) {
            body.put("requireExpiry", true);
        }
        if (random.nextBoolean()) {
            body.put("maxIdleDays", pick(List.of(7, 90)));
        }
        if (random.nextBoolean()) {
            body.put("enforce", true);
        }
        send(actor, "PUT", "/policies/tokens", body, null);
    }

    // ------------------------------------------------------------------ the commands

    /** Adds a rule (few subjects, so that some are duplicates), or deletes one, known or not. */
    private void federationRule(Actor actor) {
        String id = accountId();
        if (random.nextInt(3) > 0) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("issuer", "https://token.actions.githubusercontent.com");
            rule.put("jwksUri", "https://token.actions.githubusercontent.com/.well-known/jwks");
            rule.put("audience", "https://github.com/acme");
            rule.put("subject", pick(List.of("repo:acme/train:*", "repo:acme/eval:ref:refs/heads/main")));
            if (random.nextBoolean()) {
                rule.put("claims", Map.of("environment", pick(List.of("prod", "staging"))));
            }
            send(actor, "POST", "/service-accounts/" + id + "/federation-rules", rule,
                    json -> ruleIds.computeIfAbsent(id, a -> new ArrayList<>()).add(json.path("ruleId").asText()));
        } else {
            String ruleId = random.nextInt(10) < 8 ? pick(ruleIds.getOrDefault(id, List.of()))
                    : UUID.randomUUID().toString();
            send(actor, "DELETE", "/service-accounts/" + id + "/federation-rules/"
                    + (ruleId == null ? UUID.randomUUID() : ruleId), null, json -> ruleIds.get(id).remove(ruleId));
        }
    }

    private void createAccount(Actor actor) {
        if (accounts.size() >= MAX_ACCOUNTS) {
            updateAccount(actor);
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", pick(ACCOUNT_NAMES));
        if (random.nextBoolean()) {
            body.put("description", "made at step " + attempts);
        }
        send(actor, "POST", "/service-accounts", body, json -> {
            String id = json.path("id").asText();
            accounts.add(id);
            keepAccountToken(id, json.path("token"));
        });
    }

    private void updateAccount(Actor actor) {
        Map<String, Object> changes = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            changes.put("name", pick(ACCOUNT_NAMES) + (random.nextBoolean() ? "" : "-" + random.nextInt(3)));
        }
        if (random.nextBoolean()) {
            changes.put("description", random.nextInt(4) == 0 ? "" : "changed at step " + attempts);
        }
        send(actor, "PATCH", account(), changes, null);
    }

    private void issueAccountToken(Actor actor) {
        String id = accountId();
        Map<String, Object> body = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            body.put("description", "token of step " + attempts);
        }
        Instant expiry = expiry();
        if (expiry != null) {
            body.put("expiresAt", expiry.toString());
            expiries.add(expiry);
        }
        send(actor, "POST", "/service-accounts/" + id + "/tokens", body, json -> keepAccountToken(id, json));
    }

    private void revokeAccountToken(Actor actor) {
        String id = accountId();
        int choice = random.nextInt(10);
        String tokenId = choice < 7 ? pick(accountTokenIds.getOrDefault(id, List.of()))
                : choice < 9 ? pick(accountTokenIds.values().stream().flatMap(List::stream).toList())
                : UUID.randomUUID().toString();
        send(actor, "DELETE", "/service-accounts/" + id + "/tokens/" + (tokenId == null ? "none" : tokenId),
                null, null);
    }

    /** A rotation: the old token's expiry moves to the end of its overlap, the successor keeps its lifetime. */
    private void rotateAccountToken(Actor actor) {
        String id = accountId();
        String tokenId = random.nextInt(10) < 8 ? pick(accountTokenIds.getOrDefault(id, List.of()))
                : UUID.randomUUID().toString();
        long overlap = List.of(0L, 1L, 2L, 3L, 3600L, 86_401L).get(random.nextInt(6));
        send(actor, "POST", "/service-accounts/" + id + "/tokens/" + (tokenId == null ? "none" : tokenId)
                + "/rotate", Map.of("overlapSeconds", overlap), json -> {
                    keepAccountToken(id, json);
                    expiries.add(Instant.parse(json.path("rotatedFromExpiresAt").asText()));
                    if (json.hasNonNull("expiresAt")) {
                        expiries.add(Instant.parse(json.path("expiresAt").asText()));
                    }
                });
    }

    private void addMember(Actor actor) {
        String username = newMember();
        String role = workspaceRole();
        send(actor, "POST", "/members", body("username", username, "role", role), json -> {
            roles.put(username, role);
            keep(userSecrets, userTokenIds, username, json.path("token"));
        });
    }

    private void changeMemberRole(Actor actor) {
        String username = memberTarget();
        String role = workspaceRole();
        // root, the last admin, may be "changed" to admin: roles holds the others' only
        send(actor, "PATCH", "/members/" + username, body("role", role), json -> {
            if (!username.equals(ROOT)) {
                roles.put(username, role);
            }
        });
    }

    private void memberToken(Actor actor) {
        String username = username();
        if (random.nextBoolean()) {
            send(actor, "POST", "/members/" + username + "/tokens", body(),
                    json -> keep(userSecrets, userTokenIds, username, json));
        } else {
            String tokenId = pick(userTokenIds.getOrDefault(username, List.of()));
            send(actor, "DELETE", "/members/" + username + "/tokens/" + (tokenId == null ? "none" : tokenId),
                    null, null);
        }
    }

    private void createProject(Actor actor) {
        List<String> free = PROJECT_KEYS.stream().filter(key -> !projects.contains(key)).toList();
        String key = free.isEmpty() || random.nextInt(5) == 0 ? pick(PROJECT_KEYS) : pick(free);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("name", "Project " + attempts);
        if (random.nextInt(4) > 0) {
            body.put("visibility", pick(VISIBILITIES));
        }
        send(actor, "POST", "/projects", body, json -> projects.add(key));
    }

    private void updateProject(Actor actor) {
        Map<String, Object> changes = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            changes.put("name", "Renamed " + attempts);
        }
        if (random.nextInt(3) > 0) {
            changes.put("visibility", pick(VISIBILITIES));
        }
        send(actor, "PATCH", "/projects/" + projectKey(), changes, null);
    }

    // ------------------------------------------------------------------ random choices

    /**
     * Who sends the next command: mostly root, then other users and service accounts, mostly with the newest token
     * of a current member or an account not deleted, now and then with any token they ever had.
     */
    private Actor actor() {
        int choice = random.nextInt(100);
        boolean anyToken = random.nextInt(5) == 0;
        if (choice < 20 && !userSecrets.isEmpty()) {
            List<String> current = userSecrets.keySet().stream().filter(roles::containsKey).toList();
            String username = anyToken || current.isEmpty() ? pick(List.copyOf(userSecrets.keySet())) : pick(current);
            return new Actor(username, token(userSecrets.get(username), anyToken));
        }
        if (choice < 35 && !accountSecrets.isEmpty()) {
            List<String> kept = accountSecrets.keySet().stream().filter(id -> !deleted.contains(id)).toList();
            String id = anyToken || kept.isEmpty() ? pick(List.copyOf(accountSecrets.keySet())) : pick(kept);
            return new Actor(alias(id), token(accountSecrets.get(id), anyToken));
        }
        return new Actor(ROOT, rootToken);
    }

    private String token(List<String> secrets, boolean any) {
        return any ? pick(secrets) : secrets.get(secrets.size() - 1);
    }

    /** Mostly a service account not deleted, then any known one, now and then one that never was (404). */
    private String accountId() {
        List<String> kept = accounts.stream().filter(id -> !deleted.contains(id)).toList();
        int choice = random.nextInt(20);
        if (accounts.isEmpty() || choice == 0) {
            return neverAnAccount;
        }
        return kept.isEmpty() || choice < 4 ? pick(accounts) : pick(kept);
    }

    private String account() {
        return "/service-accounts/" + accountId();
    }

    /** Mostly a member (root included), then anyone: users who never were, who left, and now and then "operator". */
    private String username() {
        int choice = random.nextInt(40);
        if (choice == 0) {
            return "operator";
        }
        List<String> members = new ArrayList<>(roles.keySet());
        members.add(ROOT);
        return choice < 30 ? pick(members) : pick(USERNAMES);
    }

    /** Mostly someone who is no member (yet or any more). */
    private String newMember() {
        List<String> others = USERNAMES.stream().filter(username -> !roles.containsKey(username)).toList();
        return others.isEmpty() || random.nextInt(4) == 0 ? username() : pick(others);
    }

    /**
     * Whom a member's role change or removal targets: now and then root, but only while it is the last admin, so
     * that the refusal is tried and root keeps reading.
     */
    private String memberTarget() {
        boolean rootIsTheLastAdmin = !roles.containsValue("admin");
        if (rootIsTheLastAdmin && random.nextInt(12) == 0) {
            return ROOT;
        }
        return roles.isEmpty() || random.nextInt(5) == 0 ? pick(USERNAMES) : pick(List.copyOf(roles.keySet()));
    }

    private String workspaceRole() {
        return random.nextInt(30) == 0 ? "owner" : random.nextInt(3) == 0 ? "admin" : "member";
    }

    private String projectRole() {
        return random.nextInt(30) == 0 ? "admin" : pick(ROLES);
    }

    /** Mostly a project that exists; now and then any key. */
    private String projectKey() {
        return projects.isEmpty() || random.nextInt(5) == 0 ? pick(PROJECT_KEYS) : pick(List.copyOf(projects));
    }

    /**
     * None, far ahead, seconds ahead (so that tokens expire while the history goes on), or refused: in the past
     * or beyond year 9999.
     */
    private Instant expiry() {
        int choice = random.nextInt(20);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (choice < 8) {
            return null;
        }
        if (choice < 13) {
            return now.plus(Duration.ofDays(1 + random.nextInt(30)));
        }
        if (choice < 18) {
            return now.plusMillis(1_000 + random.nextInt(4_000));
        }
        return choice == 18 ? now.minusSeconds(3600) : Instant.parse("9999-12-31T23:59:59.500Z");
    }

    private <T> T pick(List<T> values) {
        return values.isEmpty() ? null : values.get(random.nextInt(values.size()));
    }

    // ------------------------------------------------------------------ sending and remembering

    private record Actor(String name, String token) {
    }

    /** A JSON body of these names and values, in this order (so that the printed history is the same each run). */
    private static Map<String, Object> body(String... namesAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            body.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return body;
    }

    private void send(Actor actor, String method, String path, Map<String, Object> body,
                      Consumer<JsonNode> onSuccess) {
        attempts++;
        Api.Request request = api.command(method, "/v1/workspaces/" + ws + path).token(actor.token());
        if (body != null) {
            request.json(body);
        }
        Response response = request.send();
        String answer = response.status() >= 400 ? response.status() + " " + response.problemCode()
                : String.valueOf(response.status());
        answers.merge(answer, 1, Integer::sum);
        log.add(actor.name() + ": " + method + " " + alias(path)
                + (body == null ? "" : " " + alias(body.toString())) + " -> " + answer);
        if (response.status() >= 500) {
            throw new AssertionError("a 5xx in " + ws + ": " + response);
        }
        if (response.status() < 300) {
            accepted++;
            if (onSuccess != null) {
                onSuccess.accept(response.json());
            }
        }
    }

    private void keepAccountToken(String accountId, JsonNode token) {
        keep(accountSecrets, accountTokenIds, accountId, token);
    }

    private void keep(Map<String, List<String>> secrets, Map<String, List<String>> ids, String owner,
                             JsonNode token) {
        if (token.hasNonNull("secret")) {
            secrets.computeIfAbsent(owner, o -> new ArrayList<>()).add(token.path("secret").asText());
            ids.computeIfAbsent(owner, o -> new ArrayList<>()).add(token.path("id").asText());
            tokenIds.add(token.path("id").asText());
        }
    }

    /**
     * {@code text} with paths relative to the workspace, service account ids as {@code sa1}, {@code sa2}... in the
     * order of creation ({@code sa0} for the one never created), and token ids as {@code t1}, {@code t2}...
     */
    public String alias(String text) {
        String aliased = text.replace(neverAnAccount, "sa0").replace("/v1/workspaces/" + ws, "");
        for (int i = 0; i < accounts.size(); i++) {
            aliased = aliased.replace(accounts.get(i), "sa" + (i + 1));
        }
        for (int i = 0; i < tokenIds.size(); i++) {
            aliased = aliased.replace(tokenIds.get(i), "t" + (i + 1));
        }
        return aliased;
    }
}
