package dev.svcaccounts.command.project;

import dev.svcaccounts.events.ProjectVisibility;

/** A project as a command handler returns it. */
public record ProjectSummary(String key, String name, ProjectVisibility visibility) {

    public static ProjectSummary of(ProjectState state) {
        return new ProjectSummary(state.key(), state.name(), state.visibility());
    }
}
