package dev.svcaccounts.query.serviceaccount;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectOwnership;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.refusals.DomainRuleException;
import org.springframework.stereotype.Component;

/**
 * Who may list and read a workspace's service accounts, and how much of them: the rule written once. Workspace
 * admins see everything; a principal (user or service account) that owns a project of the workspace sees enough to
 * assign an account (id, name, description, status, createdAt); everyone else is refused. Token metadata and the
 * {@code ?at=} history stay for admins only (their endpoints check {@link Guard#requireWorkspaceAdmin}).
 */
@Component
class ServiceAccountReaders {

    static final String REFUSAL = "project-owner-or-admin-required";

    /** How much of an account the reader sees. */
    enum Sight {
        /** Workspace admins: every field, tokens, assignments and access included. */
        FULL,
        /** Project owners: {@link ServiceAccountView#summary()}. */
        SUMMARY
    }

    private final ProjectOwnership ownership;

    ServiceAccountReaders(ProjectOwnership ownership) {
        this.ownership = ownership;
    }

    /**
     * What the principal may see of the workspace's service accounts; 403 when nothing (404 another workspace), and
     * {@code token-scope-exceeded} for a scoped token, which reads nothing workspace-level.
     */
    Sight require(AuthenticatedPrincipal principal, String workspaceId) {
        Guard.requireWorkspaceLevel(principal, workspaceId);
        if (principal.isWorkspaceAdmin()) {
            return Sight.FULL;
        }
        // admins never pay for the lookup; everyone else, one indexed query, as of this request
        if (ownership.ownsAProject(principal)) {
            return Sight.SUMMARY;
        }
        throw DomainRuleException.forbidden(REFUSAL, "Only workspace admins and the owners of a project of this "
                + "workspace (users or service accounts assigned the owner role) may list and read its service "
                + "accounts.");
    }
}
