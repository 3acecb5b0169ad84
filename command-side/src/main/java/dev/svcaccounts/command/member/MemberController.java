package dev.svcaccounts.command.member;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.command.token.IssuedToken;
import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.WorkspaceRole;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import java.util.Locale;

/** Users of a workspace and their workspace roles. Workspace admins only; the aggregate checks again. */
@RestController
@RequestMapping("/v1/workspaces/{ws}/members")
class MemberController {

    static final String ROLE_PATTERN = "admin|member";
    static final String ROLE_MESSAGE = "must be 'admin' or 'member'";

    record AddRequest(@Schema(minLength = 2, maxLength = 39) // the pattern bounds it
                      @NotNull @Pattern(regexp = Username.PATTERN, message = Username.MESSAGE) String username,
                      @Schema(allowableValues = {"admin", "member"})
                      @NotNull @Pattern(regexp = ROLE_PATTERN, message = ROLE_MESSAGE) String role,
                      @Schema(description = "When the first token expires; absent: the credential policy's maximum "
                              + "lifetime, or never without one") Instant tokenExpiresAt) {
    }

    record MemberRoleRequest(@Schema(allowableValues = {"admin", "member"})
                             @NotNull @Pattern(regexp = ROLE_PATTERN, message = ROLE_MESSAGE) String role) {
    }

    record MemberResponse(String username, String role) {
    }

    record MemberWithToken(String username, String role, IssuedToken token) {
    }

    private final CommandSender commands;

    MemberController(CommandSender commands) {
        this.commands = commands;
    }

    @Refusals({"403 workspace-admin-required", "409 member-exists", "409 member-limit-reached", "400 username-reserved",
            "400 username-is-a-service-account-id", "400 expiry-in-the-past", "400 expiry-too-late",
            "400 policy-max-lifetime", "400 policy-require-expiry", "409 idempotent-replay-of-secret"})
    @Operation(operationId = "addMember",
            summary = "Add a user to the workspace; its first token's secret is in the response, once")
    @ApiResponse(responseCode = "201", description = "Added; the first token's secret is in `token`, once",
            useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The new member's path on the query side",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 300)))
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<MemberWithToken> add(@PathVariable String ws, @Valid @RequestBody AddRequest request,
                                        AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        NewToken.WithSecret token = NewToken.generate(PrincipalType.USER, "first token",
                NewToken.requireNotTooLate("tokenExpiresAt", request.tokenExpiresAt()));
        return commands.respond(new AddMemberCommand(ws, request.username(), role(request.role()), token.token(),
                principal.ref()), principal, audit, (TokenIssuedEvent issued) -> ResponseEntity.created(
                        URI.create("/v1/workspaces/" + ws + "/members/" + request.username()))
                .body(new MemberWithToken(request.username(), request.role(), IssuedToken.of(token, issued))));
    }

    @Refusals({"403 workspace-admin-required", "404 member-not-found", "409 last-admin"})
    @Operation(operationId = "changeMemberRole",
            summary = "Change a user's workspace role; the last admin cannot be demoted")
    @PatchMapping("/{username}")
    ResponseEntity<MemberResponse> changeRole(@PathVariable String ws, @PathVariable String username,
                                              @Valid @RequestBody MemberRoleRequest request,
                                              AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return commands.respond(new ChangeMemberRoleCommand(ws, username, role(request.role()), principal.ref()),
                principal, audit, (WorkspaceRole role) ->
                        ResponseEntity.ok(new MemberResponse(username, role.name().toLowerCase(Locale.ROOT))));
    }

    @Refusals({"403 workspace-admin-required", "404 member-not-found", "409 last-admin"})
    @Operation(operationId = "removeMember",
            summary = "Remove a user: its tokens stop working and its project roles end before the response")
    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // for the API documents; the answer sets it
    ResponseEntity<Void> remove(@PathVariable String ws, @PathVariable String username,
                                AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceAdmin(principal, ws);
        return commands.respond(new RemoveMemberCommand(ws, username, principal.ref()), principal, audit,
                none -> ResponseEntity.noContent().build());
    }

    private static WorkspaceRole role(String wire) {
        return WorkspaceRole.valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
