package dev.svcaccounts.events;

import java.util.EnumSet;
import java.util.Set;

/** A principal's role in one project, lowest first: {@code viewer < contributor < owner}. */
public enum ProjectRole {
    /** Reads the project: its metadata, its runs, who has access. */
    VIEWER(EnumSet.of(ProjectPermission.READ)),
    /** Also acts in it: logs runs, edits metadata. The least a service account needs to do work in a project. */
    CONTRIBUTOR(EnumSet.of(ProjectPermission.READ, ProjectPermission.WRITE)),
    /** Also manages it: renames it, changes its visibility, assigns users and service accounts to it. */
    OWNER(EnumSet.of(ProjectPermission.READ, ProjectPermission.WRITE, ProjectPermission.MANAGE));

    private final Set<ProjectPermission> permissions;

    ProjectRole(Set<ProjectPermission> permissions) {
        this.permissions = permissions;
    }

    public Set<ProjectPermission> permissions() {
        return EnumSet.copyOf(permissions);
    }

    public boolean permits(ProjectPermission permission) {
        return permissions.contains(permission);
    }

    public boolean atLeast(ProjectRole other) {
        return compareTo(other) >= 0;
    }

    /** The least role that has this permission. */
    public static ProjectRole lowestWith(ProjectPermission permission) {
        for (ProjectRole role : values()) {
            if (role.permits(permission)) {
                return role;
            }
        }
        throw new IllegalArgumentException("No role permits " + permission);
    }

    public static ProjectRole higher(ProjectRole a, ProjectRole b) {
        if (a == null) {
            return b;
        }
        return b == null || a.atLeast(b) ? a : b;
    }

    /** The lowercase name used in the API: {@code viewer}, {@code contributor}, {@code owner}. */
    public String wireName() {
        return name().toLowerCase();
    }
}
