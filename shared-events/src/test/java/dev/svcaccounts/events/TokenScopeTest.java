package dev.svcaccounts.events;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A token's cap on its owner's access: the lower of the two, nothing outside the scope, each grant capped too. */
class TokenScopeTest {

    private static final TokenScope CHURN_VIEWER = new TokenScope(Map.of("churn", ProjectRole.VIEWER));

    private static Optional<ProjectAccess> adminOn(ProjectVisibility visibility) {
        return ProjectAccess.resolve(PrincipalType.USER, WorkspaceRole.ADMIN, true, visibility, null);
    }

    @Test
    void noScope_leavesTheOwnersAccessAsItIs() {
        assertThat(TokenScope.limit(null, "churn", adminOn(ProjectVisibility.PRIVATE)))
                .isEqualTo(adminOn(ProjectVisibility.PRIVATE));
    }

    @Test
    void anAdminScopedToViewer_isAViewerThere_everyGrantCapped() {
        ProjectAccess capped = TokenScope.limit(CHURN_VIEWER, "churn", adminOn(ProjectVisibility.WORKSPACE))
                .orElseThrow();
        assertThat(capped.role()).isEqualTo(ProjectRole.VIEWER);
        assertThat(capped.grants()).containsExactly(
                new ProjectAccess.Grant(AccessSource.VISIBILITY, ProjectRole.VIEWER),
                new ProjectAccess.Grant(AccessSource.WORKSPACE_ADMIN, ProjectRole.VIEWER));
    }

    @Test
    void aProjectOutsideTheScope_givesNoAccess() {
        assertThat(TokenScope.limit(CHURN_VIEWER, "eval", adminOn(ProjectVisibility.PRIVATE))).isEmpty();
    }

    @Test
    void aCapAboveTheOwnersRole_givesTheOwnersRole() {
        Optional<ProjectAccess> viewer = ProjectAccess.resolve(PrincipalType.SERVICE_ACCOUNT, null, true,
                ProjectVisibility.PRIVATE, ProjectRole.VIEWER);
        TokenScope owner = new TokenScope(Map.of("churn", ProjectRole.OWNER));
        assertThat(TokenScope.limit(owner, "churn", viewer)).isEqualTo(viewer);
        assertThat(TokenScope.limit(owner, "churn", Optional.empty())).as("no access stays none").isEmpty();
    }

    @Test
    void aScope_namesAtLeastOneProject_eachWithARole_andShowsInWireNames() {
        assertThatThrownBy(() -> new TokenScope(Map.of())).isInstanceOf(IllegalArgumentException.class);
        Map<String, ProjectRole> withNull = new HashMap<>();
        withNull.put("churn", null);
        assertThatThrownBy(() -> new TokenScope(withNull)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TokenScope.wireNames(new TokenScope(Map.of("eval", ProjectRole.CONTRIBUTOR, "churn",
                ProjectRole.VIEWER)))).containsExactly(Map.entry("churn", "viewer"), Map.entry("eval", "contributor"));
        assertThat(TokenScope.wireNames(null)).isNull();
        assertThat(List.copyOf(CHURN_VIEWER.projects().keySet())).containsExactly("churn");
    }
}
