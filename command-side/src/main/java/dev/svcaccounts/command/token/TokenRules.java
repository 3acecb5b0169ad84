package dev.svcaccounts.command.token;

import dev.svcaccounts.command.policy.TokenPolicyRules;
import dev.svcaccounts.command.serviceaccount.ServiceAccountStatus;
import dev.svcaccounts.command.workspace.Decision;
import dev.svcaccounts.command.workspace.WorkspaceLimits;
import dev.svcaccounts.command.workspace.WorkspaceState;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRefusal;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.refusals.DomainRuleException;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The rules on tokens: who issues and revokes them, how many may work at once, and whether the token a command
 * was sent with still works when the workspace decides it.
 */
public final class TokenRules {

    private TokenRules() {
    }

    /**
     * Every command on a workspace is decided only while the token it was sent with still works, as this workspace
     * knows it when it decides: not revoked, not expired by the clock, its owner a member or an active account.
     * Authentication checked the token when the request arrived, but a revocation, deactivation, deletion or removal
     * decided meanwhile comes first in the workspace's order; the command is then refused with 401 and the rule
     * (recorded as {@code access.refused}), so that nothing made with a token follows its end in the stream.
     *
     * @param metaData the command's metadata, which names its actor and the actor's token (see {@link AuditMetadata})
     */
    public static void requireWorkingToken(WorkspaceState state, Map<String, ?> metaData, Instant now) {
        Object tokenId = metaData.get(AuditMetadata.ACTOR_TOKEN_ID);
        Object actorType = metaData.get(AuditMetadata.ACTOR_TYPE);
        Object actorId = metaData.get(AuditMetadata.ACTOR_ID);
        if (tokenId == null) {
            if (actorType != null) {
                // every principal of a workspace acts with a token; only the operator has none, and none here
                throw notThisWorkspacesToken();
            }
            return; // no actor at all: not sent on behalf of a request (the aggregate's own tests)
        }
        Tokens.TokenState token = state.tokens().find(tokenId.toString())
                .orElseThrow(TokenRules::notThisWorkspacesToken);
        if (!token.owner().type().name().equals(actorType) || !token.owner().id().equals(actorId)) {
            throw notThisWorkspacesToken();
        }
        TokenRefusal.of(now, token.revokedAt(), token.cause(), token.expiresAt(), token.expiryCause(),
                state.isActive(token.owner()), token.owner().type()).ifPresent(refusal -> {
                    throw DomainRuleException.unauthenticated(refusal.rule(), refusal.detail());
                });
    }

    private static DomainRuleException notThisWorkspacesToken() {
        return DomainRuleException.unauthenticated("unauthenticated",
                "The request's token is not a token of this workspace's actor.");
    }

    /** Returns the token as recorded: its expiry is the one the credential policy gave it. */
    public static Decision<TokenIssuedEvent> issue(WorkspaceState state, IssueTokenCommand command, Instant now,
                                                   WorkspaceLimits limits) {
        String ownerName = requireTokenManager(state, command.owner(), command.actor(), "issue");
        if (command.owner().type() == PrincipalType.SERVICE_ACCOUNT
                && state.requireAccount(command.owner().id()).status() == ServiceAccountStatus.DEACTIVATED) {
            throw DomainRuleException.conflict("service-account-deactivated", ownerName
                    + " is deactivated; reactivate it, which issues a fresh token.");
        }
        NewToken token = command.token();
        TokenScopeRules.requireProjectsExist(state, token.scope());
        Instant expiresAt = TokenPolicyRules.expiryFor(state, command.owner().type(), token.expiresAt(), now);
        int limit = limits.activeTokensPerPrincipal();
        if (state.tokens().activeCount(command.owner(), now) >= limit) {
            throw DomainRuleException.conflict("token-limit-reached", ownerName + " already has " + limit
                    + " active tokens, the most it may have. Revoke one first.").with("limit", limit);
        }
        TokenIssuedEvent issued = issued(state.workspaceId(), command.owner(), token, expiresAt);
        return Decision.returning(issued, issued);
    }

    public static Decision<Void> revoke(WorkspaceState state, RevokeTokenCommand command) {
        String ownerName = requireTokenManager(state, command.owner(), command.actor(), "revoke");
        if (!state.tokens().belongsTo(command.tokenId(), command.owner())) {
            throw DomainRuleException.notFound("token-not-found",
                    ownerName + " has no token '" + command.tokenId() + "'.");
        }
        if (state.tokens().isRevoked(command.tokenId())) {
            throw DomainRuleException.conflict("token-already-revoked",
                    "Token '" + command.tokenId() + "' is already revoked.");
        }
        return Decision.of(new TokenRevokedEvent(state.workspaceId(), command.tokenId(), command.owner(),
                TokenRevocationCause.REVOKED));
    }

    /**
     * Service-account tokens are managed by workspace admins only (a project owner cannot); a user's tokens by
     * that user or an admin. Returns how to name the owner in messages.
     */
    static String requireTokenManager(WorkspaceState state, PrincipalRef owner, PrincipalRef actor, String action) {
        if (owner.type() == PrincipalType.SERVICE_ACCOUNT) {
            state.requireAdmin(actor, action + " service-account tokens");
            return "Service account '" + state.requireAccount(owner.id()).name() + "'";
        }
        state.requireActivePrincipal(actor);
        if (!actor.equals(owner) && !state.isAdmin(actor)) {
            throw DomainRuleException.forbidden("token-owner-or-admin-required",
                    "Only the user '" + owner.id() + "' or a workspace admin may " + action + " this user's tokens.");
        }
        state.requireMember(owner.id());
        return "User '" + owner.id() + "'";
    }

    /** The token a command issues along with what it creates (a workspace, a member, an account's first token). */
    public static TokenIssuedEvent issued(String workspaceId, PrincipalRef owner, NewToken token) {
        return issued(workspaceId, owner, token, token.expiresAt());
    }

    /** With the expiry the credential policy gave it ({@link TokenPolicyRules#expiryFor}). */
    public static TokenIssuedEvent issued(String workspaceId, PrincipalRef owner, NewToken token, Instant expiresAt) {
        return new TokenIssuedEvent(workspaceId, token.tokenId(), owner, token.secretHash(), token.hint(),
                token.description(), expiresAt, token.scope(), null);
    }

    /** Every token of the owner still working at {@code now}, revoked for this cause (a removal, a deactivation). */
    public static List<TokenRevokedEvent> revokeAll(WorkspaceState state, PrincipalRef owner,
                                                    TokenRevocationCause cause, Instant now) {
        return state.tokens().activeOf(owner, now).stream()
                .map(tokenId -> new TokenRevokedEvent(state.workspaceId(), tokenId, owner, cause))
                .toList();
    }
}
