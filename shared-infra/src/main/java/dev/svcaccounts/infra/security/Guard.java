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

    public static void requireWorkspaceAdmin(AuthenticatedPrincipal principal, String workspaceId) {
        requireWorkspace(principal, workspaceId);
        if (!principal.isWorkspaceAdmin()) {
            throw DomainRuleException.forbidden("workspace-admin-required",
                    "Only workspace admins may do this; service accounts never hold the workspace admin role.");
        }
    }

    public static void requireOperator(AuthenticatedPrincipal principal) {
        if (!principal.isOperator()) {
            throw DomainRuleException.forbidden("operator-required", "Only the platform operator may do this.");
        }
    }
}
