package dev.svcaccounts.query.member;

import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.DomainRuleException;
import dev.svcaccounts.query.TokenView;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The members of a workspace, for any principal of it; a user's token metadata, for that user and admins. */
@RestController
class MemberQueryController {

    record Page<T>(List<T> items) {
    }

    private final MemberReadModel readModel;

    MemberQueryController(MemberReadModel readModel) {
        this.readModel = readModel;
    }

    @Operation(summary = "Current members of the workspace with their workspace role, by username")
    @GetMapping("/v1/workspaces/{ws}/members")
    Page<MemberView> members(@PathVariable String ws, AuthenticatedPrincipal principal) {
        Guard.requireWorkspace(principal, ws);
        return new Page<>(readModel.list(ws));
    }

    @Operation(summary = "Token metadata of a user (that user or an admin): id, hint, status, expiry; never the secret")
    @GetMapping("/v1/workspaces/{ws}/members/{username}/tokens")
    Page<TokenView> tokens(@PathVariable String ws, @PathVariable String username, AuthenticatedPrincipal principal) {
        Guard.requireWorkspace(principal, ws);
        boolean self = principal.type() == PrincipalType.USER && principal.id().equals(username);
        if (!self && !principal.isWorkspaceAdmin()) {
            throw DomainRuleException.forbidden("token-owner-or-admin-required",
                    "Only the user '" + username + "' or a workspace admin may see this user's tokens.");
        }
        return new Page<>(readModel.tokens(ws, username));
    }
}
