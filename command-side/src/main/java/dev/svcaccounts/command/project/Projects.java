package dev.svcaccounts.command.project;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The Workspace aggregate's live projects, by key. */
public class Projects {

    private final Map<String, ProjectState> byKey = new LinkedHashMap<>();

    public Optional<ProjectState> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public int count() {
        return byKey.size();
    }

    /** Explicit assignments over all projects. */
    public int assignmentCount() {
        return byKey.values().stream().mapToInt(p -> p.assignments().size()).sum();
    }

    /** Every project the principal is explicitly assigned to, with its role there. */
    public Map<String, ProjectRole> assignmentsOf(PrincipalRef principal) {
        Map<String, ProjectRole> found = new LinkedHashMap<>();
        byKey.values().forEach(p -> p.roleOf(principal).ifPresent(role -> found.put(p.key(), role)));
        return found;
    }

    public void created(ProjectCreatedEvent e) {
        byKey.put(e.projectKey(), new ProjectState(e.projectKey(), e.name(), e.visibility(), Map.of()));
    }

    public void renamed(String key, String name) {
        byKey.computeIfPresent(key, (k, p) -> p.withName(name));
    }

    public void visibilityChanged(String key, ProjectVisibility visibility) {
        byKey.computeIfPresent(key, (k, p) -> p.withVisibility(visibility));
    }

    public void deleted(String key) {
        byKey.remove(key);
    }

    public void assigned(String key, PrincipalRef principal, ProjectRole role) {
        byKey.computeIfPresent(key, (k, p) -> p.withAssignment(principal, role));
    }

    public void unassigned(String key, PrincipalRef principal) {
        byKey.computeIfPresent(key, (k, p) -> p.withAssignment(principal, null));
    }
}
