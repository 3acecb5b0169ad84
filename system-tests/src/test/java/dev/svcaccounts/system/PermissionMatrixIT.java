package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Histories;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.svcaccounts.system.support.Api.federationRules;
import static dev.svcaccounts.system.support.Api.member;
import static dev.svcaccounts.system.support.Api.memberTokens;
import static dev.svcaccounts.system.support.Api.members;
import static dev.svcaccounts.system.support.Api.project;
import static dev.svcaccounts.system.support.Api.projectAccess;
import static dev.svcaccounts.system.support.Api.projectMember;
import static dev.svcaccounts.system.support.Api.projectMembers;
import static dev.svcaccounts.system.support.Api.projectServiceAccount;
import static dev.svcaccounts.system.support.Api.projectServiceAccounts;
import static dev.svcaccounts.system.support.Api.projects;
import static dev.svcaccounts.system.support.Api.serviceAccount;
import static dev.svcaccounts.system.support.Api.serviceAccounts;
import static dev.svcaccounts.system.support.Api.tokens;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what, over HTTP: every command of API.md sections 2 and 3 and every project read, sent by each
 * kind of principal, with the status the contract gives. The table below is the test: each cell runs as its
 * own test, on targets made for it alone (a fresh private project, a fresh account or member), so no cell
 * depends on another. The last test prints the whole matrix as it came out, mismatches marked.
 *
 * <p>Principals, all of workspace {@value #WS} except the last:
 * <ul>
 *   <li>{@code admin}: the workspace's admin user (acts as owner of every project);
 *   <li>{@code member}: a user with workspace role {@code member} and no role in the cell's project (private);
 *   <li>{@code owner-user}: a {@code member} user assigned {@code owner} of the cell's project;
 *   <li>{@code owner-sa}, {@code contributor-sa}, {@code viewer-sa}: service accounts assigned with that role;
 *   <li>{@code unassigned-sa}: an active service account not assigned to the project;
 *   <li>{@code deactivated-sa}: a service account whose token was taken before it was deactivated (it was
 *       assigned owner of the read project first: deactivation, not a missing role, is what refuses it);
 *   <li>{@code other-ws}: the admin of another workspace, sending the same requests to this workspace's paths.
 * </ul>
 */
class PermissionMatrixIT {

    /**
     * The contract, cell by cell. Service-account endpoints are for workspace admins only, project owners
     * included (rule 4), except that a principal owning a project, user or service account, may list and read the
     * accounts (a summary: to find one to assign); their tokens stay admin-only. Members' endpoints are for admins
     * too, except a user's own tokens (here: another user's). Anyone
     * active in the workspace may create a project. A project is managed by its owners, users and service
     * accounts alike, and by admins; a user without the permission gets 403 (users see every project of the
     * workspace), a service account 403 only when it is assigned (it can see the project), else 404 (rule 1).
     * Only admins delete projects: 403 for every service account, whatever its role (rule 5), even one that
     * cannot see the project: refused for being a service account before any project is looked up, so the answer
     * tells it nothing (AccessRulesIT checks that a missing project gets the same 403). Reads need viewer or
     * higher. A deactivated account's token is 401 everywhere; another workspace is 404 (rule 7).
     */
    // CHECKSTYLE.OFF: LineLength (a table: one row per operation, one column per principal)
    private static final String EXPECTED = """
            operation                     | admin | member | owner-user | owner-sa | contributor-sa | viewer-sa | unassigned-sa | deactivated-sa | other-ws
            ------------------------------+-------+--------+------------+----------+----------------+-----------+---------------+----------------+---------
            create SA                     |  201  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            patch SA                      |  200  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            deactivate SA                 |  200  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            reactivate SA                 |  200  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            delete SA                     |  204  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            issue SA token                |  201  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            revoke SA token               |  204  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            add federation rule           |  201  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            delete federation rule        |  204  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            add member                    |  201  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            change member role            |  200  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            remove member                 |  204  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            issue another member's token  |  201  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            revoke another member's token |  204  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            create project                |  201  |  201   |    201     |   201    |      201       |    201    |      201      |      401       |   404
            patch project name            |  200  |  403   |    200     |   200    |      403       |    403    |      404      |      401       |   404
            patch project visibility      |  200  |  403   |    200     |   200    |      403       |    403    |      404      |      401       |   404
            delete project                |  204  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            assign SA                     |  200  |  403   |    200     |   200    |      403       |    403    |      404      |      401       |   404
            change SA role                |  200  |  403   |    200     |   200    |      403       |    403    |      404      |      401       |   404
            unassign SA                   |  204  |  403   |    204     |   204    |      403       |    403    |      404      |      401       |   404
            assign member                 |  200  |  403   |    200     |   200    |      403       |    403    |      404      |      401       |   404
            unassign member               |  204  |  403   |    204     |   204    |      403       |    403    |      404      |      401       |   404
            GET project                   |  200  |  403   |    200     |   200    |      200       |    200    |      404      |      401       |   404
            GET project service-accounts  |  200  |  403   |    200     |   200    |      200       |    200    |      404      |      401       |   404
            GET project members           |  200  |  403   |    200     |   200    |      200       |    200    |      404      |      401       |   404
            GET project access            |  200  |  403   |    200     |   200    |      200       |    200    |      404      |      401       |   404
            GET members                   |  200  |  200   |    200     |   200    |      200       |    200    |      200      |      401       |   404
            GET projects                  |  200  |  200   |    200     |   200    |      200       |    200    |      200      |      401       |   404
            GET SAs                       |  200  |  403   |    200     |   200    |      403       |    403    |      403      |      401       |   404
            GET SA                        |  200  |  403   |    200     |   200    |      403       |    403    |      403      |      401       |   404
            GET SA tokens                 |  200  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            GET SA federation rules       |  200  |  403   |    403     |   403    |      403       |    403    |      403      |      401       |   404
            """;
    // CHECKSTYLE.ON: LineLength

    /** Rows whose 403 must name the workspace-admin rule ("admin" in the detail). */
    private static final List<String> ADMIN_ONLY = List.of("create SA", "patch SA", "deactivate SA", "reactivate SA",
            "delete SA", "issue SA token", "revoke SA token", "add member", "change member role", "remove member",
            "GET SA tokens", "add federation rule", "delete federation rule", "GET SA federation rules");
    /** Rows open to admins and project owners: their 403 names both. */
    private static final List<String> OWNERS_TOO = List.of("GET SAs", "GET SA");
    /** The fields a project owner who is not an admin sees of a service account, and no other. */
    private static final List<String> SUMMARY = List.of("id", "name", "description", "status", "createdAt");

    private static final String WS = "matrix";
    private static final String OTHER_WS = "elsewhere";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("permission-matrix");
    private static Api api;
    private static Workspaces workspaces;

    /** Column name to bearer token. */
    private static final Map<String, String> TOKENS = new LinkedHashMap<>();
    /** The admin of {@value #WS}: makes every cell's targets. */
    private static Principal admin;
    // assigned by prepareProject to every project a cell works in, with the role their column names
    private static Principal ownerUser;
    private static Principal ownerSa;
    private static Principal contributorSa;
    private static Principal viewerSa;
    /** Assigned, re-assigned and unassigned by the assignment cells, each time in the cell's own project. */
    private static String targetSa;
    private static final String TARGET_USER = "terry";
    /** The project every read cell reads: reads change nothing, so they share it. */
    private static final String READ_PROJECT = "read-me";

    /** Row, then column: what came back, "403" or "200 (expected 403)" or "403 (detail: ...)". */
    private static final Map<String, Map<String, String>> ACTUAL = new LinkedHashMap<>();
    private static final List<String> MISMATCHES = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        api = system.api();
        workspaces = new Workspaces(api);
        admin = workspaces.create(WS, "alice");
        TOKENS.put("admin", admin.token());
        TOKENS.put("member", workspaces.user(admin, "max", "member").token());
        ownerUser = workspaces.user(admin, "olivia", "member");
        TOKENS.put("owner-user", ownerUser.token());
        ownerSa = workspaces.serviceAccount(admin, "owner-sa");
        TOKENS.put("owner-sa", ownerSa.token());
        contributorSa = workspaces.serviceAccount(admin, "contributor-sa");
        TOKENS.put("contributor-sa", contributorSa.token());
        viewerSa = workspaces.serviceAccount(admin, "viewer-sa");
        TOKENS.put("viewer-sa", viewerSa.token());
        TOKENS.put("unassigned-sa", workspaces.serviceAccount(admin, "unassigned-sa").token());
        Principal deactivated = workspaces.serviceAccount(admin, "deactivated-sa");
        TOKENS.put("deactivated-sa", deactivated.token());
        TOKENS.put("other-ws", workspaces.create(OTHER_WS, "oscar").token());
        targetSa = workspaces.serviceAccount(admin, "target-sa").id();
        workspaces.user(admin, TARGET_USER, "member");

        // the read project, with every role assigned (the deactivated account as owner, before deactivation),
        // and the query side given the time to show it
        prepareProject(READ_PROJECT);
        api.assignServiceAccount(WS, admin.token(), READ_PROJECT, deactivated.id(), "owner");
        api.assignServiceAccount(WS, admin.token(), READ_PROJECT, targetSa, "viewer");
        api.assignMember(WS, admin.token(), READ_PROJECT, TARGET_USER, "viewer");
        api.deactivate(WS, admin.token(), deactivated.id());
        Eventually.read(() -> api.projectServiceAccounts(WS, admin.token(), READ_PROJECT),
                page -> assertThat(Json.items(page)).hasSize(5));
        Eventually.read(() -> api.projectMembers(WS, admin.token(), READ_PROJECT),
                page -> assertThat(Json.texts(Json.items(page), "username")).contains(ownerUser.id(), TARGET_USER));
        Eventually.read(() -> api.listMembers(WS, admin.token()),
                page -> assertThat(Json.texts(Json.items(page), "username")).contains(TARGET_USER));
        Eventually.read(() -> api.listTokens(WS, admin.token(), targetSa),
                page -> assertThat(Json.items(page)).isNotEmpty());
        Eventually.read(() -> api.listServiceAccounts(WS, admin.token()),
                page -> assertThat(Json.findById(page, targetSa)).isPresent());
        api.addFederationRule(WS, admin.token(), targetSa, Histories.federationRule("repo:acme/matrix:*"));
        Eventually.read(() -> api.listFederationRules(WS, admin.token(), targetSa),
                page -> assertThat(Json.items(page)).isNotEmpty());
    }

    // ------------------------------------------------------------------ the cells

    @TestFactory
    Stream<DynamicTest> everyPrincipalTimesEveryOperation() {
        Table table = Table.parse(EXPECTED);
        Map<String, Operation> operations = operations();
        assertThat(table.rows()).as("operations in the table").containsExactlyElementsOf(operations.keySet());
        assertThat(table.columns()).as("principals in the table").containsExactlyElementsOf(TOKENS.keySet());

        List<DynamicTest> tests = new ArrayList<>();
        for (String row : table.rows()) {
            for (String column : table.columns()) {
                int expected = table.expected(row, column);
                tests.add(DynamicTest.dynamicTest(column + " × " + row + " → " + expected,
                        () -> runCell(row, column, expected, operations.get(row))));
            }
        }
        tests.add(DynamicTest.dynamicTest("the whole matrix as it came out", () -> {
            String printed = table.print(ACTUAL);
            System.out.println("Permission matrix, actual results (expected value in brackets where different):\n"
                    + printed);
            assertThat(MISMATCHES).as("cells that differ from the contract; the matrix as it came out:\n" + printed)
                    .isEmpty();
        }));
        return tests.stream();
    }

    private static void runCell(String row, String column, int expected, Operation operation) {
        Attempt attempt = operation.prepare();
        Response response = attempt.send().apply(TOKENS.get(column));
        List<String> problems = check(row, column, expected, response);
        try {
            attempt.cleanUp().accept(response);
        } finally {
            String outcome = String.valueOf(response.status());
            if (!problems.isEmpty()) {
                outcome += response.status() == expected ? " (!)" : " (" + expected + ")";
                MISMATCHES.add(column + " × " + row + ": " + String.join("; ", problems));
            }
            ACTUAL.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(column, outcome);
        }
        assertThat(problems).as(column + " × " + row + " → " + expected + ": " + response).isEmpty();
    }

    /** What is wrong with the response of a cell, if anything. */
    private static List<String> check(String row, String column, int expected, Response response) {
        List<String> problems = new ArrayList<>();
        if (response.status() != expected) {
            problems.add("expected " + expected + ", got " + response);
            return problems;
        }
        if (expected >= 400 && expected != 401) {
            if (!response.isProblem()) {
                problems.add("not application/problem+json but " + response.contentType());
            } else if (response.detail() == null || response.detail().isBlank()) {
                problems.add("problem without a detail: " + response.body());
            }
        }
        if (expected == 401 && (response.header("WWW-Authenticate") == null
                || !response.header("WWW-Authenticate").startsWith("Bearer"))) {
            problems.add("401 without WWW-Authenticate: Bearer");
        }
        if (expected == 200 && row.startsWith("GET ")) {
            String wrong = wrongContent(row, column, response.json());
            if (wrong != null) {
                problems.add(wrong + ": " + response.body());
            }
        }
        String code = expectedProblem(row, column, expected);
        String type = response.json().path("type").asText("");
        if (code != null && !type.equals(Response.PROBLEM_TYPE_PREFIX + code)) {
            problems.add("expected problem type " + code + ", got " + response.body());
        }
        String detail = String.valueOf(response.detail()).toLowerCase();
        if (expected == 403 && row.equals("delete project") && column.endsWith("-sa")
                && !detail.matches("(?s).*service[ -]accounts?.*")) {
            problems.add("a service account refused deleting a project, but the detail does not say why: "
                    + response.body());
        }
        if (expected == 403 && ADMIN_ONLY.contains(row) && !detail.contains("admin")) {
            problems.add("403 on an admin-only endpoint without naming the rule: " + response.body());
        }
        if (expected == 403 && OWNERS_TOO.contains(row) && !(detail.contains("admin") && detail.contains("owner"))) {
            problems.add("403 on an admins' and owners' endpoint without naming both: " + response.body());
        }
        return problems;
    }

    /** What is wrong with the body of an allowed read, if anything: a 200 must also show the right things. */
    private static String wrongContent(String row, String column, JsonNode body) {
        List<String> keys = Json.texts(Json.items(body), "key");
        return switch (row) {
            case "GET project" -> READ_PROJECT.equals(body.path("key").asText()) && !body.path("role").isNull()
                    ? null : "not the project with the caller's role";
            case "GET project service-accounts" -> Json.items(body).size() == 5 ? null : "not its 5 service accounts";
            case "GET project members" -> Json.texts(Json.items(body), "username").contains(TARGET_USER)
                    ? null : "its members are missing";
            case "GET project access" ->
                    READ_PROJECT.equals(body.path("project").asText()) && !Json.items(body).isEmpty()
                            ? null : "not the project's access list";
            case "GET members" -> Json.texts(Json.items(body), "username").contains(TARGET_USER)
                    ? null : "the members are missing";
            // users see every project of the workspace; a service account only those it is assigned to
            case "GET projects" -> keys.contains(READ_PROJECT) == !column.equals("unassigned-sa")
                    ? null : "the read project is " + (keys.contains(READ_PROJECT) ? "listed" : "missing");
            // an admin sees every field, an owner the summary only
            case "GET SAs" -> Json.findById(body, targetSa).isPresent()
                    ? wrongSight(column, Json.findById(body, targetSa).get()) : "the target account is missing";
            case "GET SA" -> targetSa.equals(body.path("id").asText()) ? wrongSight(column, body) : "not the account";
            case "GET SA tokens" -> Json.items(body).isEmpty() ? "its tokens are missing" : null;
            case "GET SA federation rules" -> Json.items(body).isEmpty() ? "its federation rules are missing" : null;
            default -> null;
        };
    }

    /** Null when the account shows what the column may see: every field for the admin, else the summary. */
    private static String wrongSight(String column, JsonNode account) {
        List<String> fields = new ArrayList<>();
        account.fieldNames().forEachRemaining(fields::add);
        if (column.equals("admin")) {
            return fields.contains("activeTokens") && fields.contains("createdBy") ? null : "not the admin's view";
        }
        return SUMMARY.containsAll(fields) && fields.containsAll(List.of("id", "name", "status", "createdAt"))
                ? null : "not the owner's summary: " + fields;
    }

    /** Which rule a refusal must name (the problem type's last part), as the contract lists them; null: none. */
    private static String expectedProblem(String row, String column, int status) {
        if (status == 404) {
            return column.equals("other-ws") ? "workspace-not-found" : "project-not-found";
        }
        if (status != 403) {
            return null;
        }
        if (ADMIN_ONLY.contains(row)) {
            return "workspace-admin-required";
        }
        if (OWNERS_TOO.contains(row)) {
            return "project-owner-or-admin-required";
        }
        if (row.contains("member's token")) {
            return "token-owner-or-admin-required";
        }
        if (row.equals("delete project")) {
            return column.endsWith("-sa") ? "service-accounts-cannot-delete-projects" : "workspace-admin-required";
        }
        return row.startsWith("GET") ? "project-read-required" : "project-manage-required";
    }

    // ------------------------------------------------------------------ the operations

    /** One row: makes the cell's targets (as the admin), then the request to send with the principal's token. */
    private interface Operation {
        Attempt prepare();
    }

    /** The request of one cell, and what to tidy up after it, given its response. */
    private record Attempt(Function<String, Response> send, Consumer<Response> cleanUp) {
        static Attempt of(Function<String, Response> send) {
            return new Attempt(send, response -> { });
        }
    }

    private static Map<String, Operation> operations() {
        Map<String, Operation> ops = new LinkedHashMap<>();
        // section 2: service accounts and tokens; each cell's account is deleted afterwards (quota of 50)
        ops.put("create SA", () -> new Attempt(
                command("POST", serviceAccounts(WS), Map.of("name", workspaces.unique("new-sa"))),
                response -> {
                    if (response.status() == 201) {
                        deleteAccount(response.json().path("id").asText());
                    }
                }));
        ops.put("patch SA", () -> withTemporaryAccount(sa -> command("PATCH", serviceAccount(WS, sa.id()),
                Map.of("description", "patched"))));
        ops.put("deactivate SA", () -> withTemporaryAccount(sa -> command("POST",
                serviceAccount(WS, sa.id()) + "/deactivate")));
        ops.put("reactivate SA", () -> withTemporaryAccount(sa -> {
            api.deactivate(WS, admin.token(), sa.id());
            return command("POST", serviceAccount(WS, sa.id()) + "/reactivate");
        }));
        ops.put("delete SA", () -> withTemporaryAccount(sa -> command("DELETE", serviceAccount(WS, sa.id()))));
        ops.put("issue SA token", () -> withTemporaryAccount(sa -> command("POST", tokens(WS, sa.id()),
                Map.of("description", "matrix"))));
        ops.put("revoke SA token", () -> withTemporaryAccount(sa -> command("DELETE",
                tokens(WS, sa.id()) + "/" + sa.tokenId())));
        ops.put("add federation rule", () -> withTemporaryAccount(sa -> command("POST",
                federationRules(WS, sa.id()), Map.of("issuer", "https://ci.example", "jwksUri",
                        "https://ci.example/jwks", "audience", "svcaccounts", "subject", "repo:acme/matrix"))));
        ops.put("delete federation rule", () -> withTemporaryAccount(sa -> command("DELETE",
                federationRules(WS, sa.id()) + "/" + api.addFederationRule(WS, admin.token(), sa.id(),
                        Histories.federationRule("repo:acme/matrix:*")).path("ruleId").asText())));

        // section 3: members, each cell's target a new one
        ops.put("add member", () -> Attempt.of(command("POST", members(WS),
                Map.of("username", workspaces.unique("newcomer"), "role", "member"))));
        ops.put("change member role", () -> Attempt.of(command("PATCH", member(WS, temporaryMember().id()),
                Map.of("role", "admin"))));
        ops.put("remove member", () -> Attempt.of(command("DELETE", member(WS, temporaryMember().id()))));
        ops.put("issue another member's token", () -> Attempt.of(command("POST",
                memberTokens(WS, temporaryMember().id()), Map.of("description", "matrix"))));
        ops.put("revoke another member's token", () -> {
            Principal target = temporaryMember();
            return Attempt.of(command("DELETE", memberTokens(WS, target.id()) + "/" + target.tokenId()));
        });

        // section 3: projects and assignments, each cell in a fresh private project; a project created by a cell
        // is deleted after it: its creator would otherwise own a project, which lets it read service accounts
        ops.put("create project", () -> {
            String key = workspaces.unique("new-project");
            return new Attempt(command("POST", projects(WS), Map.of("key", key, "name", "Created by a cell",
                    "visibility", "private")), response -> {
                        if (response.status() == 201) {
                            api.command("DELETE", project(WS, key)).token(admin.token()).send().expect(204);
                        }
                    });
        });
        ops.put("patch project name", () -> Attempt.of(command("PATCH", project(WS, freshProject()),
                Map.of("name", "Renamed by a cell"))));
        ops.put("patch project visibility", () -> Attempt.of(command("PATCH", project(WS, freshProject()),
                Map.of("visibility", "workspace"))));
        ops.put("delete project", () -> Attempt.of(command("DELETE", project(WS, freshProject()))));
        ops.put("assign SA", () -> Attempt.of(command("PUT", projectServiceAccount(WS, freshProject(), targetSa),
                Map.of("role", "contributor"))));
        ops.put("change SA role", () -> {
            String key = freshProject();
            api.assignServiceAccount(WS, admin.token(), key, targetSa, "viewer");
            return Attempt.of(command("PUT", projectServiceAccount(WS, key, targetSa), Map.of("role", "contributor")));
        });
        ops.put("unassign SA", () -> {
            String key = freshProject();
            api.assignServiceAccount(WS, admin.token(), key, targetSa, "viewer");
            return Attempt.of(command("DELETE", projectServiceAccount(WS, key, targetSa)));
        });
        ops.put("assign member", () -> Attempt.of(command("PUT", projectMember(WS, freshProject(), TARGET_USER),
                Map.of("role", "viewer"))));
        ops.put("unassign member", () -> {
            String key = freshProject();
            api.assignMember(WS, admin.token(), key, TARGET_USER, "viewer");
            return Attempt.of(command("DELETE", projectMember(WS, key, TARGET_USER)));
        });

        // section 4: reads
        ops.put("GET project", () -> Attempt.of(read(project(WS, READ_PROJECT))));
        ops.put("GET project service-accounts", () -> Attempt.of(read(projectServiceAccounts(WS, READ_PROJECT))));
        ops.put("GET project members", () -> Attempt.of(read(projectMembers(WS, READ_PROJECT))));
        ops.put("GET project access", () -> Attempt.of(read(projectAccess(WS, READ_PROJECT))));
        ops.put("GET members", () -> Attempt.of(read(members(WS))));
        ops.put("GET projects", () -> Attempt.of(read(projects(WS))));
        ops.put("GET SAs", () -> Attempt.of(read(serviceAccounts(WS))));
        ops.put("GET SA", () -> Attempt.of(read(serviceAccount(WS, targetSa))));
        ops.put("GET SA tokens", () -> Attempt.of(read(tokens(WS, targetSa))));
        ops.put("GET SA federation rules", () -> Attempt.of(read(federationRules(WS, targetSa))));
        return ops;
    }

    /** A cell's request to the command side, with the cell's token and no body. */
    private static Function<String, Response> command(String method, String path) {
        return token -> api.command(method, path).token(token).send();
    }

    /** A cell's request to the command side, with the cell's token and this JSON body. */
    private static Function<String, Response> command(String method, String path, Map<String, String> body) {
        return token -> api.command(method, path).token(token).json(body).send();
    }

    /** A cell's GET of the query side, with the cell's token. */
    private static Function<String, Response> read(String path) {
        return token -> api.query("GET", path).token(token).send();
    }

    /** A fresh account for one cell, deleted after it (unless the cell deleted it). */
    private static Attempt withTemporaryAccount(Function<Principal, Function<String, Response>> request) {
        Principal account = workspaces.serviceAccount(admin, workspaces.unique("target"));
        return new Attempt(request.apply(account), response -> deleteAccount(account.id()));
    }

    private static void deleteAccount(String id) {
        Response deleted = api.command("DELETE", serviceAccount(WS, id)).token(admin.token()).send();
        assertThat(deleted.status()).as("tidying up: " + deleted).isIn(204, 404);
    }

    /** A fresh member for one cell. */
    private static Principal temporaryMember() {
        return workspaces.user(admin, workspaces.unique("target"), "member");
    }

    /** A new private project, created by the admin, with the owner, contributor and viewer principals assigned. */
    private static String freshProject() {
        String key = workspaces.unique("cell");
        prepareProject(key);
        return key;
    }

    private static void prepareProject(String key) {
        api.createProject(WS, admin.token(), key, "private");
        api.assignMember(WS, admin.token(), key, ownerUser.id(), "owner");
        api.assignServiceAccount(WS, admin.token(), key, ownerSa.id(), "owner");
        api.assignServiceAccount(WS, admin.token(), key, contributorSa.id(), "contributor");
        api.assignServiceAccount(WS, admin.token(), key, viewerSa.id(), "viewer");
    }

    // ------------------------------------------------------------------ the table

    /** The expected statuses, parsed from the text block: first line principals, then one line per operation. */
    private record Table(List<String> rows, List<String> columns, Map<String, Map<String, Integer>> cells) {

        static Table parse(String text) {
            List<String> lines = text.lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("---")).toList();
            List<String> header = split(lines.get(0));
            List<String> columns = header.subList(1, header.size());
            List<String> rows = new ArrayList<>();
            Map<String, Map<String, Integer>> cells = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                List<String> fields = split(line);
                if (fields.size() != header.size()) {
                    throw new IllegalArgumentException("row with " + fields.size() + " fields, header has "
                            + header.size() + ": " + line);
                }
                String row = fields.get(0);
                rows.add(row);
                Map<String, Integer> statuses = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    statuses.put(columns.get(i), Integer.parseInt(fields.get(i + 1)));
                }
                cells.put(row, statuses);
            }
            return new Table(rows, columns, cells);
        }

        private static List<String> split(String line) {
            return Arrays.stream(line.split("\\|")).map(String::strip).toList();
        }

        int expected(String row, String column) {
            return cells.get(row).get(column);
        }

        /** The table again with the actual outcomes; cells not run show as "-". */
        String print(Map<String, Map<String, String>> actual) {
            List<List<String>> grid = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of("operation"));
            header.addAll(columns);
            grid.add(header);
            for (String row : rows) {
                List<String> line = new ArrayList<>(List.of(row));
                for (String column : columns) {
                    line.add(actual.getOrDefault(row, Map.of()).getOrDefault(column, "-"));
                }
                grid.add(line);
            }
            int[] widths = new int[header.size()];
            for (List<String> line : grid) {
                for (int i = 0; i < line.size(); i++) {
                    widths[i] = Math.max(widths[i], line.get(i).length());
                }
            }
            StringBuilder out = new StringBuilder();
            for (List<String> line : grid) {
                for (int i = 0; i < line.size(); i++) {
                    out.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", line.get(i)));
                }
                out.append('\n');
            }
            return out.toString();
        }
    }
}
