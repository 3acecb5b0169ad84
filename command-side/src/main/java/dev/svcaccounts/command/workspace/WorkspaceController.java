package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.command.member.Username;
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
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class WorkspaceController {

    record AdminRequest(
            @Schema(minLength = 2, maxLength = 39) // the pattern bounds it
            @NotNull @Pattern(regexp = Username.PATTERN, message = Username.MESSAGE) String username) {
    }

    record CreateWorkspaceRequest(
            @Schema(minLength = 3, maxLength = 40) // the pattern bounds it
            @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,38}[a-z0-9]",
                    message = "must be 3-40 characters: lowercase letters, digits and '-', "
                            + "not starting or ending with '-'")
            String id,
            @NotNull @Size(min = 1, max = 100) @Pattern(regexp = Text.VISIBLE_TEXT, message = Text.VISIBLE_TEXT_MESSAGE)
            String name,
            @NotNull @Valid AdminRequest admin) {
    }

    record AdminCreated(String username, String role) {
    }

    record WorkspaceCreated(String id, String name, AdminCreated admin, IssuedToken token) {
    }

    private final CommandSender commands;

    WorkspaceController(CommandSender commands) {
        this.commands = commands;
    }

    @Refusals({"403 operator-required", "409 workspace-exists", "400 username-reserved",
            "409 idempotent-replay-of-secret"})
    @Operation(operationId = "createWorkspace",
            summary = "Create a workspace with its first admin user (operator only); "
            + "the admin's token is shown once")
    @PostMapping("/v1/workspaces")
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<WorkspaceCreated> create(@Valid @RequestBody CreateWorkspaceRequest request,
                                            AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireOperator(principal);
        NewToken.WithSecret token = NewToken.generate(PrincipalType.USER, "first token of the workspace admin", null);
        try {
            return commands.respond(new CreateWorkspaceCommand(request.id(), request.name(),
                    request.admin().username(), token.token()), principal, audit,
                    none -> ResponseEntity.status(HttpStatus.CREATED).body(new WorkspaceCreated(request.id(),
                            request.name(), new AdminCreated(request.admin().username(), "admin"),
                            IssuedToken.of(token))));
        } catch (AggregateStreamCreationException e) {
            throw DomainRuleException.conflict("workspace-exists",
                    "A workspace with id '" + request.id() + "' already exists.");
        }
    }
}
