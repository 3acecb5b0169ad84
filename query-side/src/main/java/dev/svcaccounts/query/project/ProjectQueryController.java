package dev.svcaccounts.query.project;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.security.ProjectAccessStore;
import dev.svcaccounts.infra.web.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Projects and who has access to them. Whether the caller may read, and the caller's own role, come from
 * {@link ProjectAccessStore} (exact the moment a command has returned); the listings' content comes from the
 * read models. A project the read model has not caught up with yet is shown from the access tables, without
 * its creation time and creator, rather than refused.
 */
@RestController
@RequestMapping("/v1/workspaces/{ws}/projects")
class ProjectQueryController {

    record Page<T>(List<T> items) {
    }

    private final ProjectReadModel readModel;
    private final ProjectAccessStore accessStore;

    ProjectQueryController(ProjectReadModel readModel, ProjectAccessStore accessStore) {
        this.readModel = readModel;
        this.accessStore = accessStore;
    }

    @Operation(summary = "Projects of the workspace with the caller's effective role; a service account sees only those it can access")
    @GetMapping
    Page<ProjectView> list(@PathVariable String ws, AuthenticatedPrincipal principal) {
        Guard.requireWorkspace(principal, ws);
        Map<String, Optional<ProjectAccess>> access = accessStore.allProjects(principal).stream()
                .collect(Collectors.toMap(ProjectAccessStore.ProjectAccessView::key, ProjectAccessStore.ProjectAccessView::access));
        boolean seesAll = principal.type() == PrincipalType.USER;
        return new Page<>(readModel.list(ws).stream()
                .filter(p -> seesAll || access.getOrDefault(p.key(), Optional.empty()).isPresent())
                .map(p -> ProjectView.of(p, roleOf(access.getOrDefault(p.key(), Optional.empty()))))
                .toList());
    }

    @Operation(summary = "One project with the caller's effective role (viewer or higher)")
    @GetMapping("/{key}")
    ProjectView get(@PathVariable String ws, @PathVariable String key, AuthenticatedPrincipal principal) {
        ProjectAccess access = accessStore.require(principal, ws, key, ProjectPermission.READ);
        return ProjectView.of(project(principal, ws, key), access.role().wireName());
    }

    @Operation(summary = "Service accounts assigned to the project: assigned and effective role (viewer or higher)")
    @GetMapping("/{key}/service-accounts")
    Page<ProjectServiceAccountView> serviceAccounts(@PathVariable String ws, @PathVariable String key,
                                                    AuthenticatedPrincipal principal) {
        accessStore.require(principal, ws, key, ProjectPermission.READ);
        ProjectRow project = project(principal, ws, key);
        return new Page<>(readModel.serviceAccounts(ws, key).stream()
                .map(sa -> new ProjectServiceAccountView(sa.id(), sa.name(), sa.status(), sa.role().wireName(),
                        roleOf(ProjectAccess.resolve(PrincipalType.SERVICE_ACCOUNT, null,
                                ProjectAccessListing.ACTIVE.equals(sa.status()), project.visibility(), sa.role())),
                        sa.assignedAt(), sa.assignedBy()))
                .toList());
    }

    @Operation(summary = "Users explicitly assigned to the project, with their assigned role (viewer or higher)")
    @GetMapping("/{key}/members")
    Page<ProjectMemberView> members(@PathVariable String ws, @PathVariable String key, AuthenticatedPrincipal principal) {
        accessStore.require(principal, ws, key, ProjectPermission.READ);
        return new Page<>(readModel.members(ws, key));
    }

    @Operation(summary = "Every user of the workspace and every assigned service account: effective role and why (viewer or higher)")
    @GetMapping("/{key}/access")
    ProjectAccessListing.Listing access(@PathVariable String ws, @PathVariable String key, AuthenticatedPrincipal principal) {
        accessStore.require(principal, ws, key, ProjectPermission.READ);
        ProjectRow project = project(principal, ws, key);
        return ProjectAccessListing.of(key, project.visibility(), readModel.accessCandidates(ws, key));
    }

    /** The read model's row, or while it lags behind a fresh project, what the access tables know of it. */
    private ProjectRow project(AuthenticatedPrincipal principal, String ws, String key) {
        return readModel.find(ws, key)
                .or(() -> accessStore.project(principal, key)
                        .map(p -> new ProjectRow(p.key(), p.name(), p.visibility(), null, null)))
                .orElseThrow(() -> DomainRuleException.notFound("project-not-found",
                        "Project '" + key + "' was not found in workspace '" + ws + "'."));
    }

    private static String roleOf(Optional<ProjectAccess> access) {
        return access.map(ProjectAccess::role).map(ProjectRole::wireName).orElse(null);
    }
}
