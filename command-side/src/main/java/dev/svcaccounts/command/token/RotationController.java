package dev.svcaccounts.command.token;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rotation with overlap ({@link RotationRules}): a token's successor, shown once, and the old token's end. Who may:
 * as for issuing (admins for a service account's tokens; the user or an admin for a user's).
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}")
class RotationController {

    record RotateRequest(
            @NotNull
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "86400",
                    description = "How long the old token keeps working, in seconds (0: it stops now)")
            Long overlapSeconds) {
    }

    private final CommandSender commands;

    RotationController(CommandSender commands) {
        this.commands = commands;
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found", "404 token-not-found",
            "409 token-already-revoked", "409 token-already-rotated", "409 token-already-expired",
            "400 overlap-out-of-range", "409 idempotent-replay-of-secret"})
    @Operation(operationId = "rotateServiceAccountToken",
            summary = "Rotate a service account's token (admins only): a successor with its description and scope, "
            + "its secret in the response, once; the old token stops working overlapSeconds later")
    @PostMapping("/service-accounts/{id}/tokens/{tokenId}/rotate")
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<RotatedToken> rotateOfServiceAccount(@PathVariable String ws, @PathVariable String id,
                                                        @PathVariable String tokenId,
                                                        @Valid @RequestBody RotateRequest request,
                                                        AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return rotate(ws, PrincipalRef.serviceAccount(id), tokenId, request, principal, audit);
    }

    @Refusals({"403 token-owner-or-admin-required", "404 member-not-found", "404 token-not-found",
            "409 token-already-revoked", "409 token-already-rotated", "409 token-already-expired",
            "400 overlap-out-of-range", "409 idempotent-replay-of-secret"})
    @Operation(operationId = "rotateMemberToken",
            summary = "Rotate a user's token (that user or an admin): a successor with its description and scope, "
            + "its secret in the response, once; the old token stops working overlapSeconds later")
    @PostMapping("/members/{username}/tokens/{tokenId}/rotate")
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<RotatedToken> rotateOfMember(@PathVariable String ws, @PathVariable String username,
                                                @PathVariable String tokenId, @Valid @RequestBody RotateRequest request,
                                                AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceLevel(principal, ws);
        return rotate(ws, PrincipalRef.user(username), tokenId, request, principal, audit);
    }

    private ResponseEntity<RotatedToken> rotate(String ws, PrincipalRef owner, String tokenId, RotateRequest request,
                                                AuthenticatedPrincipal principal, AuditContext audit) {
        NewToken.WithSecret successor = NewToken.generate(owner.type(), null, null);
        RotateTokenCommand command = new RotateTokenCommand(ws, owner, tokenId, successor.token(),
                request.overlapSeconds(), principal.ref());
        return commands.respond(command, principal, audit, (Rotation rotation) ->
                ResponseEntity.status(HttpStatus.CREATED).body(RotatedToken.of(successor, rotation)));
    }
}
