package dev.svcaccounts.command.project;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.AuditContext;
import dev.svcaccounts.infra.web.Refusals;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;

/**
 * Who is assigned to a project, with which role: service accounts and users alike. Project owners (users or
 * service accounts) and workspace admins manage it; the aggregate decides who may.
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}/projects/{key}")
class AssignmentController {

    record AssignmentRoleRequest(@Schema(allowableValues = {"viewer", "contributor", "owner"})
            @NotNull @Pattern(regexp = "viewer|contributor|owner",
            message = "must be 'viewer', 'contributor' or 'owner'") String role) {
    }

    record AssigneeView(String type, String id) {
    }

    record AssignmentResponse(String project, AssigneeView assignee, String role, String previousRole) {
        static AssignmentResponse of(AssignmentResult result) {
            return new AssignmentResponse(result.projectKey(),
                    new AssigneeView(result.assignee().type().name().toLowerCase(Locale.ROOT), result.assignee().id()),
                    result.role().wireName(), result.previousRole() == null ? null : result.previousRole().wireName());
        }
    }

    private final CommandSender commands;

    AssignmentController(CommandSender commands) {
        this.commands = commands;
    }

    @Refusals({"403 project-manage-required", "404 project-not-found", "404 service-account-not-found",
            "409 assignment-limit-reached"})
    @Operation(operationId = "assignServiceAccountToProject",
            summary = "Assign a service account to the project, or change its role there")
    @PutMapping("/service-accounts/{saId}")
    ResponseEntity<AssignmentResponse> assignServiceAccount(@PathVariable String ws, @PathVariable String key,
                                                            @PathVariable String saId,
                                                            @Valid @RequestBody AssignmentRoleRequest request,
                                                            AuthenticatedPrincipal principal, AuditContext audit) {
        return assign(ws, key, PrincipalRef.serviceAccount(saId), request, principal, audit);
    }

    @Refusals({"403 project-manage-required", "404 project-not-found", "404 assignment-not-found"})
    @Operation(operationId = "unassignServiceAccountFromProject",
            summary = "Remove a service account from the project")
    @DeleteMapping("/service-accounts/{saId}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // for the API documents; the answer sets it
    ResponseEntity<Void> unassignServiceAccount(@PathVariable String ws, @PathVariable String key,
                                                @PathVariable String saId, AuthenticatedPrincipal principal,
                                                AuditContext audit) {
        return unassign(ws, key, PrincipalRef.serviceAccount(saId), principal, audit);
    }

    @Refusals({"403 project-manage-required", "404 project-not-found", "404 member-not-found",
            "409 assignment-limit-reached"})
    @Operation(operationId = "assignMemberToProject",
            summary = "Assign a user of the workspace to the project, or change its role there")
    @PutMapping("/members/{username}")
    ResponseEntity<AssignmentResponse> assignMember(@PathVariable String ws, @PathVariable String key,
                                                    @PathVariable String username,
                                                    @Valid @RequestBody AssignmentRoleRequest request,
                                                    AuthenticatedPrincipal principal, AuditContext audit) {
        return assign(ws, key, PrincipalRef.user(username), request, principal, audit);
    }

    @Refusals({"403 project-manage-required", "404 project-not-found", "404 assignment-not-found"})
    @Operation(operationId = "unassignMemberFromProject",
            summary = "Remove a user from the project")
    @DeleteMapping("/members/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // for the API documents; the answer sets it
    ResponseEntity<Void> unassignMember(@PathVariable String ws, @PathVariable String key,
                                        @PathVariable String username, AuthenticatedPrincipal principal,
                                        AuditContext audit) {
        return unassign(ws, key, PrincipalRef.user(username), principal, audit);
    }

    private ResponseEntity<AssignmentResponse> assign(String ws, String key, PrincipalRef assignee,
                                                      AssignmentRoleRequest request, AuthenticatedPrincipal principal,
                                                      AuditContext audit) {
        Guard.requireWorkspace(principal, ws);
        ProjectRole role = ProjectRole.valueOf(request.role().toUpperCase(Locale.ROOT));
        return commands.respond(new AssignProjectRoleCommand(ws, key, assignee, role, principal.ref()), principal,
                audit, (AssignmentResult result) -> ResponseEntity.ok(AssignmentResponse.of(result)));
    }

    private ResponseEntity<Void> unassign(String ws, String key, PrincipalRef assignee,
                                          AuthenticatedPrincipal principal, AuditContext audit) {
        Guard.requireWorkspace(principal, ws);
        return commands.respond(new UnassignProjectRoleCommand(ws, key, assignee, principal.ref()), principal, audit,
                none -> ResponseEntity.noContent().build());
    }
}
