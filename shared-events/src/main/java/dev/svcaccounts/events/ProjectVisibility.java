package dev.svcaccounts.events;

import java.util.Optional;

/**
 * Who gets access to a project without being assigned to it. Only users ever do: a service account can use a
 * project only when it is explicitly assigned, whatever the visibility. Nothing is ever visible to another
 * workspace, so {@code public} grants the workspace's users what {@code workspace} does.
 */
public enum ProjectVisibility {
    /** Only assigned principals (and workspace admins). */
    PRIVATE,
    /** Every user of the workspace is an implicit contributor. */
    WORKSPACE,
    /** As {@code WORKSPACE} inside this API; readers outside the workspace are the platform's public pages. */
    PUBLIC;

    public Optional<ProjectRole> implicitRoleFor(PrincipalType type) {
        if (type != PrincipalType.USER || this == PRIVATE) {
            return Optional.empty();
        }
        return Optional.of(ProjectRole.CONTRIBUTOR);
    }

    public String wireName() {
        return name().toLowerCase();
    }
}
