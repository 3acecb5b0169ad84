package dev.svcaccounts.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Eventually;
import dev.svcaccounts.system.support.Json;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

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
     * included (rule 4); members' endpoints too, except a user's own tokens (here: another user's). Anyone
     * active in the workspace may create a project. A project is managed by its owners, users and service
     * accounts alike, and by admins; a user without the permission gets 403 (users see every project of the
     * workspace), a service account 403 only when it is assigned (it can see the project), else 404 (rule 1).
     * Only admins delete projects: 403 for every service account, whatever its role (rule 5), even one that
     * cannot see the project: refused for being a service account before any project is looked up, so the answer
     * tells it nothing (AccessRulesIT checks that a missing project gets the same 403). Reads need viewer or
     * higher. A deactivated account's token is 401 everywhere; another workspace is 404 (rule 7).
     */
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
            """;

    /** Rows whose 403 must name the workspace-admin rule ("admin" in the detail). */
    private static final List<String> ADMIN_ONLY = List.of("create SA", "patch SA", "deactivate SA", "reactivate SA",
            "delete SA", "issue SA token", "revoke SA token", "add member", "change member role", "remove member");

    private static final String WS = "matrix";
    private static final String OTHER_WS = "elsewhere";

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("permission-matrix");
    private static Api api;

    /** Column name to bearer token. */
    private static final Map<String, String> TOKENS = new LinkedHashMap<>();
    private static String admin;
    private static String ownerUser;
    private static String ownerSa;
    private static String contributorSa;
    private static String viewerSa;
    /** Assigned, re-assigned and unassigned by the assignment cells, each time in the cell's own project. */
    private static String targetSa;
    private static final String TARGET_USER = "terry";
    /** The project every read cell reads: reads change nothing, so they share it. */
    private static final String READ_PROJECT = "read-me";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** Row, then column: what came back, "403" or "200 (expected 403)" or "403 (detail: ...)". */
    private static final Map<String, Map<String, String>> ACTUAL = new LinkedHashMap<>();
    private static final List<String> MISMATCHES = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        api = system.api();
        admin = api.createWorkspace(WS, "alice").path("token").path("secret").asText();
        TOKENS.put("admin", admin);
        TOKENS.put("member", api.addMember(WS, admin, "max", "member").path("token").path("secret").asText());
        ownerUser = "olivia";
        TOKENS.put("owner-user", api.addMember(WS, admin, ownerUser, "member").path("token").path("secret").asText());
        JsonNode owner = api.createServiceAccount(WS, admin, "owner-sa");
        ownerSa = owner.path("id").asText();
        TOKENS.put("owner-sa", owner.path("token").path("secret").asText());
        JsonNode contributor = api.createServiceAccount(WS, admin, "contributor-sa");
        contributorSa = contributor.path("id").asText();
        TOKENS.put("contributor-sa", contributor.path("token").path("secret").asText());
        JsonNode viewer = api.createServiceAccount(WS, admin, "viewer-sa");
        viewerSa = viewer.path("id").asText();
        TOKENS.put("viewer-sa", viewer.path("token").path("secret").asText());
        TOKENS.put("unassigned-sa", api.createServiceAccount(WS, admin, "unassigned-sa").path("token").path("secret").asText());
        JsonNode deactivated = api.createServiceAccount(WS, admin, "deactivated-sa");
        TOKENS.put("deactivated-sa", deactivated.path("token").path("secret").asText());
        TOKENS.put("other-ws", api.createWorkspace(OTHER_WS, "oscar").path("token").path("secret").asText());
        targetSa = api.createServiceAccount(WS, admin, "target-sa").path("id").asText();
        api.addMember(WS, admin, TARGET_USER, "member");

        // the read project, with every role assigned (the deactivated account as owner, before deactivation),
        // and the query side given the time to show it
        prepareProject(READ_PROJECT);
        api.assignServiceAccount(WS, admin, READ_PROJECT, deactivated.path("id").asText(), "owner");
        api.assignServiceAccount(WS, admin, READ_PROJECT, targetSa, "viewer");
        api.assignMember(WS, admin, READ_PROJECT, TARGET_USER, "viewer");
        api.deactivate(WS, admin, deactivated.path("id").asText());
        try {
            Eventually.read(() -> api.projectServiceAccounts(WS, admin, READ_PROJECT),
                    page -> assertThat(Json.items(page)).hasSize(5));
            Eventually.read(() -> api.projectMembers(WS, admin, READ_PROJECT),
                    page -> assertThat(Json.texts(Json.items(page), "username")).contains(ownerUser, TARGET_USER));
        } catch (AssertionError | RuntimeException e) {
            // the read cells will show what is wrong; here it only means they may run before the read models
            System.out.println("PermissionMatrixIT: the read project did not show up in the read models: " + e);
        }
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
            System.out.println("Permission matrix, actual results (expected value in brackets where different):\n" + printed);
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
        String code = expectedProblem(row, column, expected);
        String type = response.json().path("type").asText("");
        if (code != null && !type.equals("urn:svcaccounts:problem:" + code)) {
            problems.add("expected problem type " + code + ", got " + response.body());
        }
        String detail = String.valueOf(response.detail()).toLowerCase();
        if (expected == 403 && row.equals("delete project") && column.endsWith("-sa")
                && !detail.matches("(?s).*service[ -]accounts?.*")) {
            problems.add("a service account refused deleting a project, but the detail does not say why: " + response.body());
        }
        if (expected == 403 && ADMIN_ONLY.contains(row) && !detail.contains("admin")) {
            problems.add("403 on an admin-only endpoint without naming the rule: " + response.body());
        }
        return problems;
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
        ops.put("create SA", () -> {
            String name = unique("new-sa");
            return new Attempt(token -> api.command("POST", serviceAccounts(WS)).token(token)
                    .json(Map.of("name", name)).send(),
                    response -> {
                        if (response.status() == 201) {
                            deleteAccount(response.json().path("id").asText());
                        }
                    });
        });
        ops.put("patch SA", () -> withTemporaryAccount(sa -> token -> api.command("PATCH", serviceAccount(WS, sa.id()))
                .token(token).json(Map.of("description", "patched")).send()));
        ops.put("deactivate SA", () -> withTemporaryAccount(sa -> token -> api.command("POST",
                serviceAccount(WS, sa.id()) + "/deactivate").token(token).send()));
        ops.put("reactivate SA", () -> withTemporaryAccount(sa -> {
            api.deactivate(WS, admin, sa.id());
            return token -> api.command("POST", serviceAccount(WS, sa.id()) + "/reactivate").token(token).send();
        }));
        ops.put("delete SA", () -> withTemporaryAccount(sa -> token -> api.command("DELETE", serviceAccount(WS, sa.id()))
                .token(token).send()));
        ops.put("issue SA token", () -> withTemporaryAccount(sa -> token -> api.command("POST", tokens(WS, sa.id()))
                .token(token).json(Map.of("description", "matrix")).send()));
        ops.put("revoke SA token", () -> withTemporaryAccount(sa -> token -> api.command("DELETE",
                tokens(WS, sa.id()) + "/" + sa.tokenId()).token(token).send()));

        // section 3: members
        ops.put("add member", () -> {
            String username = unique("newcomer");
            return Attempt.of(token -> api.command("POST", members(WS)).token(token)
                    .json(Map.of("username", username, "role", "member")).send());
        });
        ops.put("change member role", () -> {
            String username = temporaryMember().username();
            return Attempt.of(token -> api.command("PATCH", member(WS, username)).token(token)
                    .json(Map.of("role", "admin")).send());
        });
        ops.put("remove member", () -> {
            String username = temporaryMember().username();
            return Attempt.of(token -> api.command("DELETE", member(WS, username)).token(token).send());
        });
        ops.put("issue another member's token", () -> {
            String username = temporaryMember().username();
            return Attempt.of(token -> api.command("POST", memberTokens(WS, username)).token(token)
                    .json(Map.of("description", "matrix")).send());
        });
        ops.put("revoke another member's token", () -> {
            Member target = temporaryMember();
            return Attempt.of(token -> api.command("DELETE", memberTokens(WS, target.username()) + "/" + target.tokenId())
                    .token(token).send());
        });

        // section 3: projects and assignments, each cell in a fresh private project
        ops.put("create project", () -> {
            String key = unique("new-project");
            return Attempt.of(token -> api.command("POST", projects(WS)).token(token)
                    .json(Map.of("key", key, "name", "Created by a cell", "visibility", "private")).send());
        });
        ops.put("patch project name", () -> {
            String key = freshProject();
            return Attempt.of(token -> api.command("PATCH", project(WS, key)).token(token)
                    .json(Map.of("name", "Renamed by a cell")).send());
        });
        ops.put("patch project visibility", () -> {
            String key = freshProject();
            return Attempt.of(token -> api.command("PATCH", project(WS, key)).token(token)
                    .json(Map.of("visibility", "workspace")).send());
        });
        ops.put("delete project", () -> {
            String key = freshProject();
            return Attempt.of(token -> api.command("DELETE", project(WS, key)).token(token).send());
        });
        ops.put("assign SA", () -> {
            String key = freshProject();
            return Attempt.of(token -> api.command("PUT", projectServiceAccount(WS, key, targetSa)).token(token)
                    .json(Map.of("role", "contributor")).send());
        });
        ops.put("change SA role", () -> {
            String key = freshProject();
            api.assignServiceAccount(WS, admin, key, targetSa, "viewer");
            return Attempt.of(token -> api.command("PUT", projectServiceAccount(WS, key, targetSa)).token(token)
                    .json(Map.of("role", "contributor")).send());
        });
        ops.put("unassign SA", () -> {
            String key = freshProject();
            api.assignServiceAccount(WS, admin, key, targetSa, "viewer");
            return Attempt.of(token -> api.command("DELETE", projectServiceAccount(WS, key, targetSa)).token(token).send());
        });
        ops.put("assign member", () -> {
            String key = freshProject();
            return Attempt.of(token -> api.command("PUT", projectMember(WS, key, TARGET_USER)).token(token)
                    .json(Map.of("role", "viewer")).send());
        });
        ops.put("unassign member", () -> {
            String key = freshProject();
            api.assignMember(WS, admin, key, TARGET_USER, "viewer");
            return Attempt.of(token -> api.command("DELETE", projectMember(WS, key, TARGET_USER)).token(token).send());
        });

        // section 4: reads
        ops.put("GET project", () -> Attempt.of(token -> api.query("GET", project(WS, READ_PROJECT)).token(token).send()));
        ops.put("GET project service-accounts", () -> Attempt.of(token -> api.query("GET",
                projectServiceAccounts(WS, READ_PROJECT)).token(token).send()));
        ops.put("GET project members", () -> Attempt.of(token -> api.query("GET",
                projectMembers(WS, READ_PROJECT)).token(token).send()));
        ops.put("GET project access", () -> Attempt.of(token -> api.query("GET",
                projectAccess(WS, READ_PROJECT)).token(token).send()));
        ops.put("GET members", () -> Attempt.of(token -> api.query("GET", members(WS)).token(token).send()));
        ops.put("GET projects", () -> Attempt.of(token -> api.query("GET", projects(WS)).token(token).send()));
        return ops;
    }

    private record Account(String id, String tokenId) {
    }

    private record Member(String username, String tokenId) {
    }

    /** A fresh account for one cell, deleted after it (unless the cell deleted it). */
    private static Attempt withTemporaryAccount(Function<Account, Function<String, Response>> request) {
        JsonNode created = api.createServiceAccount(WS, admin, unique("target"));
        Account account = new Account(created.path("id").asText(), created.path("token").path("id").asText());
        return new Attempt(request.apply(account), response -> deleteAccount(account.id()));
    }

    private static void deleteAccount(String id) {
        Response deleted = api.command("DELETE", serviceAccount(WS, id)).token(admin).send();
        assertThat(deleted.status()).as("tidying up: " + deleted).isIn(204, 404);
    }

    private static Member temporaryMember() {
        JsonNode added = api.addMember(WS, admin, unique("target"), "member");
        return new Member(added.path("username").asText(), added.path("token").path("id").asText());
    }

    /** A new private project, created by the admin, with the owner, contributor and viewer principals assigned. */
    private static String freshProject() {
        String key = unique("cell");
        prepareProject(key);
        return key;
    }

    private static void prepareProject(String key) {
        api.createProject(WS, admin, key, "private");
        api.assignMember(WS, admin, key, ownerUser, "owner");
        api.assignServiceAccount(WS, admin, key, ownerSa, "owner");
        api.assignServiceAccount(WS, admin, key, contributorSa, "contributor");
        api.assignServiceAccount(WS, admin, key, viewerSa, "viewer");
    }

    private static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
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
