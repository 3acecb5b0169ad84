package dev.svcaccounts.query.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.svcaccounts.credentials.AccessRules;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectListing;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.query.AccessibleProjectView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who the caller is and what it may do, bounded as introspection is: the projects of its {@link ProjectListing}
 * (its explicit grants, or the one project asked for), with {@code projectsTruncated} and {@code projectsTotal} when
 * there are more grants than listed, and {@code implicitAccess} (grant source to role) for access that reaches a
 * class of projects. A scoped token's answer lists the projects its {@code scope} (project key to maximum role)
 * reaches, at the capped role, and no implicit access. Absent fields are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MeView(String type, String id, String name, String workspace, String workspaceRole, String tokenId,
              List<AccessibleProjectView> projects, Boolean projectsTruncated, Integer projectsTotal,
              Map<String, String> implicitAccess, Map<String, String> scope) {

    /**
     * @param narrowed whether the answer was asked for one project ({@code resource}): then it is about that project
     *                 alone, without the implicit summary
     */
    static MeView of(AuthenticatedPrincipal principal, ProjectListing listing, boolean narrowed) {
        Map<String, String> implicit = new LinkedHashMap<>();
        if (!narrowed && !principal.isOperator()) {
            for (ProjectAccess.Grant grant : AccessRules.implicitGrants(principal)) {
                implicit.put(grant.source().wireName(), grant.role().wireName());
            }
        }
        return new MeView(principal.type().name().toLowerCase(), principal.id(), principal.name(),
                principal.workspaceId(), principal.role() == null ? null : principal.role().name().toLowerCase(),
                principal.tokenId(), AccessibleProjectView.of(listing.listed()),
                listing.truncated() ? Boolean.TRUE : null, listing.truncated() ? listing.total() : null,
                implicit.isEmpty() ? null : implicit, TokenScope.wireNames(principal.scope()));
    }
}
