package dev.svcaccounts.credentials;

import dev.svcaccounts.events.AccessSource;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AccessRulesTest {

    private static final AuthenticatedPrincipal MEMBER =
            new AuthenticatedPrincipal(PrincipalType.USER, "bob", "bob", "acme", WorkspaceRole.MEMBER, "t-1");
    private static final AuthenticatedPrincipal OPERATOR = AuthenticatedPrincipal.operator();

    @Test
    void anotherWorkspace_isNotFound_andTheOperatorHasNone() {
        assertThatCode(() -> AccessRules.requireWorkspace(MEMBER, "acme")).doesNotThrowAnyException();
        assertThat(refusal(() -> AccessRules.requireWorkspace(MEMBER, "other")))
                .returns(DomainRuleException.Kind.NOT_FOUND, DomainRuleException::kind)
                .returns("workspace-not-found", DomainRuleException::code);
        assertThat(refusal(() -> AccessRules.requireWorkspace(OPERATOR, "acme")).code())
                .isEqualTo("workspace-not-found");
    }

    @Test
    void aServiceAccount_seesOnlyTheProjectsItIsAssignedTo_whateverTheirVisibility() {
        for (ProjectVisibility visibility : ProjectVisibility.values()) {
            Optional<ProjectAccess> unassigned =
                    AccessRules.accessOf(PrincipalType.SERVICE_ACCOUNT, null, visibility, null);
            Optional<ProjectAccess> viewer =
                    AccessRules.accessOf(PrincipalType.SERVICE_ACCOUNT, null, visibility, ProjectRole.VIEWER);
            assertThat(ProjectAccess.isVisibleTo(PrincipalType.SERVICE_ACCOUNT, unassigned))
                    .as(visibility + ", unassigned").isFalse();
            assertThat(ProjectAccess.isVisibleTo(PrincipalType.SERVICE_ACCOUNT, viewer))
                    .as(visibility + ", viewer").isTrue();
        }
    }

    @Test
    void aUser_seesEveryProjectOfItsWorkspace_evenWithoutAccess() {
        Optional<ProjectAccess> none = AccessRules.accessOf(PrincipalType.USER, WorkspaceRole.MEMBER,
                ProjectVisibility.PRIVATE, null);
        assertThat(none).isEmpty();
        assertThat(ProjectAccess.isVisibleTo(PrincipalType.USER, none)).isTrue();
    }

    @Test
    void implicitGrants_areTheVisibilityOnesForAUser_theAdminsOwnerToo_andNoneForAServiceAccount() {
        assertThat(AccessRules.implicitGrants(PrincipalType.SERVICE_ACCOUNT, null)).isEmpty();
        assertThat(AccessRules.implicitGrants(PrincipalType.USER, WorkspaceRole.MEMBER)).containsExactly(
                new ProjectAccess.Grant(AccessSource.VISIBILITY, ProjectRole.CONTRIBUTOR));
        assertThat(AccessRules.implicitGrants(PrincipalType.USER, WorkspaceRole.ADMIN)).containsExactly(
                new ProjectAccess.Grant(AccessSource.VISIBILITY, ProjectRole.CONTRIBUTOR),
                new ProjectAccess.Grant(AccessSource.WORKSPACE_ADMIN, ProjectRole.OWNER));
        // what a user has on a workspace-visible project it was not assigned to is exactly its implicit grants
        for (WorkspaceRole role : WorkspaceRole.values()) {
            List<ProjectAccess.Grant> implicit = AccessRules.implicitGrants(PrincipalType.USER, role);
            assertThat(AccessRules.accessOf(PrincipalType.USER, role, ProjectVisibility.PUBLIC, null)
                    .map(ProjectAccess::grants)).contains(implicit);
        }
    }

    @Test
    void aProjectSeenWithoutThePermission_isForbidden_namingTheRoleItNeeds() {
        Optional<ProjectAccess> viewer = AccessRules.accessOf(PrincipalType.SERVICE_ACCOUNT, null,
                ProjectVisibility.PRIVATE, ProjectRole.VIEWER);
        assertThatCode(() -> AccessRules.requirePermission(viewer, "web", ProjectPermission.READ))
                .doesNotThrowAnyException();
        assertThat(refusal(() -> AccessRules.requirePermission(viewer, "web", ProjectPermission.WRITE)))
                .returns(DomainRuleException.Kind.FORBIDDEN, DomainRuleException::kind)
                .returns("project-write-required", DomainRuleException::code);
        assertThat(refusal(() -> AccessRules.requirePermission(Optional.empty(), "web", ProjectPermission.READ))
                .code()).as("a user without access").isEqualTo("project-read-required");
    }

    @Test
    void aProjectNotSeen_isTheSame404AsOneThatDoesNotExist() {
        assertThat(AccessRules.projectNotFound("acme", "web"))
                .returns(DomainRuleException.Kind.NOT_FOUND, DomainRuleException::kind)
                .returns("project-not-found", DomainRuleException::code);
    }

    private static DomainRuleException refusal(Runnable check) {
        return catchThrowableOfType(DomainRuleException.class, check::run);
    }
}
