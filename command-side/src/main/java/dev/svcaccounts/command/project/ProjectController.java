package dev.svcaccounts.command.project;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.ProjectKey;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
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
import java.util.Locale;

/**
 * Projects. Any active user or service account of the workspace creates one and becomes its owner; owners
 * and workspace admins change it; only workspace admins delete it. The aggregate decides who may.
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}/projects")
class ProjectController {

    static final String KEY_PATTERN = ProjectKey.PATTERN;
    static final String VISIBILITY_PATTERN = "private|workspace|public";
    static final String VISIBILITY_MESSAGE = "must be 'private', 'workspace' or 'public'";

    record CreateProjectRequest(
            @Schema(minLength = 2, maxLength = 40) // the pattern bounds it
            @NotNull @Pattern(regexp = KEY_PATTERN, message = "must be 2-40 characters: lowercase letters, "
                    + "digits and '-', starting and ending with a letter or digit") String key,
            @NotNull @Size(min = 1, max = 100) @Pattern(regexp = Text.VISIBLE_TEXT, message = Text.VISIBLE_TEXT_MESSAGE)
            String name,
            @Schema(allowableValues = {"private", "workspace", "public"})
            @Pattern(regexp = VISIBILITY_PATTERN, message = VISIBILITY_MESSAGE) String visibility) {
    }

    record UpdateProjectRequest(
            @Size(min = 1, max = 100) @Pattern(regexp = Text.VISIBLE_TEXT, message = Text.VISIBLE_TEXT_MESSAGE)
            String name,
            @Schema(allowableValues = {"private", "workspace", "public"})
            @Pattern(regexp = VISIBILITY_PATTERN, message = VISIBILITY_MESSAGE) String visibility) {
    }

    record PrincipalView(String type, String id) {
    }

    record ProjectResponse(String key, String name, String visibility) {
        static ProjectResponse of(ProjectSummary project) {
            return new ProjectResponse(project.key(), project.name(), project.visibility().wireName());
        }
    }

    record CreatedProject(String key, String name, String visibility, PrincipalView createdBy, String role) {
    }

    private final CommandSender commands;

    ProjectController(CommandSender commands) {
        this.commands = commands;
    }

    @Refusals({"409 project-exists", "409 project-limit-reached", "409 assignment-limit-reached"})
    @Operation(operationId = "createProject",
            summary = "Create a project (private unless told otherwise); the creator becomes its owner")
    @ApiResponse(responseCode = "201", description = "Created; the creator is its owner",
            useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "The new project's path on the query side",
                    schema = @Schema(type = "string", format = "uri-reference", maxLength = 300)))
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // for the API documents; the answer sets it
    ResponseEntity<CreatedProject> create(@PathVariable String ws, @Valid @RequestBody CreateProjectRequest request,
                                          AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspaceLevel(principal, ws);
        ProjectVisibility visibility = request.visibility() == null ? ProjectVisibility.PRIVATE
                : visibility(request.visibility());
        return commands.respond(new CreateProjectCommand(ws, request.key(), request.name(), visibility,
                principal.ref()), principal, audit, (ProjectSummary created) -> ResponseEntity
                .created(URI.create("/v1/workspaces/" + ws + "/projects/" + created.key()))
                .body(new CreatedProject(created.key(), created.name(), created.visibility().wireName(),
                        new PrincipalView(principal.type().name().toLowerCase(Locale.ROOT), principal.id()),
                        ProjectRole.OWNER.wireName())));
    }

    @Refusals({"400 nothing-to-update", "403 project-manage-required", "404 project-not-found"})
    @Operation(operationId = "updateProject",
            summary = "Rename a project or change its visibility (project owners and workspace admins)")
    @PatchMapping("/{key}")
    ResponseEntity<ProjectResponse> update(@PathVariable String ws, @PathVariable String key,
                                           @Valid @RequestBody UpdateProjectRequest request,
                                           AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspace(principal, ws);
        if (request.name() == null && request.visibility() == null) {
            throw DomainRuleException.invalid("nothing-to-update", "Send 'name', 'visibility' or both.");
        }
        return commands.respond(new UpdateProjectCommand(ws, key, request.name(),
                request.visibility() == null ? null : visibility(request.visibility()), principal.ref()), principal,
                audit, (ProjectSummary updated) -> ResponseEntity.ok(ProjectResponse.of(updated)));
    }

    @Refusals({"403 service-accounts-cannot-delete-projects", "403 workspace-admin-required", "404 project-not-found"})
    @Operation(operationId = "deleteProject",
            summary = "Delete a project (workspace admins only; never a service account); every assignment ends")
    @DeleteMapping("/{key}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // for the API documents; the answer sets it
    ResponseEntity<Void> delete(@PathVariable String ws, @PathVariable String key, AuthenticatedPrincipal principal,
                                AuditContext audit) {
        Guard.requireWorkspaceLevel(principal, ws);
        return commands.respond(new DeleteProjectCommand(ws, key, principal.ref()), principal, audit,
                none -> ResponseEntity.noContent().build());
    }

    private static ProjectVisibility visibility(String wire) {
        return ProjectVisibility.valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
