package dev.svcaccounts.credentials;

import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.ProjectAccess;
import dev.svcaccounts.events.ProjectPermission;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.events.WorkspaceRole;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A principal's effective access to the projects of its workspace, as it is right now: read from the
 * command side's {@code auth_project*} tables, which are written in the same transaction as the events
 * that change them, and decided by {@link AccessRules}. Every access decision of the query side, and
 * {@code /v1/me} and {@code /v1/introspect}, come from here.
 */
@Component
public class ProjectAccessStore {

    /** A project as the access tables know it, with the principal's access to it (empty when none). */
    public record ProjectAccessView(String key, String name, ProjectVisibility visibility,
                                    Optional<ProjectAccess> access) {
    }

    private static final String PROJECTS_WITH_ROLE = """
            SELECT p.project_key, p.name, p.visibility, r.role
              FROM command_side.auth_project p
              LEFT JOIN command_side.auth_project_role r
                ON r.workspace_id = p.workspace_id AND r.project_key = p.project_key
               AND r.principal_type = ? AND r.principal_id = ?
             WHERE p.workspace_id = ?
            """;

    /**
     * A principal's explicit grants with their projects, by key, cut at a limit; {@code total} counts them all (the
     * window is computed before the limit). Uses the index on the principal, not a scan of the workspace's projects.
     */
    private static final String EXPLICIT_GRANTS = """
            SELECT pr.project_key, pr.name AS project_name, pr.visibility, r.role AS project_role,
                   count(*) OVER () AS total
              FROM command_side.auth_project_role r
              JOIN command_side.auth_project pr
                ON pr.workspace_id = r.workspace_id AND pr.project_key = r.project_key
             WHERE r.workspace_id = ? AND r.principal_type = ? AND r.principal_id = ?
             ORDER BY r.project_key COLLATE "C"
             LIMIT ?
            """;

    /**
     * An active principal's workspace role and every project of its workspace with its explicit role there: one
     * statement, so one snapshot.
     */
    private static final String ACCESS_OF = """
            SELECT a.workspace_role, p.project_key, p.name, p.visibility, r.role
              FROM command_side.auth_principal a
              LEFT JOIN command_side.auth_project p ON p.workspace_id = a.workspace_id
              LEFT JOIN command_side.auth_project_role r
                ON r.workspace_id = p.workspace_id AND r.project_key = p.project_key
               AND r.principal_type = a.principal_type AND r.principal_id = a.principal_id
             WHERE a.workspace_id = ? AND a.principal_type = ? AND a.principal_id = ? AND a.active
             ORDER BY p.project_key COLLATE "C"
            """;

    /**
     * {@link #ACCESS_OF} for a principal with no access but where it was assigned a role (a service account): its
     * assignments with their projects, not every project of its workspace, so a wide workspace costs it nothing. The
     * same rows once the projects without access are left out, and still one statement.
     */
    private static final String ASSIGNED_ACCESS_OF = """
            SELECT a.workspace_role, p.project_key, p.name, p.visibility, r.role
              FROM command_side.auth_principal a
              LEFT JOIN (command_side.auth_project_role r
                         JOIN command_side.auth_project p
                           ON p.workspace_id = r.workspace_id AND p.project_key = r.project_key)
                ON r.workspace_id = a.workspace_id
               AND r.principal_type = a.principal_type AND r.principal_id = a.principal_id
             WHERE a.workspace_id = ? AND a.principal_type = ? AND a.principal_id = ? AND a.active
             ORDER BY p.project_key COLLATE "C"
            """;

    /** The principals the rules give access to no project they were not assigned a role in: service accounts. */
    private static final Set<PrincipalType> ONLY_WHERE_ASSIGNED = Arrays.stream(PrincipalType.values())
            .filter(type -> type != PrincipalType.USER
                    && Arrays.stream(ProjectVisibility.values()).allMatch(v -> v.implicitRoleFor(type).isEmpty()))
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(PrincipalType.class)));

    private final JdbcTemplate jdbc;

    public ProjectAccessStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The projects of the principal's workspace it sees ({@link ProjectAccess#isVisibleTo}), by key, each with its
     * access (possibly none, for a user). With a scoped token: the projects the token reaches, at its capped role.
     */
    public List<ProjectAccessView> visibleProjects(AuthenticatedPrincipal principal) {
        return allProjects(principal).stream()
                .map(p -> capped(principal, p))
                .filter(p -> principal.isScoped() ? p.access().isPresent()
                        : ProjectAccess.isVisibleTo(principal.type(), p.access()))
                .toList();
    }

    /** Every project of the principal's workspace, by key, each with the principal's access (possibly none). */
    private List<ProjectAccessView> allProjects(AuthenticatedPrincipal principal) {
        if (principal.workspaceId() == null) {
            return List.of();
        }
        return projects(principal.workspaceId(), principal.type(), principal.id(), principal.role(),
                " ORDER BY p.project_key COLLATE \"C\"");
    }

    /** An active principal's workspace role (null for service accounts) and its access to every project. */
    public record PrincipalAccess(WorkspaceRole workspaceRole, List<ProjectAccessView> projects) {
    }

    /**
     * What another principal of the workspace may do right now, in every project: for an admin's view of a user or a
     * service account. Empty for a principal that is unknown, removed or deactivated. One statement: the principal and
     * its projects are read on one snapshot, without a transaction. A service account's are read from its assignments.
     */
    public Optional<PrincipalAccess> accessOf(String workspaceId, PrincipalType type, String id) {
        return jdbc.query(ONLY_WHERE_ASSIGNED.contains(type) ? ASSIGNED_ACCESS_OF : ACCESS_OF, rs -> {
            if (!rs.next()) {
                return Optional.<PrincipalAccess>empty();
            }
            String storedRole = rs.getString("workspace_role");
            WorkspaceRole role = storedRole == null ? null : WorkspaceRole.valueOf(storedRole);
            List<ProjectAccessView> projects = new ArrayList<>();
            do {
                String key = rs.getString("project_key");
                if (key != null) { // none when the workspace has no project
                    projects.add(view(type, role, key, rs.getString("name"), rs.getString("visibility"),
                            rs.getString("role")));
                }
            } while (rs.next());
            return Optional.of(new PrincipalAccess(role, withAccess(projects)));
        }, workspaceId, type.name(), id);
    }

    /**
     * The projects where the principal was assigned a role, each with its effective access, the first
     * {@link ProjectListing#MAX_LISTED} by key, and how many there are: one statement, bounded by the principal's
     * assignments whatever the number of projects its visibility or admin role reaches.
     */
    public ProjectListing explicitGrants(AuthenticatedPrincipal principal) {
        if (principal.workspaceId() == null) {
            return ProjectListing.EMPTY;
        }
        if (principal.isScoped()) {
            return scopedProjects(principal);
        }
        List<ProjectAccessView> listed = new ArrayList<>();
        int[] total = {0};
        jdbc.query(EXPLICIT_GRANTS, rs -> {
            total[0] = rs.getInt("total");
            listed.add(view(principal.type(), principal.role(), rs.getString("project_key"),
                    rs.getString("project_name"), rs.getString("visibility"), rs.getString("project_role")));
        }, principal.workspaceId(), principal.type().name(), principal.id(), ProjectListing.MAX_LISTED);
        return new ProjectListing(listed, total[0]);
    }

    /** The project, listed when the principal has access to it; empty alike when it has none, or no such project. */
    public ProjectListing accessibleProject(AuthenticatedPrincipal principal, String projectKey) {
        return ProjectListing.complete(project(principal, projectKey).filter(p -> p.access().isPresent()).stream()
                .toList());
    }

    /**
     * A scoped token's listing: every project its scope names that its principal has access to, at the capped role
     * (implicit access included: an admin's token scoped to one project is listed on that project alone). Complete:
     * a scope names at most {@link ProjectListing#MAX_LISTED} projects.
     */
    private ProjectListing scopedProjects(AuthenticatedPrincipal principal) {
        // project keys are [a-z0-9-]: a comma-separated list needs no escaping
        String keys = String.join(",", principal.scope().projects().keySet());
        return ProjectListing.complete(projects(principal.workspaceId(), principal.type(), principal.id(),
                principal.role(), " AND p.project_key = ANY (string_to_array(?, ',')) ORDER BY p.project_key COLLATE"
                        + " \"C\"", keys).stream()
                .map(p -> capped(principal, p))
                .filter(p -> p.access().isPresent())
                .toList());
    }

    /**
     * One project of the principal's workspace with the access of the request's token to it (its principal's,
     * capped by the token's scope); empty if no such project.
     */
    public Optional<ProjectAccessView> project(AuthenticatedPrincipal principal, String projectKey) {
        return ownersAccess(principal, projectKey).map(p -> capped(principal, p));
    }

    /** One project with the access of the token's principal to it, whatever the token's scope. */
    private Optional<ProjectAccessView> ownersAccess(AuthenticatedPrincipal principal, String projectKey) {
        if (principal.workspaceId() == null) {
            return Optional.empty();
        }
        return projects(principal.workspaceId(), principal.type(), principal.id(), principal.role(),
                " AND p.project_key = ?", projectKey).stream().findFirst();
    }

    /**
     * The project, with the token's access to it, refusing when that access lacks the permission. A project
     * the principal does not see ({@link ProjectAccess#isVisibleTo}) is 404, as one that does not exist; a project
     * it sees without the permission is 403 naming the role it needs, and 403 {@code token-scope-exceeded} when the
     * principal has it but the token's scope does not reach that far. Name and visibility come with it, from the
     * same row the decision was made on.
     */
    public ProjectAccessView require(AuthenticatedPrincipal principal, String workspaceId, String projectKey,
                                     ProjectPermission permission) {
        AccessRules.requireWorkspace(principal, workspaceId);
        ProjectAccessView project = ownersAccess(principal, projectKey)
                .filter(p -> ProjectAccess.isVisibleTo(principal.type(), p.access()))
                .orElseThrow(() -> AccessRules.projectNotFound(workspaceId, projectKey));
        AccessRules.requirePermission(project.access(), projectKey, permission);
        ProjectAccessView tokens = capped(principal, project);
        AccessRules.requireWithinScope(tokens.access(), projectKey, permission);
        return tokens;
    }

    /** The project with the access of the request's token: its principal's, capped by the token's scope. */
    private static ProjectAccessView capped(AuthenticatedPrincipal principal, ProjectAccessView project) {
        if (!principal.isScoped()) {
            return project;
        }
        return new ProjectAccessView(project.key(), project.name(), project.visibility(),
                TokenScope.limit(principal.scope(), project.key(), project.access()));
    }

    /** The projects of a workspace (narrowed or ordered by {@code rest}) with one principal's access to each. */
    private List<ProjectAccessView> projects(String workspaceId, PrincipalType type, String id, WorkspaceRole role,
                                             String rest, Object... restArguments) {
        Object[] arguments = new Object[3 + restArguments.length];
        arguments[0] = type.name();
        arguments[1] = id;
        arguments[2] = workspaceId;
        System.arraycopy(restArguments, 0, arguments, 3, restArguments.length);
        return jdbc.query(PROJECTS_WITH_ROLE + rest, (rs, i) -> view(type, role, rs.getString("project_key"),
                rs.getString("name"), rs.getString("visibility"), rs.getString("role")), arguments);
    }

    /**
     * An active principal's access to one project, from the stored columns: its visibility and the principal's
     * explicit role there (null when not assigned).
     */
    static ProjectAccessView view(PrincipalType type, WorkspaceRole role, String projectKey, String name,
                                  String storedVisibility, String storedExplicitRole) {
        ProjectVisibility visibility = ProjectVisibility.valueOf(storedVisibility);
        return new ProjectAccessView(projectKey, name, visibility, AccessRules.accessOf(type, role, visibility,
                storedExplicitRole == null ? null : ProjectRole.valueOf(storedExplicitRole)));
    }

    /** As {@link #view(PrincipalType, WorkspaceRole, String, String, String, String)}, capped by the token's scope. */
    static ProjectAccessView view(AuthenticatedPrincipal principal, String projectKey, String name,
                                  String storedVisibility, String storedExplicitRole) {
        return capped(principal, view(principal.type(), principal.role(), projectKey, name, storedVisibility,
                storedExplicitRole));
    }

    private static List<ProjectAccessView> withAccess(List<ProjectAccessView> projects) {
        return projects.stream().filter(p -> p.access().isPresent()).toList();
    }
}
