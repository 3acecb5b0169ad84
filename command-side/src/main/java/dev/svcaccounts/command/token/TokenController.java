package dev.svcaccounts.command.token;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.DomainRuleException;
import dev.svcaccounts.infra.web.Text;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

/** Extra tokens for a service account, and revoking one. Workspace admins only. */
@RestController
@RequestMapping("/v1/workspaces/{ws}/service-accounts/{id}/tokens")
class TokenController {

    record IssueRequest(
            @Size(max = 256) @Pattern(regexp = Text.NO_CONTROL_CHARACTERS, message = Text.NO_CONTROL_CHARACTERS_MESSAGE)
            String description,
            Instant expiresAt) {
    }

    /** PostgreSQL's timestamps end in year 294276; no token needs to outlive year 9999. */
    static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    private final CommandSender commands;

    TokenController(CommandSender commands) {
        this.commands = commands;
    }

    @Operation(summary = "Issue another token (at most 5 active); the secret is in the response, once")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    IssuedToken issue(@PathVariable String ws, @PathVariable String id,
                      @Valid @RequestBody(required = false) IssueRequest request,
                      AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        String description = request == null ? null : Text.blankToNull(request.description());
        Instant expiresAt = request == null ? null : request.expiresAt();
        if (expiresAt != null && expiresAt.isAfter(LATEST_EXPIRY)) {
            throw DomainRuleException.invalid("expiry-too-late", "expiresAt must be at most " + LATEST_EXPIRY
                    + "; leave it out for a token that does not expire.");
        }
        NewToken.WithSecret token = NewToken.generate(PrincipalType.SERVICE_ACCOUNT, description, expiresAt);
        commands.send(new IssueTokenCommand(ws, id, token.token(), principal.ref()), principal, audit);
        return IssuedToken.of(token);
    }

    @Operation(summary = "Revoke a token: it stops working before the response is sent")
    @DeleteMapping("/{tokenId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String ws, @PathVariable String id, @PathVariable String tokenId,
                AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        commands.send(new RevokeTokenCommand(ws, id, tokenId, principal.ref()), principal, audit);
    }
}
