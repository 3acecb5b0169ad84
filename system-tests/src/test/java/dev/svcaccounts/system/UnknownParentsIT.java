package dev.svcaccounts.system;

import dev.svcaccounts.system.support.Api;
import dev.svcaccounts.system.support.Principal;
import dev.svcaccounts.system.support.Probe;
import dev.svcaccounts.system.support.Response;
import dev.svcaccounts.system.support.RunningSystem;
import dev.svcaccounts.system.support.Workspaces;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever lies under a parent that does not exist in the workspace (a member, a service account, a project, the
 * workspace itself) is 404 with the very problem code the parent's own GET gives: never an empty 200 list that
 * would read as "exists, has nothing". On both sides, for reads and writes.
 */
class UnknownParentsIT {

    private static final String NO_ACCOUNT = Probe.NO_SUCH_ACCOUNT;

    @RegisterExtension
    static final RunningSystem system = RunningSystem.perTestClass("unknown_parents");
    private static Api api;
    private static Principal admin;
    private static String at;

    @BeforeAll
    static void setUp() throws InterruptedException {
        api = system.api();
        Workspaces workspaces = new Workspaces(api);
        admin = workspaces.fresh("parents");
        workspaces.user(admin, "bob", "member");
        workspaces.user(admin, "gone", "member");
        api.removeMember(admin.ws(), admin.token(), "gone");
        api.createProject(admin.ws(), admin.token(), "known", "private");
        Thread.sleep(5); // an instant after all of that, for ?at=
        at = Instant.now().toString();
    }

    @TestFactory
    List<DynamicTest> underAnUnknownParent_the404IsTheParents() {
        String ws = admin.ws();
        List<DynamicTest> tests = new ArrayList<>();
        for (String member : List.of("nobody", "gone")) {
            String parent = Api.member(ws, member);
            tests.addAll(sameAsParent(parent, List.of(
                    query("GET", parent + "/tokens"),
                    command("POST", parent + "/tokens"),
                    command("DELETE", parent + "/tokens/no-such-token"),
                    command("PATCH", parent).json(Map.of("role", "admin")),
                    command("DELETE", parent))));
        }
        // a removed member's timeline stays (history); one that never was is not found
        tests.addAll(sameAsParent(Api.member(ws, "nobody"),
                List.of(query("GET", Api.member(ws, "nobody") + "/timeline"))));

        String account = Api.serviceAccount(ws, NO_ACCOUNT);
        tests.addAll(sameAsParent(account, List.of(
                query("GET", account + "/tokens"),
                query("GET", account + "/timeline"),
                query("GET", account).param("at", at),
                command("POST", account + "/tokens"),
                command("DELETE", account + "/tokens/no-such-token"),
                command("PATCH", account).json(Map.of("name", "renamed")),
                command("POST", account + "/deactivate"),
                command("POST", account + "/reactivate"),
                command("DELETE", account))));

        String project = Api.project(ws, "nope");
        tests.addAll(sameAsParent(project, List.of(
                query("GET", project + "/service-accounts"),
                query("GET", project + "/members"),
                query("GET", project + "/access"),
                query("GET", project + "/access").param("at", at),
                command("PATCH", project).json(Map.of("name", "renamed")),
                command("DELETE", project),
                command("PUT", project + "/members/bob").json(Map.of("role", "viewer")),
                command("DELETE", project + "/members/bob"),
                command("PUT", project + "/service-accounts/" + NO_ACCOUNT).json(Map.of("role", "viewer")),
                command("DELETE", project + "/service-accounts/" + NO_ACCOUNT))));

        String nowhere = "/v1/workspaces/nowhere";
        tests.addAll(sameAsParent(nowhere + "/members", List.of(
                query("GET", nowhere + "/service-accounts"),
                query("GET", nowhere + "/projects"),
                query("GET", nowhere + "/members/bob"),
                query("GET", nowhere + "/members/bob/tokens"),
                query("GET", nowhere + "/members/bob/timeline"),
                query("GET", nowhere + "/projects/known/access"),
                query("GET", nowhere + "/audit"),
                query("GET", nowhere + "/compliance/tokens"),
                command("POST", nowhere + "/projects").json(Map.of("key", "kk", "name", "K")),
                command("POST", nowhere + "/members").json(Map.of("username", "carl", "role", "member")),
                command("POST", nowhere + "/service-accounts").json(Map.of("name", "x")))));
        return tests;
    }

    /** A request under a parent, named for the test report. */
    private record Child(String name, Api.Request request) {

        Child json(Object body) {
            request.json(body);
            return this;
        }

        Child param(String name, String value) {
            request.param(name, value);
            return new Child(this.name + "?" + name + "=", request);
        }
    }

    /** The parent's GET is a 404; each request under it must be the same 404. */
    private static List<DynamicTest> sameAsParent(String parentPath, List<Child> children) {
        Response parent = api.query("GET", parentPath).token(admin.token()).send();
        assertThat(parent.status()).as(parent.toString()).isEqualTo(404);
        String code = parent.problemCode();
        return children.stream().map(child -> DynamicTest.dynamicTest(child.name() + " → 404 " + code,
                () -> child.request().send().expectProblem(404, code))).toList();
    }

    private static Child query(String method, String path) {
        return new Child("query " + method + " " + path, api.query(method, path).token(admin.token()));
    }

    private static Child command(String method, String path) {
        return new Child("command " + method + " " + path, api.command(method, path).token(admin.token()));
    }
}
