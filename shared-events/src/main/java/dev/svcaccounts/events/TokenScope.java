package dev.svcaccounts.events;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a token may do at most, narrower than its owner: a maximum role per project key. A token with a scope acts only
 * in the projects it names, each at the lower of its owner's role there and the cap, whatever roles its owner gains
 * later; a token without one (null wherever a scope is optional) carries its owner's full access.
 *
 * @param projects the cap per project key, sorted by key; never empty
 */
public record TokenScope(Map<String, ProjectRole> projects) {

    /** At most this many projects in one token's scope. */
    public static final int MAX_PROJECTS = 100;

    public TokenScope {
        if (projects == null || projects.isEmpty()) {
            throw new IllegalArgumentException("A token scope names at least one project");
        }
        if (projects.values().stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("Every project of a token scope has a role");
        }
        projects = Collections.unmodifiableSortedMap(new TreeMap<>(projects));
    }

    /** The cap on this project, empty when the scope does not name it (the token has no access there at all). */
    public Optional<ProjectRole> capOn(String projectKey) {
        return Optional.ofNullable(projects.get(projectKey));
    }

    /** The lower of two roles; null when either is null (no access stays no access). */
    public static ProjectRole lower(ProjectRole role, ProjectRole cap) {
        if (role == null || cap == null) {
            return null;
        }
        return role.atLeast(cap) ? cap : role;
    }
}
