package dev.svcaccounts.credentials;

import dev.svcaccounts.credentials.testing.CommandSideDatabase;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.WorkspaceRole;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProjectOwnership} against the command side's migrations on a real PostgreSQL: an explicit owner assignment
 * in the principal's own workspace counts, for users and service accounts alike; another role, another workspace,
 * another kind of principal with the same id, or a workspace admin's implicit ownership do not; a removed
 * assignment or a deleted project stops counting at once.
 */
class ProjectOwnershipIT {

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;

    private final ProjectOwnership ownership = new ProjectOwnership(jdbc);

    @BeforeAll
    static void database() throws IOException {
        postgres = CommandSideDatabase.start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void empty() {
        jdbc.update("DELETE FROM command_side.auth_project");
        project("acme", "ml");
        project("acme", "cv");
        project("other", "ml");
    }

    @Test
    void anExplicitOwnerOfAnyProject_ownsOne_userOrServiceAccount() {
        assign("acme", "cv", PrincipalType.USER, "olivia", "OWNER");
        assign("acme", "ml", PrincipalType.SERVICE_ACCOUNT, "sa-1", "VIEWER");
        assign("acme", "cv", PrincipalType.SERVICE_ACCOUNT, "sa-1", "OWNER");

        assertThat(ownership.ownsAProject(user("acme", "olivia", WorkspaceRole.MEMBER))).isTrue();
        assertThat(ownership.ownsAProject(serviceAccount("acme", "sa-1"))).isTrue();
    }

    @Test
    void anotherRole_anotherWorkspace_anotherKindOfPrincipal_orAnAdminsImplicitRole_doNotCount() {
        assign("acme", "ml", PrincipalType.USER, "carl", "CONTRIBUTOR");
        assign("other", "ml", PrincipalType.USER, "olivia", "OWNER");
        assign("acme", "ml", PrincipalType.USER, "sa-1", "OWNER");

        assertThat(ownership.ownsAProject(user("acme", "carl", WorkspaceRole.MEMBER))).as("contributor").isFalse();
        assertThat(ownership.ownsAProject(user("acme", "olivia", WorkspaceRole.MEMBER))).as("elsewhere").isFalse();
        assertThat(ownership.ownsAProject(serviceAccount("acme", "sa-1"))).as("a user of that id").isFalse();
        assertThat(ownership.ownsAProject(user("acme", "alice", WorkspaceRole.ADMIN))).as("admin").isFalse();
        assertThat(ownership.ownsAProject(AuthenticatedPrincipal.operator())).as("operator").isFalse();
    }

    @Test
    void aRemovedAssignment_orADeletedProject_stopsCountingAtOnce() {
        assign("acme", "ml", PrincipalType.USER, "olivia", "OWNER");
        assign("acme", "cv", PrincipalType.SERVICE_ACCOUNT, "sa-1", "OWNER");

        jdbc.update("UPDATE command_side.auth_project_role SET role = 'CONTRIBUTOR' WHERE principal_id = 'olivia'");
        jdbc.update("DELETE FROM command_side.auth_project WHERE workspace_id = 'acme' AND project_key = 'cv'");

        assertThat(ownership.ownsAProject(user("acme", "olivia", WorkspaceRole.MEMBER))).isFalse();
        assertThat(ownership.ownsAProject(serviceAccount("acme", "sa-1"))).isFalse();
    }

    private static void project(String ws, String key) {
        jdbc.update("INSERT INTO command_side.auth_project (workspace_id, project_key, name, visibility)"
                + " VALUES (?, ?, ?, 'PRIVATE')", ws, key, key);
    }

    private static void assign(String ws, String key, PrincipalType type, String id, String role) {
        jdbc.update("INSERT INTO command_side.auth_project_role (workspace_id, project_key, principal_type,"
                + " principal_id, role) VALUES (?, ?, ?, ?, ?)", ws, key, type.name(), id, role);
    }

    private static AuthenticatedPrincipal user(String ws, String username, WorkspaceRole role) {
        return new AuthenticatedPrincipal(PrincipalType.USER, username, username, ws, role, "t-" + username);
    }

    private static AuthenticatedPrincipal serviceAccount(String ws, String id) {
        return new AuthenticatedPrincipal(PrincipalType.SERVICE_ACCOUNT, id, id, ws, null, "t-" + id);
    }
}
