package dev.svcaccounts.command.token;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.infra.web.Text;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.Map;

/**
 * Issuing and revoking tokens. A service account's tokens are managed by workspace admins only (not by the
 * owners of its projects); a user's tokens by that user or an admin. The aggregate decides who may.
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}")
class TokenController {

    record IssueRequest(
            @Size(max = 256) @Pattern(regexp = Text.OPTIONAL_TEXT, message = Text.OPTIONAL_TEXT_MESSAGE)
            String description,
            Instant expiresAt,
            // nullable in the documents, so that generated clients leave it null rather than send {} (refused)
            @Schema(types = {"object", "null"}, description = "What the token may do at most: project key to "
                    + "maximum role ('viewer', 'contributor' or 'owner'), 1-100 projects of the workspace. Left out "
                    + "or null: the owner's full access. The token acts only in these projects, at the lower of its "
                    + "owner's role and this cap, and never on the workspace itself.",
                    example = "{\"churn\": \"viewer\", \"eval\": \"contributor\"}")
            Map<String, String> scope) {
    }

    private final CommandSender commands;

    TokenController(CommandSender commands) {
        this.commands = commands;
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found", "409 service-account-deactivated",
            "409 token-limit-reached", "400 expiry-in-the-past", "400 expiry-too-late",
            "400 policy-max-lifetime", "400 policy-require-expiry", "409 policy-service-account-tokens",
            "400 scope-empty", "400 scope-too-large", "400 scope-invalid-key", "400 scope-invalid-role",
            "404 project-not-found",
            "409 idempotent-replay-of-secret"})
    @Operation(operationId = "issueServiceAccountToken",
            summary = "Issue another token to a service account (admins only; at most 5 active by default); "
            + "the secret is in the response, once")
    @PostMapping("/service-accounts/{id}/tokens")
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<IssuedToken> issueToServiceAccount(@PathVariable String ws, @PathVariable String id,
                                                      @Valid @RequestBody(required = false) IssueRequest request,
                                                      AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return issue(ws, PrincipalRef.serviceAccount(id), request, principal, audit);
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found", "404 token-not-found",
            "409 token-already-revoked"})
    @Operation(operationId = "revokeServiceAccountToken",
            summary = "Revoke a service account's token (admins only): it stops working before the response is sent")
    @DeleteMapping("/service-accounts/{id}/tokens/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // for the API documents; the answer sets it
    ResponseEntity<Void> revokeOfServiceAccount(@PathVariable String ws, @PathVariable String id,
                                                @PathVariable String tokenId, AuthenticatedPrincipal principal,
                                                AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return revoke(new RevokeTokenCommand(ws, PrincipalRef.serviceAccount(id), tokenId, principal.ref()),
                principal, audit);
    }

    @Refusals({"403 token-owner-or-admin-required", "404 member-not-found", "409 token-limit-reached",
            "400 expiry-in-the-past", "400 expiry-too-late", "400 policy-max-lifetime", "400 policy-require-expiry",
            "400 scope-empty", "400 scope-too-large", "400 scope-invalid-key", "400 scope-invalid-role",
            "404 project-not-found",
            "409 idempotent-replay-of-secret"})
    @Operation(operationId = "issueMemberToken",
            summary = "Issue a token to a user (that user or an admin; at most 5 active by default); "
            + "the secret is in the response, once")
    @PostMapping("/members/{username}/tokens")
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<IssuedToken> issueToMember(@PathVariable String ws, @PathVariable String username,
                                              @Valid @RequestBody(required = false) IssueRequest request,
                                              AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceLevel(principal, ws);
        return issue(ws, PrincipalRef.user(username), request, principal, audit);
    }

    @Refusals({"403 token-owner-or-admin-required", "404 member-not-found", "404 token-not-found",
            "409 token-already-revoked"})
    @Operation(operationId = "revokeMemberToken",
            summary = "Revoke a user's token (that user or an admin): it stops working before the response is sent")
    @DeleteMapping("/members/{username}/tokens/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // for the API documents; the answer sets it
    ResponseEntity<Void> revokeOfMember(@PathVariable String ws, @PathVariable String username,
                                        @PathVariable String tokenId, AuthenticatedPrincipal principal,
                                        AuditContext audit) {
        Guard.requireWorkspaceLevel(principal, ws);
        return revoke(new RevokeTokenCommand(ws, PrincipalRef.user(username), tokenId, principal.ref()),
                principal, audit);
    }

    private ResponseEntity<Void> revoke(RevokeTokenCommand command, AuthenticatedPrincipal principal,
                                        AuditContext audit) {
        return commands.respond(command, principal, audit, none -> ResponseEntity.noContent().build());
    }

    private ResponseEntity<IssuedToken> issue(String ws, PrincipalRef owner, IssueRequest request,
                                              AuthenticatedPrincipal principal, AuditContext audit) {
        String description = request == null ? null : Text.blankToNull(request.description());
        Instant expiresAt = NewToken.requireNotTooLate("expiresAt", request == null ? null : request.expiresAt());
        TokenScope scope = request == null ? null : ScopeRequest.parse(request.scope());
        NewToken.WithSecret token = NewToken.generate(owner.type(), description, expiresAt, scope);
        return commands.respond(new IssueTokenCommand(ws, owner, token.token(), principal.ref()), principal, audit,
                (TokenIssuedEvent issued) -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(IssuedToken.of(token, issued)));
    }
}
