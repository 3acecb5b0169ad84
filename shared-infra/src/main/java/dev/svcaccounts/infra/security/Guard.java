package dev.svcaccounts.infra.security;

import dev.svcaccounts.credentials.AccessRules;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.refusals.DomainRuleException;

/** Checks shared by both sides' controllers, before anything is read or dispatched. */
public final class Guard {

    private Guard() {
    }

    /** Another workspace's resources are 404, never a hint that they exist ({@link AccessRules}). */
    public static void requireWorkspace(AuthenticatedPrincipal principal, String workspaceId) {
        AccessRules.requireWorkspace(principal, workspaceId);
    }

    /**
     * A workspace-level action (not within one project: creating a project, managing members, service accounts or
     * tokens, workspace-wide reads): never with a scoped token, whatever its owner may do ({@code
     * token-scope-exceeded}).
     */
    public static void requireWorkspaceLevel(AuthenticatedPrincipal principal, String workspaceId) {
        requireWorkspace(principal, workspaceId);
        requireUnscopedToken(principal);
    }

    public static void requireWorkspaceAdmin(AuthenticatedPrincipal principal, String workspaceId) {
        requireWorkspace(principal, workspaceId);
        if (!principal.isWorkspaceAdmin()) {
            throw DomainRuleException.forbidden("workspace-admin-required",
                    "Only workspace admins may do this; service accounts never hold the workspace admin role.");
        }
        requireUnscopedToken(principal);
    }

    /** For a check of its own that is workspace-level: a scoped token is refused ({@code token-scope-exceeded}). */
    public static void requireUnscopedToken(AuthenticatedPrincipal principal) {
        if (principal.isScoped()) {
            throw AccessRules.scopeExceeded("This token is scoped to projects " + principal.scope().projects().keySet()
                    + ": it acts only within them, never on the workspace itself. Use a token without a scope.");
        }
    }

    public static void requireOperator(AuthenticatedPrincipal principal) {
        if (!principal.isOperator()) {
            throw DomainRuleException.forbidden("operator-required", "Only the platform operator may do this.");
        }
    }
}
