package dev.svcaccounts.query.project;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovalCause;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.query.PrincipalView;
import dev.svcaccounts.query.ReadModelDatabase;
import dev.svcaccounts.query.project.ProjectAccessListing.Candidate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectReadModelIT {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-02T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-01-03T10:00:00Z");
    private static final PrincipalRef ALICE = PrincipalRef.user("alice");
    private static final PrincipalRef CI = PrincipalRef.serviceAccount("sa-ci");
    private static final PrincipalView BY_ALICE = new PrincipalView("user", "alice");

    private final JdbcTemplate jdbc = ReadModelDatabase.jdbc();
    private final ProjectProjection projection = new ProjectProjection(jdbc);
    private final ProjectReadModel readModel = new ProjectReadModel(jdbc);

    @BeforeEach
    void clear() {
        ReadModelDatabase.clear();
    }

    @Test
    void createdProject_hasItsCreator_andRenameAndVisibilityChangeShow() {
        create("ml", ProjectVisibility.PRIVATE, T0);
        projection.on(new ProjectRenamedEvent("acme", "ml", "ML", "Machine learning"));
        projection.on(
                new ProjectVisibilityChangedEvent("acme", "ml", ProjectVisibility.PUBLIC, ProjectVisibility.PRIVATE));

        assertThat(readModel.list("acme")).containsExactly(
                new ProjectRow("ml", "ML", ProjectVisibility.PUBLIC, T0, new PrincipalView("user", "alice")));
        assertThat(readModel.list("other")).isEmpty();
    }

    @Test
    void reassignment_changesTheRole_andItsTimeAndActorAreThoseOfTheCurrentRole() {
        create("ml", ProjectVisibility.PRIVATE, T0);
        projection.on(new ProjectRoleAssignedEvent("acme", "ml", CI, ProjectRole.VIEWER, null), T1, "USER", "alice");
        projection.on(new ProjectRoleAssignedEvent("acme", "ml", CI, ProjectRole.CONTRIBUTOR, ProjectRole.VIEWER), T2,
                "SERVICE_ACCOUNT", "sa-owner");
        serviceAccount("sa-ci", "ci", "active");

        assertThat(readModel.serviceAccounts("acme", "ml")).containsExactly(
                new ProjectReadModel.ServiceAccountAssignment("sa-ci", "ci", "active", ProjectRole.CONTRIBUTOR, T2,
                        new PrincipalView("service_account", "sa-owner")));
        assertThat(readModel.members("acme", "ml")).containsExactly(
                new ProjectMemberView("alice", "owner", T0, new PrincipalView("user", "alice")));
    }

    @Test
    void removedAssignment_isGone() {
        create("ml", ProjectVisibility.PRIVATE, T0);
        projection.on(new ProjectRoleRemovedEvent("acme", "ml", ALICE,
                ProjectRole.OWNER, ProjectRoleRemovalCause.MEMBER_REMOVED));
        assertThat(readModel.members("acme", "ml")).isEmpty();
    }

    @Test
    void deletedProject_takesItsAssignmentsWithIt_andItsKeyMayBeUsedAgain() {
        create("ml", ProjectVisibility.WORKSPACE, T0);
        projection.on(new ProjectRoleAssignedEvent("acme", "ml", CI, ProjectRole.VIEWER, null), T1, "USER", "alice");
        projection.on(new ProjectDeletedEvent("acme", "ml", "Machine learning"));
        assertThat(readModel.find("acme", "ml")).isEmpty();
        assertThat(ReadModelDatabase.dump("project_assignment")).isEmpty();

        projection.on(new ProjectCreatedEvent("acme", "ml", "Again", ProjectVisibility.PRIVATE, CI), T2);
        assertThat(readModel.find("acme", "ml")).contains(
                new ProjectRow("ml", "Again", ProjectVisibility.PRIVATE, T2,
                        new PrincipalView("service_account", "sa-ci")));
        assertThat(readModel.serviceAccounts("acme", "ml")).isEmpty();
    }

    @Test
    void accessCandidates_areEveryMember_andEveryAssignedPrincipal_evenOnesAnotherReadModelDoesNotKnowYet() {
        create("ml", ProjectVisibility.PRIVATE, T0); // alice: owner
        member("alice", WorkspaceRole.ADMIN);
        member("bob", WorkspaceRole.MEMBER);
        assignedByAlice("ml", PrincipalRef.user("new-user"), ProjectRole.VIEWER, null, T1);
        assignedByAlice("ml", CI, ProjectRole.CONTRIBUTOR, null, T1);
        assignedByAlice("ml", PrincipalRef.serviceAccount("sa-new"), ProjectRole.VIEWER, null, T1);
        serviceAccount("sa-ci", "ci", "deactivated");

        assertThat(readModel.accessCandidates("acme", "ml")).as("each assignment with when and by whom it was given")
                .containsExactlyInAnyOrder(
                new Candidate(PrincipalType.USER, "alice", "alice", WorkspaceRole.ADMIN, "active",
                        ProjectRole.OWNER, T0, BY_ALICE),
                new Candidate(PrincipalType.USER, "bob", "bob", WorkspaceRole.MEMBER, "active", null, null, null),
                new Candidate(PrincipalType.USER, "new-user", "new-user", null, "active",
                        ProjectRole.VIEWER, T1, BY_ALICE),
                new Candidate(PrincipalType.SERVICE_ACCOUNT, "sa-ci", "ci", null, "deactivated",
                        ProjectRole.CONTRIBUTOR, T1, BY_ALICE),
                new Candidate(PrincipalType.SERVICE_ACCOUNT, "sa-new", null, null, "active",
                        ProjectRole.VIEWER, T1, BY_ALICE));
    }

    @Test
    void everyEventHandledTwice_leavesTheSameRows_andResetEmptiesBothTables() {
        List<Runnable> history = List.of(
                () -> create("ml", ProjectVisibility.PRIVATE, T0),
                () -> create("web", ProjectVisibility.WORKSPACE, T0),
                () -> assignedByAlice("ml", CI, ProjectRole.VIEWER, null, T1),
                () -> assignedByAlice("ml", CI, ProjectRole.OWNER, ProjectRole.VIEWER, T2),
                () -> assignedByAlice("web", CI, ProjectRole.VIEWER, null, T1),
                () -> projection.on(new ProjectRenamedEvent("acme", "ml", "ML", "Machine learning")),
                () -> projection.on(new ProjectVisibilityChangedEvent("acme", "ml",
                        ProjectVisibility.WORKSPACE, ProjectVisibility.PRIVATE)),
                () -> projection.on(new ProjectRoleRemovedEvent("acme", "web", ALICE,
                        ProjectRole.OWNER, ProjectRoleRemovalCause.UNASSIGNED)),
                () -> projection.on(new ProjectDeletedEvent("acme", "web", "Machine learning")));
        history.forEach(Runnable::run);
        List<String> projects = ReadModelDatabase.dump("project");
        List<String> assignments = ReadModelDatabase.dump("project_assignment");

        projection.reset();
        assertThat(ReadModelDatabase.dump("project")).isEmpty();
        assertThat(ReadModelDatabase.dump("project_assignment")).isEmpty();
        history.forEach(event -> {
            event.run();
            event.run();
        });
        assertThat(ReadModelDatabase.dump("project")).isEqualTo(projects).hasSize(1);
        assertThat(ReadModelDatabase.dump("project_assignment")).isEqualTo(assignments).hasSize(2);
    }

    /** As the command side does it: the creator becomes owner right after the project is created. */
    private void create(String key, ProjectVisibility visibility, Instant at) {
        projection.on(new ProjectCreatedEvent("acme", key, "Machine learning", visibility, ALICE), at);
        projection.on(new ProjectRoleAssignedEvent("acme", key, ALICE, ProjectRole.OWNER, null), at, "USER", "alice");
    }

    private void assignedByAlice(String key, PrincipalRef assignee, ProjectRole role, ProjectRole previous,
                                 Instant at) {
        projection.on(new ProjectRoleAssignedEvent("acme", key, assignee, role, previous), at, "USER", "alice");
    }

    private void member(String username, WorkspaceRole role) {
        jdbc.update("INSERT INTO query_side.member (workspace_id, username, role, added_at) VALUES ('acme', ?, ?, ?)",
                username, role.name(), Timestamp.from(T0));
    }

    private void serviceAccount(String id, String name, String status) {
        jdbc.update("""
                INSERT INTO query_side.service_account (workspace_id, id, name, status, created_at, updated_at)
                VALUES ('acme', ?, ?, ?, ?, ?)
                """, id, name, status, Timestamp.from(T0), Timestamp.from(T0));
    }
}
