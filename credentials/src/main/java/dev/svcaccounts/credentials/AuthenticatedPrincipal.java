package dev.svcaccounts.credentials;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.events.WorkspaceRole;

/**
 * Who made the current request, as the credential tables said at the moment it arrived.
 * {@code workspaceId} and {@code role} are null for the operator; {@code role} is null for service accounts.
 *
 * @param scope the cap of the request's token ({@link TokenScope}); null for a token with its owner's full access
 */
public record AuthenticatedPrincipal(PrincipalType type, String id, String name, String workspaceId,
                                     WorkspaceRole role, String tokenId, TokenScope scope) {

    /** A principal whose token carries its full access. */
    public AuthenticatedPrincipal(PrincipalType type, String id, String name, String workspaceId, WorkspaceRole role,
                                  String tokenId) {
        this(type, id, name, workspaceId, role, tokenId, null);
    }

    public static final String OPERATOR_ID = PrincipalRef.OPERATOR_ID;
    /** Where shared-infra's bearer-token filter leaves the principal for the controllers. */
    public static final String REQUEST_ATTRIBUTE = AuthenticatedPrincipal.class.getName();

    public static AuthenticatedPrincipal operator() {
        return new AuthenticatedPrincipal(PrincipalType.OPERATOR, OPERATOR_ID, OPERATOR_ID, null, null, null);
    }

    public PrincipalRef ref() {
        return new PrincipalRef(type, id);
    }

    public boolean isOperator() {
        return type == PrincipalType.OPERATOR;
    }

    /** Whether the request's token is narrower than its owner: it may then act only within its projects. */
    public boolean isScoped() {
        return scope != null;
    }

    public boolean isWorkspaceAdmin() {
        return type == PrincipalType.USER && role == WorkspaceRole.ADMIN;
    }
}
