package dev.svcaccounts.command.project;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One project as the Workspace aggregate knows it: its name, visibility and explicit assignments. */
public record ProjectState(String key, String name, ProjectVisibility visibility,
                           Map<PrincipalRef, ProjectRole> assignments) {

    public ProjectState {
        assignments = Map.copyOf(assignments);
    }

    public Optional<ProjectRole> roleOf(PrincipalRef principal) {
        return Optional.ofNullable(assignments.get(principal));
    }

    /** Its assignments in a stable order, users first, each type by id: for events that list them one by one. */
    public List<Map.Entry<PrincipalRef, ProjectRole>> assignmentsInOrder() {
        return assignments.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing((PrincipalRef p) -> p.type().ordinal())
                        .thenComparing(PrincipalRef::id)))
                .toList();
    }

    ProjectState withName(String newName) {
        return new ProjectState(key, newName, visibility, assignments);
    }

    ProjectState withVisibility(ProjectVisibility newVisibility) {
        return new ProjectState(key, name, newVisibility, assignments);
    }

    ProjectState withAssignment(PrincipalRef principal, ProjectRole role) {
        Map<PrincipalRef, ProjectRole> changed = new LinkedHashMap<>(assignments);
        if (role == null) {
            changed.remove(principal);
        } else {
            changed.put(principal, role);
        }
        return new ProjectState(key, name, visibility, changed);
    }
}
