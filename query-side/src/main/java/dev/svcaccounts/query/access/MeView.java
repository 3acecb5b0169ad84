package dev.svcaccounts.query.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.query.AccessibleProjectView;

import java.util.List;

/** Who the caller is and what it may do in each project it can access. Absent fields are left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MeView(String type, String id, String name, String workspace, String workspaceRole, String tokenId,
              List<AccessibleProjectView> projects) {

    static MeView of(AuthenticatedPrincipal principal, List<ProjectAccessView> accessible) {
        return new MeView(principal.type().name().toLowerCase(), principal.id(), principal.name(),
                principal.workspaceId(), principal.role() == null ? null : principal.role().name().toLowerCase(),
                principal.tokenId(), AccessibleProjectView.of(accessible));
    }
}
