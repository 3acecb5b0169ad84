package dev.svcaccounts.system.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.events.TokenSecret;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Workspaces;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real state the fuzzer attacks: a workspace with an admin, a member, a service account that acts, victims
 * to act on (an account with an extra token, a user with an extra token, a project with assignments), a revoked
 * token, and a second workspace with its own admin, account, user and project. Every value a request may use is
 * named ({@code WS}, {@code ADMIN}, {@code OTHER_SA}...): requests refer to {@code {{NAME}}}, and {@link #script}
 * sets the same names as shell variables, so that a printed curl command replays against {@code ./run.sh}.
 *
 * <p>The principals that act are never targets: a successful fuzzed write can delete a victim, but only by
 * chance disable an actor; {@link #intact} notices that, and the fuzzer then seeds afresh.
 */
public final class FuzzSeed {

    public static final String ADMIN = "ADMIN";
    public static final String MEMBER = "MEMBER";
    public static final String SERVICE_ACCOUNT = "SA_TOKEN";
    public static final String OPERATOR = "OPERATOR";
    public static final String OTHER_ADMIN = "OTHER_ADMIN";
    public static final String REVOKED = "REVOKED";
    /** A well-formed token that no one was ever issued. */
    public static final String UNKNOWN = "UNKNOWN_TOKEN";
    /** No Authorization header at all. */
    public static final String NONE = "NONE";

    /** Who requests are sent as, most often first. */
    public static final List<String> PRINCIPALS = List.of(ADMIN, MEMBER, SERVICE_ACCOUNT, OPERATOR, OTHER_ADMIN,
            REVOKED, UNKNOWN, NONE);
    /** Principals no request may succeed with. */
    public static final List<String> NOT_AUTHENTICATED = List.of(REVOKED, UNKNOWN, NONE);

    public static final String VICTIM_USER = "carol";
    /** A number new at every send: names and ids a create takes, so that sending a case again does not collide. */
    public static final String UNIQUE = "UNIQUE";

    private final Api api;
    private final Workspaces workspaces;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> tokenIds = new LinkedHashMap<>();
    private int generation;
    private long sends;

    public FuzzSeed(Api api) {
        this.api = api;
        this.workspaces = new Workspaces(api);
    }

    /** {@code {{NAME}}}: how a request refers to a seeded value. */
    public static String ref(String name) {
        return "{{" + name + "}}";
    }

    /** Seeds a fresh pair of workspaces; the names then refer to them. */
    public void plant() {
        generation++;
        values.clear();
        tokenIds.clear();
        String ws = workspaces.unique("fuzz");
        Principal admin = workspaces.create(ws, "alice");
        Principal member = workspaces.user(admin, "bob", "member");
        Principal victimUser = workspaces.user(admin, VICTIM_USER, "member");
        JsonNode victimUserToken = api.issueMemberToken(ws, admin.token(), VICTIM_USER);
        Principal actor = workspaces.serviceAccount(admin, "fuzz-actor");
        Principal victim = workspaces.serviceAccount(admin, "fuzz-victim");
        JsonNode victimToken = api.issueToken(ws, admin.token(), victim.id());
        Principal revoked = workspaces.serviceAccount(admin, "fuzz-revoked");
        api.revokeToken(ws, admin.token(), revoked.id(), revoked.tokenId());
        api.createProject(ws, admin.token(), "alpha", "private");
        api.createProject(ws, actor.token(), "beta", "workspace");
        api.assignServiceAccount(ws, admin.token(), "alpha", victim.id(), "viewer");
        api.assignMember(ws, admin.token(), "alpha", member.id(), "contributor");

        Principal otherAdmin = workspaces.create(ws + "-other", "dave");
        Principal otherUser = workspaces.user(otherAdmin, "erin", "member");
        Principal otherAccount = workspaces.serviceAccount(otherAdmin, "other-account");
        api.createProject(otherAdmin.ws(), otherAdmin.token(), "gamma", "workspace");

        values.put(ADMIN, admin.token());
        values.put(MEMBER, member.token());
        values.put(SERVICE_ACCOUNT, actor.token());
        values.put(OPERATOR, api.operatorToken());
        values.put(OTHER_ADMIN, otherAdmin.token());
        values.put(REVOKED, revoked.token());
        values.put(UNKNOWN, TokenSecret.generate(TokenSecret.SERVICE_ACCOUNT_PREFIX));
        values.put("WS", ws);
        values.put("OTHER_WS", otherAdmin.ws());
        values.put("SA", victim.id());
        values.put("OTHER_SA", otherAccount.id());
        values.put("USER", VICTIM_USER);
        values.put("OTHER_USER", otherUser.id());
        values.put("PROJECT", "alpha");
        values.put("OTHER_PROJECT", "gamma");
        values.put("TOKEN", victimToken.path("id").asText());
        values.put("USER_TOKEN", victimUserToken.path("id").asText());
        values.put("OTHER_TOKEN", otherAccount.tokenId());
        tokenIds.put(ADMIN, admin.tokenId());
        tokenIds.put(MEMBER, member.tokenId());
        tokenIds.put(SERVICE_ACCOUNT, actor.tokenId());
        tokenIds.put(OTHER_ADMIN, otherAdmin.tokenId());
    }

    /** Every name and its current value (tokens included: never print this), with a new {@link #UNIQUE}. */
    public Map<String, String> valuesForNextSend() {
        Map<String, String> next = new LinkedHashMap<>(values);
        next.put(UNIQUE, String.valueOf(++sends));
        return next;
    }

    /** {@code text} as a validator would see it once sent: {@code {{UNIQUE}}} stands for a number. */
    public static String sample(String text) {
        return text.replace(ref(UNIQUE), "1");
    }

    /** How many times the state was planted (1 for the first). */
    public int generation() {
        return generation;
    }

    /** The workspace a principal belongs to, as a name ({@code WS} or {@code OTHER_WS}); null for the operator. */
    public static String workspaceOf(String principal) {
        return switch (principal) {
            case OTHER_ADMIN -> "OTHER_WS";
            case OPERATOR, UNKNOWN, NONE -> null;
            default -> "WS";
        };
    }

    /**
     * Do the acting principals still work as planted (tokens unrevoked, accounts active, admins still admins)?
     * A fuzzed request that succeeded may have changed that, by chance.
     */
    public boolean intact(JdbcTemplate jdbc) {
        Integer working = jdbc.queryForObject("""
                SELECT count(*) FROM command_side.auth_token t
                  JOIN command_side.auth_principal p ON p.workspace_id = t.workspace_id
                   AND p.principal_type = t.principal_type AND p.principal_id = t.principal_id
                 WHERE t.token_id IN (?, ?, ?, ?) AND t.revoked_at IS NULL AND p.active
                   AND (t.token_id NOT IN (?, ?) OR upper(p.workspace_role) = 'ADMIN')
                   AND (t.token_id <> ? OR upper(p.workspace_role) = 'MEMBER')
                """, Integer.class, tokenIds.get(ADMIN), tokenIds.get(MEMBER), tokenIds.get(SERVICE_ACCOUNT),
                tokenIds.get(OTHER_ADMIN), tokenIds.get(ADMIN), tokenIds.get(OTHER_ADMIN), tokenIds.get(MEMBER));
        return working != null && working == 4;
    }

    /**
     * A bash script that plants the same state in a running system (say {@code ./run.sh}) and sets the shell
     * variables the printed curl commands use. To be sourced: {@code . seed.sh}. {@code UNKNOWN_TOKEN} is this run's
     * well-formed token that was never issued (no secret).
     */
    public String script() {
        return """
                # Plants what OpenApiFuzzIT attacks, in a running system, and sets the variables its curl commands use.
                # Usage, with ./run.sh running, from the repository root (variables set first, not as prefixes):
                #   OPERATOR=$(cat data/operator-token); . system-tests/target/fuzz/seed.sh
                COMMAND=${COMMAND:-http://localhost:8080}; QUERY=${QUERY:-http://localhost:8081}
                WS=${WS:-fuzz-$RANDOM}; OTHER_WS=$WS-other
                : "${OPERATOR:?set OPERATOR to the operator credential}"
                _post() { curl -sS -X "${4:-POST}" "$COMMAND$1" -H "Authorization: Bearer $2" \\
                            -H 'Content-Type: application/json' --data-binary "${3:-{\\}}"; }
                _secret() { sed -n 's/.*"secret":"\\([^"]*\\)".*/\\1/p'; }
                _id() { sed -n 's/^{"id":"\\([^"]*\\)".*/\\1/p'; }
                _token_id() { sed -n 's/.*"token":{"id":"\\([^"]*\\)".*/\\1/p'; }
                ADMIN=$(_post /v1/workspaces "$OPERATOR" '{"id":"'$WS'","name":"Fuzz","admin":{"username":"alice"}}' \\
                        | _secret)
                MEMBER=$(_post /v1/workspaces/$WS/members "$ADMIN" '{"username":"bob","role":"member"}' | _secret)
                _post /v1/workspaces/$WS/members "$ADMIN" '{"username":"carol","role":"member"}' >/dev/null
                USER=carol
                USER_TOKEN=$(_post /v1/workspaces/$WS/members/carol/tokens "$ADMIN" | _id)
                ACTOR_JSON=$(_post /v1/workspaces/$WS/service-accounts "$ADMIN" '{"name":"fuzz-actor"}')
                SA_TOKEN=$(printf '%s' "$ACTOR_JSON" | _secret)
                SA=$(_post /v1/workspaces/$WS/service-accounts "$ADMIN" '{"name":"fuzz-victim"}' | _id)
                TOKEN=$(_post /v1/workspaces/$WS/service-accounts/$SA/tokens "$ADMIN" | _id)
                REVOKED_JSON=$(_post /v1/workspaces/$WS/service-accounts "$ADMIN" '{"name":"fuzz-revoked"}')
                REVOKED=$(printf '%s' "$REVOKED_JSON" | _secret)
                _post "/v1/workspaces/$WS/service-accounts/$(printf '%s' "$REVOKED_JSON" | _id)/tokens/$(printf '%s' \\
                      "$REVOKED_JSON" | _token_id)" "$ADMIN" '' DELETE >/dev/null
                _post /v1/workspaces/$WS/projects "$ADMIN" '{"key":"alpha","name":"Alpha","visibility":"private"}' \\
                      >/dev/null
                _post /v1/workspaces/$WS/projects "$SA_TOKEN" '{"key":"beta","name":"Beta","visibility":"workspace"}' \\
                      >/dev/null
                _post /v1/workspaces/$WS/projects/alpha/service-accounts/$SA "$ADMIN" '{"role":"viewer"}' PUT >/dev/null
                _post /v1/workspaces/$WS/projects/alpha/members/bob "$ADMIN" '{"role":"contributor"}' PUT >/dev/null
                PROJECT=alpha
                OTHER_ADMIN=$(_post /v1/workspaces "$OPERATOR" \\
                              '{"id":"'$OTHER_WS'","name":"Other","admin":{"username":"dave"}}' | _secret)
                _post /v1/workspaces/$OTHER_WS/members "$OTHER_ADMIN" '{"username":"erin","role":"member"}' >/dev/null
                OTHER_USER=erin
                OTHER_JSON=$(_post /v1/workspaces/$OTHER_WS/service-accounts "$OTHER_ADMIN" '{"name":"other-account"}')
                OTHER_SA=$(printf '%s' "$OTHER_JSON" | _id); OTHER_TOKEN=$(printf '%s' "$OTHER_JSON" | _token_id)
                _post /v1/workspaces/$OTHER_WS/projects "$OTHER_ADMIN" \\
                      '{"key":"gamma","name":"Gamma","visibility":"workspace"}' >/dev/null
                OTHER_PROJECT=gamma
                UNKNOWN_TOKEN=@UNKNOWN_TOKEN@
                UNIQUE=$RANDOM  # names and ids that creates take: set another number before sending one again
                echo "planted $WS and $OTHER_WS"
                """.replace("@UNKNOWN_TOKEN@", values.get(UNKNOWN));
    }
}
