package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.command.token.IssuedToken;
import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.infra.web.Text;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/** Service-account lifecycle. Workspace admins only; the aggregate enforces the same rule again. */
@RestController
@RequestMapping("/v1/workspaces/{ws}/service-accounts")
class ServiceAccountController {

    record CreateServiceAccountRequest(
            @NotNull @Size(min = 1, max = 100) @Pattern(regexp = Text.VISIBLE_TEXT, message = Text.VISIBLE_TEXT_MESSAGE)
            String name,
            @Size(max = 256) @Pattern(regexp = Text.OPTIONAL_TEXT, message = Text.OPTIONAL_TEXT_MESSAGE)
            String description,
            @Schema(description = TOKEN_EXPIRES_AT) Instant tokenExpiresAt) {
    }

    record ReactivateRequest(@Schema(description = TOKEN_EXPIRES_AT) Instant tokenExpiresAt) {
    }

    static final String TOKEN_EXPIRES_AT = "When the token issued with it expires; absent: the credential policy's "
            + "maximum lifetime, or never without one";

    record UpdateServiceAccountRequest(
            @Size(min = 1, max = 100) @Pattern(regexp = Text.VISIBLE_TEXT, message = Text.VISIBLE_TEXT_MESSAGE)
            String name,
            @Size(max = 256) @Pattern(regexp = Text.OPTIONAL_TEXT, message = Text.OPTIONAL_TEXT_MESSAGE)
            String description) {
    }

    record DeactivateRequest(
            @Size(max = 500) @Pattern(regexp = Text.OPTIONAL_TEXT, message = Text.OPTIONAL_TEXT_MESSAGE)
            String reason) {
    }

    record ServiceAccountResponse(String id, String name, String description, String status) {
        static ServiceAccountResponse of(ServiceAccountState state) {
            return new ServiceAccountResponse(state.id(), state.name(), state.description(),
                    state.status().name().toLowerCase());
        }
    }

    /** {@code token} is null when the workspace's credential policy allows service accounts no token. */
    record ServiceAccountWithToken(String id, String name, String description, String status, IssuedToken token) {
        static ServiceAccountWithToken of(AccountWithToken result, NewToken.WithSecret token) {
            ServiceAccountState state = result.account();
            return new ServiceAccountWithToken(state.id(), state.name(), state.description(),
                    state.status().name().toLowerCase(),
                    result.token() == null ? null : IssuedToken.of(token, result.token()));
        }
    }

    private final CommandSender commands;

    ServiceAccountController(CommandSender commands) {
        this.commands = commands;
    }

    @Refusals({"403 workspace-admin-required", "409 service-account-quota-reached", "409 service-account-name-taken",
            "400 expiry-in-the-past", "400 expiry-too-late", "400 policy-max-lifetime", "400 policy-require-expiry",
            "409 idempotent-replay-of-secret"})
    @Operation(operationId = "createServiceAccount",
            summary = "Create a service account; its first token's secret is in the response, once (no token when "
            + "the credential policy allows service accounts none)")
    @ApiResponse(responseCode = "201", description = "Created; the first token's secret is in `token`, once "
            + "(null when the credential policy allows service accounts no token)",
            useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The new account's path on the query side",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 300)))
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<ServiceAccountWithToken> create(@PathVariable String ws,
                                                   @Valid @RequestBody CreateServiceAccountRequest request,
                                                   AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        String id = UUID.randomUUID().toString();
        NewToken.WithSecret token = NewToken.generate(PrincipalType.SERVICE_ACCOUNT, "first token",
                NewToken.requireNotTooLate("tokenExpiresAt", request.tokenExpiresAt()));
        return commands.respond(new CreateServiceAccountCommand(ws, id, request.name(),
                Text.blankToNull(request.description()), token.token(), principal.ref()), principal, audit,
                (AccountWithToken created) -> ResponseEntity
                        .created(URI.create("/v1/workspaces/" + ws + "/service-accounts/" + id))
                        .body(ServiceAccountWithToken.of(created, token)));
    }

    @Refusals({"403 workspace-admin-required", "400 nothing-to-update", "404 service-account-not-found",
            "409 service-account-name-taken"})
    @Operation(operationId = "updateServiceAccount",
            summary = "Rename a service account or change its description")
    @PatchMapping("/{id}")
    ResponseEntity<ServiceAccountResponse> update(@PathVariable String ws, @PathVariable String id,
                                                  @Valid @RequestBody UpdateServiceAccountRequest request,
                                                  AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        if (request.name() == null && request.description() == null) {
            throw DomainRuleException.invalid("nothing-to-update", "Send 'name', 'description' or both.");
        }
        // an empty description clears it, stored as absent as on creation
        return commands.respond(new UpdateServiceAccountCommand(ws, id, request.name(), request.description(),
                principal.ref()), principal, audit,
                (ServiceAccountState updated) -> ResponseEntity.ok(ServiceAccountResponse.of(updated)));
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found",
            "409 service-account-already-deactivated"})
    @Operation(operationId = "deactivateServiceAccount",
            summary = "Deactivate a service account: every token of it stops working before the response")
    @PostMapping("/{id}/deactivate")
    ResponseEntity<ServiceAccountResponse> deactivate(@PathVariable String ws, @PathVariable String id,
                                                      @Valid @RequestBody(required = false) DeactivateRequest request,
                                                      AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        String bodyReason = request == null ? null : Text.blankToNull(request.reason());
        String reason = bodyReason != null ? bodyReason : audit.reason();
        return commands.respond(new DeactivateServiceAccountCommand(ws, id, reason, principal.ref()), principal,
                audit.withReasonIfAbsent(reason),
                (ServiceAccountState state) -> ResponseEntity.ok(ServiceAccountResponse.of(state)));
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found", "409 service-account-already-active",
            "400 expiry-in-the-past", "400 expiry-too-late", "400 policy-max-lifetime", "400 policy-require-expiry",
            "409 idempotent-replay-of-secret"})
    @Operation(operationId = "reactivateServiceAccount",
            summary = "Reactivate a service account with a fresh token (none when the credential policy allows "
            + "service accounts no token); tokens from before never work again")
    @PostMapping("/{id}/reactivate")
    ResponseEntity<ServiceAccountWithToken> reactivate(@PathVariable String ws, @PathVariable String id,
                                                       @Valid @RequestBody(required = false) ReactivateRequest request,
                                                       AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        NewToken.WithSecret token = NewToken.generate(PrincipalType.SERVICE_ACCOUNT, "issued on reactivation",
                NewToken.requireNotTooLate("tokenExpiresAt", request == null ? null : request.tokenExpiresAt()));
        return commands.respond(new ReactivateServiceAccountCommand(ws, id, token.token(), principal.ref()), principal,
                audit, (AccountWithToken state) -> ResponseEntity.ok(ServiceAccountWithToken.of(state, token)));
    }

    @Refusals({"403 workspace-admin-required", "404 service-account-not-found"})
    @Operation(operationId = "deleteServiceAccount",
            summary = "Delete a service account: frees its name and its place in the quota; history is kept")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // for the API documents; the answer sets it
    ResponseEntity<Void> delete(@PathVariable String ws, @PathVariable String id, AuthenticatedPrincipal principal,
                                AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return commands.respond(new DeleteServiceAccountCommand(ws, id, principal.ref()), principal, audit,
                none -> ResponseEntity.noContent().build());
    }
}
