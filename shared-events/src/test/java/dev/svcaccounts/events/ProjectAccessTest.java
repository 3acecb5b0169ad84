package dev.svcaccounts.events;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access rules every side resolves effective roles with. */
class ProjectAccessTest {

    private static Optional<ProjectAccess> user(WorkspaceRole role, ProjectVisibility visibility,
                                                ProjectRole explicit) {
        return ProjectAccess.resolve(PrincipalType.USER, role, true, visibility, explicit);
    }

    private static Optional<ProjectAccess> serviceAccount(boolean active, ProjectVisibility visibility,
                                                          ProjectRole explicit) {
        return ProjectAccess.resolve(PrincipalType.SERVICE_ACCOUNT, null, active, visibility, explicit);
    }

    @Test
    void viewerReadsOnly_contributorAlsoWrites_ownerAlsoManages() {
        assertEquals(EnumSet.of(ProjectPermission.READ), ProjectRole.VIEWER.permissions());
        assertEquals(EnumSet.of(ProjectPermission.READ, ProjectPermission.WRITE),
                ProjectRole.CONTRIBUTOR.permissions());
        assertEquals(EnumSet.allOf(ProjectPermission.class), ProjectRole.OWNER.permissions());
        assertEquals(ProjectRole.CONTRIBUTOR, ProjectRole.lowestWith(ProjectPermission.WRITE));
        assertEquals(ProjectRole.OWNER, ProjectRole.lowestWith(ProjectPermission.MANAGE));
    }

    @Test
    void serviceAccounts_getNothingFromVisibility() {
        for (ProjectVisibility visibility : ProjectVisibility.values()) {
            assertEquals(Optional.empty(), serviceAccount(true, visibility, null), visibility.name());
        }
        assertEquals(ProjectRole.VIEWER,
                serviceAccount(true, ProjectVisibility.PUBLIC, ProjectRole.VIEWER).orElseThrow().role());
    }

    @Test
    void aDeactivatedServiceAccount_keepsItsAssignmentButHasNoAccess() {
        assertEquals(Optional.empty(), serviceAccount(false, ProjectVisibility.PRIVATE, ProjectRole.OWNER));
    }

    @Test
    void users_areImplicitContributorsOfWorkspaceAndPublicProjects_only() {
        assertEquals(Optional.empty(), user(WorkspaceRole.MEMBER, ProjectVisibility.PRIVATE, null));
        assertEquals(new ProjectAccess(ProjectRole.CONTRIBUTOR,
                        List.of(new ProjectAccess.Grant(AccessSource.VISIBILITY, ProjectRole.CONTRIBUTOR))),
                user(WorkspaceRole.MEMBER, ProjectVisibility.WORKSPACE, null).orElseThrow());
        assertEquals(ProjectRole.CONTRIBUTOR,
                user(WorkspaceRole.MEMBER, ProjectVisibility.PUBLIC, null).orElseThrow().role());
    }

    @Test
    void theHighestGrantWins_andEveryGrantIsListed() {
        ProjectAccess viewerOnWorkspaceProject =
                user(WorkspaceRole.MEMBER, ProjectVisibility.WORKSPACE, ProjectRole.VIEWER).orElseThrow();
        assertEquals(ProjectRole.CONTRIBUTOR, viewerOnWorkspaceProject.role());
        assertEquals(2, viewerOnWorkspaceProject.grants().size());

        ProjectAccess admin = user(WorkspaceRole.ADMIN, ProjectVisibility.PRIVATE, null).orElseThrow();
        assertEquals(ProjectRole.OWNER, admin.role());
        assertEquals(List.of(new ProjectAccess.Grant(AccessSource.WORKSPACE_ADMIN, ProjectRole.OWNER)), admin.grants());
        assertTrue(admin.permits(ProjectPermission.MANAGE));
    }
}
