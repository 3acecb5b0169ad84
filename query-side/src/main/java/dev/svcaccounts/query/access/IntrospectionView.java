package dev.svcaccounts.query.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.svcaccounts.credentials.AccessRules;
import dev.svcaccounts.credentials.ActiveToken;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.credentials.ProjectListing;
import dev.svcaccounts.events.AccessSource;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.ProjectRole;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 7662 introspection response, bounded whatever the size of the workspace. An inactive token gets
 * {@code {"active": false}} and nothing else, so the answer says nothing about why. {@code projects} lists the
 * projects of {@link ProjectListing} (explicit grants, or the one project asked for) with the effective role;
 * {@code implicit_access} summarises access that reaches a class of projects (source to role), and {@code scope}
 * lists, sorted, {@code <key>:<permission>} for each listed project and {@code <selector>:<permission>} for each
 * implicit grant ({@link #selector}). Absent fields ({@code exp} without an expiry, {@code scope} without any
 * permission, the markers of a complete listing) are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IntrospectionView(boolean active, String sub,
                         @JsonProperty("principal_type") String principalType,
                         String username, String name, String workspace,
                         @JsonProperty("workspace_role") String workspaceRole,
                         @JsonProperty("token_id") String tokenId,
                         @JsonProperty("token_type") String tokenType,
                         Long iat, Long exp, Map<String, String> projects,
                         @JsonProperty("projects_truncated") Boolean projectsTruncated,
                         @JsonProperty("projects_total") Integer projectsTotal,
                         @JsonProperty("implicit_access") Map<String, String> implicitAccess, String scope) {

    static final IntrospectionView INACTIVE = new IntrospectionView(false, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null);

    /** Scope selector of the implicit grant every project of the workspace gets (workspace admins). */
    static final String EVERY_PROJECT = "*";
    /** Scope selector of the implicit grant every project visible to the whole workspace gets. */
    static final String WORKSPACE_VISIBLE_PROJECTS = "*visible";

    /**
     * @param listing  the projects to list
     * @param narrowed whether the answer was asked for one project ({@code resource}): then it is about that project
     *                 alone, without the implicit summary
     */
    static IntrospectionView of(ActiveToken token, ProjectListing listing, boolean narrowed) {
        AuthenticatedPrincipal principal = token.principal();
        Map<String, String> projects = new LinkedHashMap<>();
        List<String> scopes = new ArrayList<>();
        for (ProjectAccessView project : listing.listed()) {
            project.access().ifPresent(access -> {
                projects.put(project.key(), access.role().wireName());
                addScopes(scopes, project.key(), access.role());
            });
        }
        Map<String, String> implicit = new LinkedHashMap<>();
        if (!narrowed) {
            for (ProjectAccess.Grant grant : AccessRules.implicitGrants(principal)) {
                implicit.put(grant.source().wireName(), grant.role().wireName());
                addScopes(scopes, selector(grant.source()), grant.role());
            }
        }
        Collections.sort(scopes);
        boolean user = principal.type() == PrincipalType.USER;
        return new IntrospectionView(true, principal.id(), principal.type().name().toLowerCase(),
                user ? principal.id() : null, principal.name(), principal.workspaceId(),
                user && principal.role() != null ? principal.role().name().toLowerCase() : null,
                principal.tokenId(), "Bearer", epochSeconds(token.issuedAt()), epochSeconds(token.expiresAt()),
                projects, listing.truncated() ? Boolean.TRUE : null, listing.truncated() ? listing.total() : null,
                implicit.isEmpty() ? null : implicit, scopes.isEmpty() ? null : String.join(" ", scopes));
    }

    /**
     * What stands for the projects an implicit grant reaches in {@code scope}: never a project key (keys start with a
     * letter or digit), so {@code SCOPE_*:write} and {@code SCOPE_<key>:write} never collide in a resource server.
     */
    static String selector(AccessSource source) {
        return switch (source) {
            case WORKSPACE_ADMIN -> EVERY_PROJECT;
            case VISIBILITY -> WORKSPACE_VISIBLE_PROJECTS;
            case EXPLICIT -> throw new IllegalArgumentException("an explicit grant names its project");
        };
    }

    private static void addScopes(List<String> scopes, String projects, ProjectRole role) {
        for (ProjectPermission permission : role.permissions()) {
            scopes.add(projects + ":" + permission.wireName());
        }
    }

    private static Long epochSeconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }
}
