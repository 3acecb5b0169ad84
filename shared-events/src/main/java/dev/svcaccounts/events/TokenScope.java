package dev.svcaccounts.events;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
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
        // not containsValue(null): Map.of and other immutable maps throw on a null argument
        if (projects.values().stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("Every project of a token scope has a role");
        }
        projects = Collections.unmodifiableSortedMap(new TreeMap<>(projects));
    }

    /** The cap on this project, empty when the scope does not name it (the token has no access there at all). */
    public Optional<ProjectRole> capOn(String projectKey) {
        return Optional.ofNullable(projects.get(projectKey));
    }

    /**
     * What a token with this scope (null: its owner's full access) may do in a project where its owner has
     * {@code access}: the owner's access capped at the scope's role there; none in a project the scope does not name.
     */
    public static Optional<ProjectAccess> limit(TokenScope scope, String projectKey, Optional<ProjectAccess> access) {
        if (scope == null || access.isEmpty()) {
            return access;
        }
        return scope.capOn(projectKey).map(cap -> access.get().cappedAt(cap));
    }

    /** The scope as the API shows it, project key to role wire name ({@code {"churn": "viewer"}}); null for null. */
    public static Map<String, String> wireNames(TokenScope scope) {
        if (scope == null) {
            return null;
        }
        Map<String, String> wire = new TreeMap<>();
        scope.projects().forEach((key, role) -> wire.put(key, role.wireName()));
        return Collections.unmodifiableMap(wire);
    }

    /** The lower of two roles; null when either is null (no access stays no access). */
    public static ProjectRole lower(ProjectRole role, ProjectRole cap) {
        if (role == null || cap == null) {
            return null;
        }
        return role.atLeast(cap) ? cap : role;
    }
}
