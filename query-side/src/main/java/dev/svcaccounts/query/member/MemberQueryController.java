package dev.svcaccounts.query.member;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectAccessStore;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.query.TokenWithLastUse;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The members of a workspace, for any principal of it; a user's access and token metadata, for that user and
 * admins. Access comes from the access tables (exact), the rest from the read model.
 */
@RestController
class MemberQueryController {

    record Page<T>(List<T> items) {
    }

    private final MemberReadModel readModel;
    private final ProjectAccessStore accessStore;

    MemberQueryController(MemberReadModel readModel, ProjectAccessStore accessStore) {
        this.readModel = readModel;
        this.accessStore = accessStore;
    }

    @Operation(operationId = "listMembers",
            summary = "Current members of the workspace with their workspace role, by username")
    @GetMapping("/v1/workspaces/{ws}/members")
    Page<MemberView> members(@PathVariable String ws, AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceLevel(principal, ws);
        return new Page<>(readModel.list(ws));
    }

    @Refusals({"403 member-self-or-admin-required", "404 member-not-found"})
    @Operation(operationId = "getMember",
            summary = "A member with every project it has access to, its effective role and why "
            + "(that user or an admin)")
    @GetMapping("/v1/workspaces/{ws}/members/{username}")
    MemberDetailView member(@PathVariable String ws, @PathVariable String username, AuthenticatedPrincipal principal) {
        requireSelfOrAdmin(principal, ws, username, "member-self-or-admin-required", "see this user's access");
        // membership and access from the access tables (exact); when and by whom added from the read model
        ProjectAccessStore.PrincipalAccess access = accessStore.accessOf(ws, PrincipalType.USER, username)
                .orElseThrow(() -> notAMember(ws, username));
        return MemberDetailView.of(username, access, readModel.find(ws, username).orElse(null));
    }

    @Refusals({"403 token-owner-or-admin-required", "404 member-not-found"})
    @Operation(operationId = "listMemberTokens",
            summary = "Token metadata of a user (that user or an admin): id, hint, status, expiry, last use; never the "
            + "secret")
    @GetMapping("/v1/workspaces/{ws}/members/{username}/tokens")
    Page<TokenWithLastUse> tokens(@PathVariable String ws, @PathVariable String username,
                                  AuthenticatedPrincipal principal) {
        requireSelfOrAdmin(principal, ws, username, "token-owner-or-admin-required", "see this user's tokens");
        if (!readModel.isMember(ws, username)) {
            throw notAMember(ws, username);
        }
        return new Page<>(readModel.tokens(ws, username));
    }

    /** As the member itself answers: its sub-resources are not found when it is not. */
    private static DomainRuleException notAMember(String ws, String username) {
        return DomainRuleException.notFound("member-not-found",
                "User '" + username + "' is not a member of workspace '" + ws + "'.");
    }

    private static void requireSelfOrAdmin(AuthenticatedPrincipal principal, String ws, String username, String code,
                                           String action) {
        Guard.requireWorkspaceLevel(principal, ws);
        boolean self = principal.type() == PrincipalType.USER && principal.id().equals(username);
        if (!self && !principal.isWorkspaceAdmin()) {
            throw DomainRuleException.forbidden(code,
                    "Only the user '" + username + "' or a workspace admin may " + action + ".");
        }
    }
}
