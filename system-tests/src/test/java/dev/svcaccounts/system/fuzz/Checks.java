package dev.svcaccounts.system.fuzz;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every answer must satisfy, whatever was sent. The first broken rule is the case's failure; rules of the
 * product come before those that only compare with the OpenAPI document ({@link Failure#document}).
 */
public final class Checks {

    /** A failed rule: {@code check} names it (reports group by it), {@code message} says what was wrong. */
    public record Failure(String check, boolean document, String message) {
    }

    static final String PROBLEM_TYPE_PREFIX = "urn:svcaccounts:problem:";

    private static final Pattern STACK_TRACE = Pattern.compile(
            "\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|\\b(java|javax|jakarta|org\\.springframework|org\\.axonframework|"
                    + "dev\\.svcaccounts)\\.[\\w.$]*(Exception|Error)\\b");

    /** Refs that name the planted workspace's things (the principal tokens aside). */
    private static final Set<String> OWN_WORKSPACE = Set.of("WS", "SA", "USER", "PROJECT", "TOKEN", "USER_TOKEN");

    private Checks() {
    }

    public static Failure evaluate(FuzzCase fuzzCase, Draft draft, WireRequest wire, Exchange.Answer answer,
                                   StateFingerprint before, StateFingerprint after, Map<String, String> values) {
        if (answer.failure() != null) {
            return new Failure("no-answer", false, "no answer within " + Exchange.TIMEOUT.toSeconds()
                    + " s or connection broken: " + answer.failure());
        }
        int status = answer.status();
        if (status >= 500) {
            return new Failure("server-error", false, "a " + status + " for bad input");
        }
        // a change behind a refusal first: the client was told nothing happened (and lost a secret, if one was made)
        boolean read = Set.of("GET", "HEAD", "OPTIONS").contains(wire.method());
        if ((status >= 400 || read) && !before.sameStateAs(after)) {
            return new Failure(status >= 400 ? "changed-on-refusal" : "read-changed-state", false,
                    before.differenceTo(after) + " although the answer was " + status);
        }
        if (status >= 400) {
            Failure problem = problemDocument(answer, wire.method().equals("HEAD"),
                    draft.operation.path().equals("/v1/introspect") && (status == 400 || status == 401)
                            || draft.operation.path().equals(TOKEN_EXCHANGE));
            if (problem != null) {
                return problem;
            }
        }
        if (status == 401 && answer.headers().firstValue("WWW-Authenticate").isEmpty()) {
            return new Failure("401-without-www-authenticate", false, "a 401 must say WWW-Authenticate: Bearer");
        }
        if (status == 429 && answer.headers().firstValue("Retry-After").isEmpty()) {
            return new Failure("429-without-retry-after", false, "a 429 must say when to retry");
        }
        if (status >= 200 && status < 300 && !wire.method().equals("OPTIONS")) {
            // OPTIONS answers which methods exist (Allow), nothing of the workspace: no success to judge
            Failure accepted = accepted(draft, wire, answer, values);
            if (accepted != null) {
                return accepted;
            }
        }
        if (status == 400 && fuzzCase.mutations().isEmpty() && entitled(draft)) {
            return new Failure("documented-request-refused", true,
                    "a request built from the document alone, by a principal entitled to it, was refused as malformed");
        }
        return null;
    }

    /**
     * Every 4xx and 5xx is an RFC 9457 problem: type (the API's URN), title, status equal to the answer's, detail.
     * The answer to a HEAD has no body: only its content type is judged. The 400s and 401s introspection decides
     * itself are OAuth error responses too: {@code application/json} (what OAuth libraries read) with an
     * {@code error} member; those of the checks every path gets before (path, headers, query) stay problem+json.
     * Every error the token exchange ({@value #TOKEN_EXCHANGE}) decides is such an OAuth error, its 429 and 503 too.
     */
    private static Failure problemDocument(Exchange.Answer answer, boolean head, boolean introspection) {
        String contentType = answer.contentType();
        boolean oauth = introspection && contentType != null && contentType.startsWith("application/json");
        String expected = oauth ? "application/json" : "application/problem+json";
        if (contentType == null || !contentType.startsWith(expected)) {
            return new Failure("not-problem-json", false,
                    "a " + answer.status() + " answered as " + (contentType == null ? "no content type" : contentType));
        }
        if (head) {
            return null;
        }
        if (STACK_TRACE.matcher(answer.body()).find()) {
            return new Failure("stack-trace-in-answer", false, "the problem shows Java class names or stack frames");
        }
        JsonNode problem = answer.json();
        if (problem == null || !problem.isObject()) {
            return new Failure("incomplete-problem", false, "the problem body is not a JSON object");
        }
        List<String> wrong = new ArrayList<>();
        if (!problem.path("type").asText("").startsWith(PROBLEM_TYPE_PREFIX)) {
            wrong.add("type " + problem.path("type") + " is not " + PROBLEM_TYPE_PREFIX + "<code>");
        }
        if (problem.path("title").asText("").isBlank()) {
            wrong.add("no title");
        }
        if (problem.path("status").asInt(-1) != answer.status()) {
            wrong.add("status member " + problem.path("status") + " is not " + answer.status());
        }
        if (problem.path("detail").asText("").isBlank()) {
            wrong.add("no detail");
        }
        if (oauth && problem.path("error").asText("").isBlank()) {
            wrong.add("no OAuth error member");
        }
        return wrong.isEmpty() ? null : new Failure("incomplete-problem", false, String.join("; ", wrong));
    }

    /**
     * Operations anyone may call without a token (the leaked-token report, the audit checkpoints' public key): a
     * success without one is their point.
     */
    private static final Set<String> OPEN = Set.of("/v1/credentials/revoke", "/v1/audit/public-key");
    /** No authentication either, but its only credential is an external issuer's JWT, which no case can make. */
    private static final String TOKEN_EXCHANGE = "/v1/token";

    /** What a success must not be: unauthenticated, across workspaces, of refused input, or changing the text. */
    private static Failure accepted(Draft draft, WireRequest wire, Exchange.Answer answer,
                                    Map<String, String> values) {
        if (FuzzSeed.NOT_AUTHENTICATED.contains(draft.principal) && !OPEN.contains(draft.operation.path())) {
            return new Failure("unauthenticated-accepted", false,
                    "a " + answer.status() + " for a request without a working token (" + draft.principal + ")");
        }
        String principalWorkspace = FuzzSeed.workspaceOf(draft.principal);
        Set<String> named = refsInPath(wire.path());
        boolean foreign = "WS".equals(principalWorkspace) ? named.stream().anyMatch(n -> n.startsWith("OTHER_"))
                : "OTHER_WS".equals(principalWorkspace) && named.stream().anyMatch(OWN_WORKSPACE::contains);
        if (foreign) {
            return new Failure("cross-workspace-accepted", false, "a " + answer.status() + " for " + draft.principal
                    + " on another workspace's " + named);
        }
        List<String> refuse = draft.refuseReasons();
        if (!refuse.isEmpty()) {
            return new Failure("invalid-input-accepted", false, "a " + answer.status() + " although "
                    + String.join("; ", refuse));
        }
        Failure changed = storedDifferently(draft, answer, values);
        if (changed != null) {
            return changed;
        }
        List<String> documentReasons = draft.documentReasons();
        if (!documentReasons.isEmpty()) {
            return new Failure("document-says-invalid", true, "a " + answer.status()
                    + " although the OpenAPI document says " + String.join("; ", documentReasons));
        }
        return null;
    }

    /** Text the answer echoes (a name, a description) must be the text sent, or that text stripped. */
    private static Failure storedDifferently(Draft draft, Exchange.Answer answer, Map<String, String> values) {
        if (draft.body == null || draft.body.isRaw() || draft.body.isForm() || draft.operation.isRead()) {
            return null;
        }
        JsonNode echoed = answer.json();
        if (echoed == null || !echoed.isObject()) {
            return null;
        }
        for (Body.Field field : draft.body.fields()) {
            String sent = field.value().sentText() == null ? null
                    : WireRequest.resolve(field.value().sentText(), values);
            JsonNode back = echoed.get(field.name());
            if (sent != null && back != null && back.isTextual() && !back.asText().equals(sent)
                    && !back.asText().equals(sent.strip())) {
                return new Failure("stored-text-differs", false, field.name() + " sent as "
                        + Curl.visible(sent) + " came back as " + Curl.visible(back.asText()));
            }
        }
        return null;
    }

    /** May this principal use the operation at all (so that a 400 to its documented request is the document's)? */
    private static boolean entitled(Draft draft) {
        String path = draft.operation.path();
        if (OPEN.contains(path)) {
            return true;
        }
        if (path.equals(TOKEN_EXCHANGE)) {
            return false; // a request built from the document alone holds no JWT an issuer signed: always refused
        }
        boolean operatorOnly = path.equals("/v1/workspaces") || path.startsWith("/v1/admin")
                || path.equals("/v1/introspect");
        return operatorOnly ? draft.principal.equals(FuzzSeed.OPERATOR) : draft.principal.equals(FuzzSeed.ADMIN);
    }

    private static Set<String> refsInPath(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        Matcher matcher = WireRequest.REF.matcher(query < 0 ? pathAndQuery : pathAndQuery.substring(0, query));
        Set<String> refs = new java.util.HashSet<>();
        while (matcher.find()) {
            refs.add(matcher.group(1));
        }
        return refs;
    }
}
