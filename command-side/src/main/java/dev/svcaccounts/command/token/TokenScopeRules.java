package dev.svcaccounts.command.token;

import dev.svcaccounts.command.project.WithinProject;
import dev.svcaccounts.command.workspace.WorkspaceState;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.refusals.DomainRuleException;

import java.util.Map;
import java.util.Optional;

/**
 * The rules on a scoped token ({@link TokenScope}), decided from the workspace's own memory of the token the command
 * was sent with, never from what the request said: it acts only within the projects it names ({@link WithinProject}
 * commands), there at the lower of its owner's role and its cap, whatever roles its owner gains later.
 */
public final class TokenScopeRules {

    private TokenScopeRules() {
    }

    /** The scope of the token the command was sent with; null for full access (or no token: the aggregate's tests). */
    public static TokenScope scopeOf(WorkspaceState state, Map<String, ?> metaData) {
        Object tokenId = metaData.get(AuditMetadata.ACTOR_TOKEN_ID);
        return tokenId == null ? null
                : state.tokens().find(tokenId.toString()).map(Tokens.TokenState::scope).orElse(null);
    }

    /**
     * A scoped token sends only commands within one project: anything workspace-level (creating or deleting a
     * project, members, service accounts, tokens, the workspace's settings) is 403 {@code token-scope-exceeded},
     * whatever its owner may do. So a scoped token never issues a token, and no token is wider than the one that
     * made it.
     */
    public static void requireWithinScope(WorkspaceState state, Object command, Map<String, ?> metaData) {
        TokenScope scope = scopeOf(state, metaData);
        if (scope != null && !(command instanceof WithinProject)) {
            throw exceeded("This token is scoped to projects " + scope.projects().keySet() + ": it acts only within "
                    + "them, never on the workspace itself. Use a token without a scope.");
        }
    }

    /**
     * The actor's access capped by its token's scope, refusing with 403 {@code token-scope-exceeded} when the actor
     * has the permission (see {@code owners}) but the token does not reach that far.
     */
    public static void requirePermission(TokenScope scope, String projectKey, Optional<ProjectAccess> owners,
                                         ProjectPermission permission) {
        if (TokenScope.limit(scope, projectKey, owners).filter(a -> a.permits(permission)).isEmpty()) {
            throw exceeded("This token's scope " + scope.capOn(projectKey)
                    .map(cap -> "caps project '" + projectKey + "' at " + cap.wireName())
                    .orElse("does not include project '" + projectKey + "'") + "; this needs the '"
                    + permission.wireName() + "' permission there. Use a token with a wider scope.");
        }
    }

    /** Every project a new token's scope names exists in the workspace: 404 {@code project-not-found} otherwise. */
    public static void requireProjectsExist(WorkspaceState state, TokenScope scope) {
        if (scope == null) {
            return;
        }
        scope.projects().keySet().stream().filter(key -> state.projects().find(key).isEmpty()).findFirst()
                .ifPresent(key -> {
                    throw DomainRuleException.notFound("project-not-found", "The token's scope names project '"
                            + key + "', which workspace '" + state.workspaceId() + "' does not have.")
                            .with("project", key);
                });
    }

    private static DomainRuleException exceeded(String detail) {
        return DomainRuleException.forbidden("token-scope-exceeded", detail);
    }
}
