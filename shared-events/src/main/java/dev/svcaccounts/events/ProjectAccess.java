package dev.svcaccounts.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A principal's effective role in a project and every grant that contributes to it. This is the one place
 * the access rules are written down; the command side, the read models and introspection all use it.
 *
 * @param role   the highest role among the grants
 * @param grants each source of access with the role it gives, explicit first
 */
public record ProjectAccess(ProjectRole role, List<Grant> grants) {

    public record Grant(AccessSource source, ProjectRole role) {
    }

    public ProjectAccess {
        grants = List.copyOf(grants);
    }

    public boolean permits(ProjectPermission permission) {
        return role.permits(permission);
    }

    /** This access held to at most {@code cap}: the role and each grant's role, the lower of theirs and the cap. */
    public ProjectAccess cappedAt(ProjectRole cap) {
        if (cap.atLeast(role)) {
            return this;
        }
        return new ProjectAccess(cap, grants.stream()
                .map(grant -> new Grant(grant.source(), TokenScope.lower(grant.role(), cap)))
                .toList());
    }

    /**
     * Whether a principal may know that a project exists, given its {@link #resolve resolved} access: a user sees
     * every project of its workspace, a service account only those it has access to. Any other project is "not
     * found" for it, as one that does not exist.
     */
    public static boolean isVisibleTo(PrincipalType type, Optional<ProjectAccess> access) {
        return type == PrincipalType.USER || access.isPresent();
    }

    /**
     * @param type          the principal's type
     * @param workspaceRole a user's workspace role; null for service accounts
     * @param active        false for a deactivated service account or a removed user: no access at all
     * @param visibility    the project's visibility
     * @param explicit      the role it was assigned in the project, or null
     * @return its effective access, or empty when it has none
     */
    public static Optional<ProjectAccess> resolve(PrincipalType type, WorkspaceRole workspaceRole, boolean active,
                                                  ProjectVisibility visibility, ProjectRole explicit) {
        if (!active || type == PrincipalType.OPERATOR) {
            return Optional.empty();
        }
        List<Grant> grants = new ArrayList<>();
        if (explicit != null) {
            grants.add(new Grant(AccessSource.EXPLICIT, explicit));
        }
        visibility.implicitRoleFor(type).ifPresent(role -> grants.add(new Grant(AccessSource.VISIBILITY, role)));
        if (type == PrincipalType.USER && workspaceRole == WorkspaceRole.ADMIN) {
            grants.add(new Grant(AccessSource.WORKSPACE_ADMIN, ProjectRole.OWNER));
        }
        ProjectRole effective = null;
        for (Grant grant : grants) {
            effective = ProjectRole.higher(effective, grant.role());
        }
        return effective == null ? Optional.empty() : Optional.of(new ProjectAccess(effective, grants));
    }
}
