package dev.svcaccounts.credentials;

import dev.svcaccounts.credentials.ProjectAccessStore.ProjectAccessView;

import java.util.List;

/**
 * The projects an answer about a principal lists (introspection, {@code /v1/me}), bounded whatever the size of the
 * workspace: either the one project asked for (when the principal has access to it), or the projects where it was
 * explicitly assigned a role, the first {@link #MAX_LISTED} by key. Implicit access (a project's visibility, the
 * workspace admin role) is never listed project by project: it is summarised by {@link AccessRules#implicitGrants}.
 *
 * @param listed the projects listed, each with the principal's effective access, by key
 * @param total  how many there are in all: more than {@code listed} when the listing was cut at {@link #MAX_LISTED}
 */
public record ProjectListing(List<ProjectAccessView> listed, int total) {

    /** At most this many explicit grants are listed; beyond, the answer says so and how many there are. */
    public static final int MAX_LISTED = 100;

    public static final ProjectListing EMPTY = new ProjectListing(List.of(), 0);

    public ProjectListing {
        listed = List.copyOf(listed);
        if (total < listed.size()) {
            throw new IllegalArgumentException("total " + total + " is below the " + listed.size() + " listed");
        }
    }

    /** Every project that could be listed is listed: the one asked for, or each explicit grant. */
    public static ProjectListing complete(List<ProjectAccessView> listed) {
        return new ProjectListing(listed, listed.size());
    }

    /** Whether some explicit grants were left out ({@link #total} says how many there are). */
    public boolean truncated() {
        return listed.size() < total;
    }
}
