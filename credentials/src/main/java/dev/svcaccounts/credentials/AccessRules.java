package dev.svcaccounts.credentials;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.refusals.DomainRuleException;

import java.util.List;
import java.util.Optional;

/**
 * What a principal may do in the projects of its workspace, as the read path decides it (introspection,
 * {@code /v1/me}, every access check of the query side): written here once. The effective role itself is
 * {@link ProjectAccess#resolve}, the function the aggregate uses too.
 */
public final class AccessRules {

    private AccessRules() {
    }

    /** Another workspace's resources are 404, never a hint that they exist. */
    public static void requireWorkspace(AuthenticatedPrincipal principal, String workspaceId) {
        if (principal.workspaceId() == null || !principal.workspaceId().equals(workspaceId)) {
            throw DomainRuleException.notFound("workspace-not-found", "Workspace '" + workspaceId + "' was not found.");
        }
    }

    /**
     * The access of an active principal (the credential tables hold only active ones as such) to a project of this
     * visibility where it was assigned {@code explicit} (null when not assigned); empty when it has none.
     */
    public static Optional<ProjectAccess> accessOf(PrincipalType type, WorkspaceRole workspaceRole,
                                                   ProjectVisibility visibility, ProjectRole explicit) {
        return ProjectAccess.resolve(type, workspaceRole, true, visibility, explicit);
    }

    /**
     * The access an active principal has without being assigned anywhere, one grant per source, each applying to a
     * class of projects rather than to one: {@code visibility} to every project visible to the whole workspace
     * ({@code workspace} or {@code public}), {@code workspace-admin} to every project of the workspace. Empty for a
     * service account. Read off {@link ProjectAccess#resolve} for a workspace-visible project the principal was not
     * assigned to, the project that every implicit grant reaches.
     */
    public static List<ProjectAccess.Grant> implicitGrants(PrincipalType type, WorkspaceRole workspaceRole) {
        return implicitGrantsOf(type, workspaceRole);
    }

    /**
     * The implicit access of the request's token: its principal's ({@link #implicitGrants(PrincipalType,
     * WorkspaceRole)}), none for a scoped token, whose access is listed project by project.
     */
    public static List<ProjectAccess.Grant> implicitGrants(AuthenticatedPrincipal principal) {
        return principal.isScoped() ? List.of() : implicitGrantsOf(principal.type(), principal.role());
    }

    private static List<ProjectAccess.Grant> implicitGrantsOf(PrincipalType type, WorkspaceRole workspaceRole) {
        return accessOf(type, workspaceRole, ProjectVisibility.WORKSPACE, null)
                .map(ProjectAccess::grants).orElse(List.of());
    }

    /** A project that does not exist, or that the principal does not see (the same answer). */
    static DomainRuleException projectNotFound(String workspaceId, String projectKey) {
        return DomainRuleException.notFound("project-not-found",
                "Project '" + projectKey + "' was not found in workspace '" + workspaceId + "'.");
    }

    /** 403 {@code token-scope-exceeded}: a token narrower than its owner, used beyond its scope. */
    public static DomainRuleException scopeExceeded(String detail) {
        return DomainRuleException.forbidden("token-scope-exceeded", detail);
    }

    /** The principal has the permission, its token may not have it: 403 naming the token's cap. */
    static void requireWithinScope(Optional<ProjectAccess> tokens, String projectKey, ProjectPermission permission) {
        if (tokens.filter(a -> a.permits(permission)).isEmpty()) {
            throw scopeExceeded("This token's scope " + tokens.map(a -> "caps project '" + projectKey + "' at "
                    + a.role().wireName()).orElse("does not include project '" + projectKey + "'")
                    + "; this needs the '" + permission.wireName() + "' permission there. Use a token with "
                    + "a wider scope.");
        }
    }

    /** A project the principal sees, without the permission: 403 naming the role it needs. */
    static void requirePermission(Optional<ProjectAccess> access, String projectKey, ProjectPermission permission) {
        if (access.filter(a -> a.permits(permission)).isEmpty()) {
            throw DomainRuleException.forbidden("project-" + permission.wireName() + "-required",
                    "This needs the '" + permission.wireName() + "' permission on project '" + projectKey
                            + "' (role " + ProjectRole.lowestWith(permission).wireName() + " or higher).");
        }
    }
}
