package dev.svcaccounts.credentials;

import dev.svcaccounts.credentials.ProjectAccessStore.PrincipalAccess;
import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.credentials.testing.CommandSideDatabase;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.WorkspaceRole;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProjectAccessStore#accessOf} against the command side's migrations on a real PostgreSQL: an active
 * principal's workspace role and its access to each project of its workspace (as {@link AccessRules} decides it from
 * the stored visibility and explicit role), only the projects it has access to, by key in byte order; empty for an
 * unknown or deactivated principal; and all of it read by one statement, so on one snapshot without a transaction.
 */
class ProjectAccessStoreIT {

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    /** The statements the store prepared. */
    private static final List<String> statements = new CopyOnWriteArrayList<>();
    private static ProjectAccessStore store;

    @BeforeAll
    static void database() throws IOException {
        postgres = CommandSideDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
        DataSource recorded = new DelegatingDataSource(postgres.getPostgresDatabase()) {
            @Override
            public Connection getConnection() throws SQLException {
                return recording(super.getConnection());
            }
        };
        store = new ProjectAccessStore(new JdbcTemplate(recorded));
        principal("acme", PrincipalType.USER, "alice", "ADMIN", true);
        principal("acme", PrincipalType.USER, "uma", "MEMBER", true);
        principal("acme", PrincipalType.SERVICE_ACCOUNT, "robot", null, true);
        principal("acme", PrincipalType.SERVICE_ACCOUNT, "idle", null, true);
        principal("acme", PrincipalType.SERVICE_ACCOUNT, "gone", null, false);
        principal("other", PrincipalType.SERVICE_ACCOUNT, "robot", null, true);
        principal("empty", PrincipalType.USER, "eve", "MEMBER", true);
        project("acme", "ml", "WORKSPACE");
        project("acme", "m-l", "PRIVATE"); // before "ml" in byte order, after it in most locales' collations
        project("acme", "cv", "PRIVATE");
        project("acme", "zz", "PUBLIC");
        project("acme", "secret", "PRIVATE");
        project("other", "ml", "PRIVATE");
        assign("acme", "m-l", PrincipalType.USER, "uma", "VIEWER");
        assign("acme", "ml", PrincipalType.USER, "uma", "OWNER");
        assign("acme", "cv", PrincipalType.SERVICE_ACCOUNT, "robot", "CONTRIBUTOR");
        assign("acme", "ml", PrincipalType.SERVICE_ACCOUNT, "robot", "OWNER");
        assign("acme", "zz", PrincipalType.USER, "robot", "OWNER"); // a user of that id: not the account
        assign("acme", "secret", PrincipalType.SERVICE_ACCOUNT, "gone", "OWNER");
        assign("other", "ml", PrincipalType.SERVICE_ACCOUNT, "robot", "VIEWER");
        principal("wide", PrincipalType.SERVICE_ACCOUNT, "robot", null, true);
        principal("wide", PrincipalType.USER, "uma", "MEMBER", true);
        for (int i = 0; i < WIDE_PROJECTS; i++) {
            project("wide", "p" + i, i % 2 == 0 ? "PUBLIC" : "PRIVATE");
        }
        assign("wide", "p7", PrincipalType.SERVICE_ACCOUNT, "robot", "VIEWER");
        assign("wide", "p10", PrincipalType.SERVICE_ACCOUNT, "robot", "OWNER");
    }

    private static final int WIDE_PROJECTS = 300;

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void anActivePrincipal_getsItsRoleAndTheProjectsItHasAccessTo_byKeyInByteOrder() {
        assertThat(keys(store.accessOf("acme", PrincipalType.SERVICE_ACCOUNT, "robot"))).containsExactly("cv", "ml");
        assertThat(keys(store.accessOf("acme", PrincipalType.USER, "uma"))).containsExactly("m-l", "ml", "zz");
        assertThat(keys(store.accessOf("acme", PrincipalType.USER, "alice")))
                .containsExactly("cv", "m-l", "ml", "secret", "zz");
        assertThat(keys(store.accessOf("other", PrincipalType.SERVICE_ACCOUNT, "robot"))).containsExactly("ml");
        assertThat(store.accessOf("acme", PrincipalType.SERVICE_ACCOUNT, "idle"))
                .hasValue(new PrincipalAccess(null, List.of()));
        assertThat(store.accessOf("empty", PrincipalType.USER, "eve"))
                .as("a workspace without projects").hasValue(new PrincipalAccess(WorkspaceRole.MEMBER, List.of()));
    }

    @Test
    void eachProjectsAccess_isTheRulesDecision_onItsStoredVisibilityAndExplicitRole() {
        PrincipalAccess uma = store.accessOf("acme", PrincipalType.USER, "uma").orElseThrow();
        assertThat(uma.workspaceRole()).isEqualTo(WorkspaceRole.MEMBER);
        WorkspaceRole member = WorkspaceRole.MEMBER;
        assertThat(uma.projects()).containsExactly(
                expected(PrincipalType.USER, member, "m-l", ProjectVisibility.PRIVATE, ProjectRole.VIEWER),
                expected(PrincipalType.USER, member, "ml", ProjectVisibility.WORKSPACE, ProjectRole.OWNER),
                expected(PrincipalType.USER, member, "zz", ProjectVisibility.PUBLIC, null));
        PrincipalAccess alice = store.accessOf("acme", PrincipalType.USER, "alice").orElseThrow();
        assertThat(alice.workspaceRole()).isEqualTo(WorkspaceRole.ADMIN);
        assertThat(alice.projects()).first().isEqualTo(
                expected(PrincipalType.USER, WorkspaceRole.ADMIN, "cv", ProjectVisibility.PRIVATE, null));
        assertThat(store.accessOf("acme", PrincipalType.SERVICE_ACCOUNT, "robot").orElseThrow().projects())
                .containsExactly(
                        expected(PrincipalType.SERVICE_ACCOUNT, null, "cv", ProjectVisibility.PRIVATE,
                                ProjectRole.CONTRIBUTOR),
                        expected(PrincipalType.SERVICE_ACCOUNT, null, "ml", ProjectVisibility.WORKSPACE,
                                ProjectRole.OWNER));
    }

    @Test
    void anUnknownOrDeactivatedPrincipal_hasNone() {
        assertThat(store.accessOf("acme", PrincipalType.SERVICE_ACCOUNT, "gone")).isEmpty();
        assertThat(store.accessOf("acme", PrincipalType.SERVICE_ACCOUNT, "nobody")).isEmpty();
        assertThat(store.accessOf("acme", PrincipalType.SERVICE_ACCOUNT, "uma")).as("a user's id").isEmpty();
        assertThat(store.accessOf("elsewhere", PrincipalType.USER, "uma")).isEmpty();
    }

    @Test
    void theRoleAndTheProjects_areReadByOneStatement_soOnOneSnapshot() {
        statements.clear();
        store.accessOf("acme", PrincipalType.USER, "uma");
        store.accessOf("acme", PrincipalType.SERVICE_ACCOUNT, "gone");

        assertThat(statements).hasSize(2);
    }

    @Test
    void aServiceAccountsAccess_isReadFromItsAssignments_notFromEveryProjectOfItsWorkspace() {
        assertThat(store.accessOf("wide", PrincipalType.SERVICE_ACCOUNT, "robot").orElseThrow().projects())
                .containsExactly(
                        expected(PrincipalType.SERVICE_ACCOUNT, null, "p10", ProjectVisibility.PUBLIC,
                                ProjectRole.OWNER),
                        expected(PrincipalType.SERVICE_ACCOUNT, null, "p7", ProjectVisibility.PRIVATE,
                                ProjectRole.VIEWER));
        assertThat(rowsRead("wide", PrincipalType.SERVICE_ACCOUNT, "robot")).as("its two assignments").isEqualTo(2);
        // a user's access reaches the projects visible to the workspace: every project is read
        assertThat(store.accessOf("wide", PrincipalType.USER, "uma").orElseThrow().projects())
                .hasSize(WIDE_PROJECTS / 2);
        assertThat(rowsRead("wide", PrincipalType.USER, "uma")).isEqualTo(WIDE_PROJECTS);
    }

    /** The rows the statement {@code accessOf} last prepared returns to the store (none of them filtered yet). */
    private static int rowsRead(String ws, PrincipalType type, String id) {
        statements.clear();
        store.accessOf(ws, type, id);
        assertThat(statements).hasSize(1);
        String sql = statements.get(0).substring(statements.get(0).indexOf(' ') + 1);
        return jdbc.queryForList(sql, ws, type.name(), id).size();
    }

    private static ProjectAccessView expected(PrincipalType type, WorkspaceRole role, String key,
                                              ProjectVisibility visibility, ProjectRole explicit) {
        return new ProjectAccessView(key, key, visibility, AccessRules.accessOf(type, role, visibility, explicit));
    }

    private static List<String> keys(Optional<PrincipalAccess> access) {
        List<String> keys = new ArrayList<>();
        access.orElseThrow().projects().forEach(project -> keys.add(project.key()));
        return keys;
    }

    private static void principal(String ws, PrincipalType type, String id, String role, boolean active) {
        jdbc.update("INSERT INTO command_side.auth_principal (workspace_id, principal_type, principal_id, display_name,"
                + " workspace_role, active) VALUES (?, ?, ?, ?, ?, ?)", ws, type.name(), id, id, role, active);
    }

    private static void project(String ws, String key, String visibility) {
        jdbc.update("INSERT INTO command_side.auth_project (workspace_id, project_key, name, visibility)"
                + " VALUES (?, ?, ?, ?)", ws, key, key, visibility);
    }

    private static void assign(String ws, String key, PrincipalType type, String id, String role) {
        jdbc.update("INSERT INTO command_side.auth_project_role (workspace_id, project_key, principal_type,"
                + " principal_id, role) VALUES (?, ?, ?, ?, ?)", ws, key, type.name(), id, role);
    }

    private static Connection recording(Connection target) {
        return (Connection) Proxy.newProxyInstance(ProjectAccessStoreIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                    if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                        statements.add(method.getName() + (arguments == null ? "" : " " + arguments[0]));
                    }
                    try {
                        return method.invoke(target, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
