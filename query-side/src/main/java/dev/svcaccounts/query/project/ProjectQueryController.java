package dev.svcaccounts.query.project;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.ProjectAccessStore;
import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.query.history.PointInTime;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Projects and who has access to them. Which projects exist, their name and visibility, whether the caller may
 * read and the caller's own role come from {@link ProjectAccessStore} (exact the moment a command has returned);
 * creation time and creator, and the assignment listings, come from the read models, which may lag by about
 * half a second (a project they have not caught up with yet shows no creation time).
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}/projects")
class ProjectQueryController {

    record Page<T>(List<T> items) {
    }

    private final ProjectReadModel readModel;
    private final ProjectAccessStore accessStore;
    private final PointInTime pointInTime;

    ProjectQueryController(ProjectReadModel readModel, ProjectAccessStore accessStore, PointInTime pointInTime) {
        this.readModel = readModel;
        this.accessStore = accessStore;
        this.pointInTime = pointInTime;
    }

    @Operation(operationId = "listProjects", summary = "Projects of the workspace with the caller's effective role; "
            + "a service account sees only those it can access")
    @GetMapping
    Page<ProjectView> list(@PathVariable String ws, AuthenticatedPrincipal principal) {
        Guard.requireWorkspace(principal, ws);
        Map<String, ProjectRow> created = readModel.list(ws).stream()
                .collect(Collectors.toMap(ProjectRow::key, Function.identity()));
        return new Page<>(accessStore.visibleProjects(principal).stream()
                .map(p -> ProjectView.of(p, created.get(p.key())))
                .toList());
    }

    @Refusals({"403 project-read-required", "404 project-not-found"})
    @Operation(operationId = "getProject", summary = "One project with the caller's effective role (viewer or higher)")
    @GetMapping("/{key}")
    ProjectView get(@PathVariable String ws, @PathVariable String key, AuthenticatedPrincipal principal) {
        ProjectAccessView project = accessStore.require(principal, ws, key, ProjectPermission.READ);
        return ProjectView.of(project, readModel.find(ws, key).orElse(null));
    }

    @Refusals({"403 project-read-required", "404 project-not-found"})
    @Operation(operationId = "listProjectServiceAccounts",
            summary = "Service accounts assigned to the project: assigned and effective role (viewer or higher)")
    @GetMapping("/{key}/service-accounts")
    Page<ProjectServiceAccountView> serviceAccounts(@PathVariable String ws, @PathVariable String key,
                                                    AuthenticatedPrincipal principal) {
        ProjectVisibility visibility = accessStore.require(principal, ws, key, ProjectPermission.READ).visibility();
        return new Page<>(readModel.serviceAccounts(ws, key).stream()
                .map(sa -> new ProjectServiceAccountView(sa.id(), sa.name(), sa.status(), sa.role().wireName(),
                        roleOf(ProjectAccess.resolve(PrincipalType.SERVICE_ACCOUNT, null,
                                ProjectAccessListing.ACTIVE.equals(sa.status()), visibility, sa.role())),
                        sa.assignedAt(), sa.assignedBy()))
                .toList());
    }

    @Refusals({"403 project-read-required", "404 project-not-found"})
    @Operation(operationId = "listProjectMembers",
            summary = "Users explicitly assigned to the project, with their assigned role (viewer or higher)")
    @GetMapping("/{key}/members")
    Page<ProjectMemberView> members(@PathVariable String ws, @PathVariable String key,
                                    AuthenticatedPrincipal principal) {
        accessStore.require(principal, ws, key, ProjectPermission.READ);
        return new Page<>(readModel.members(ws, key));
    }

    @Refusals({"403 project-read-required", "403 workspace-admin-required", "404 project-not-found"})
    @Operation(operationId = "getProjectAccess", summary = "Every user of the workspace and every assigned "
            + "service account: effective role and why (viewer or higher); with 'at', who had which access at that "
            + "instant and who gave each explicit role (admin)")
    @GetMapping("/{key}/access")
    ProjectAccessListing.Listing access(@PathVariable String ws, @PathVariable String key,
                                        @Parameter(description = PointInTime.AT,
                                                schema = @Schema(format = "date-time", maxLength = 64))
                                        @RequestParam(required = false) String at,
                                        AuthenticatedPrincipal principal) {
        if (at != null) {
            return pointInTime.projectAccess(ws, key, at, principal);
        }
        ProjectVisibility visibility = accessStore.require(principal, ws, key, ProjectPermission.READ).visibility();
        return ProjectAccessListing.of(key, visibility, readModel.accessCandidates(ws, key));
    }

    private static String roleOf(Optional<ProjectAccess> access) {
        return access.map(ProjectAccess::role).map(ProjectRole::wireName).orElse(null);
    }
}
