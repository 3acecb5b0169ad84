package dev.svcaccounts.query.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.query.GrantView;

import java.util.List;

/** Who the caller is and what it may do in each project it can access. Absent fields are left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MeView(String type, String id, String name, String workspace, String workspaceRole, String tokenId,
              List<Project> projects) {

    record Project(String key, String name, String role, List<GrantView> grants, List<String> permissions) {
    }

    static MeView of(AuthenticatedPrincipal principal, List<ProjectAccessView> accessible) {
        List<Project> projects = accessible.stream()
                .flatMap(p -> p.access().stream().map(access -> new Project(p.key(), p.name(), access.role().wireName(),
                        GrantView.of(access),
                        access.role().permissions().stream().map(ProjectPermission::wireName).toList())))
                .toList();
        return new MeView(principal.type().name().toLowerCase(), principal.id(), principal.name(),
                principal.workspaceId(), principal.role() == null ? null : principal.role().name().toLowerCase(),
                principal.tokenId(), projects);
    }
}
