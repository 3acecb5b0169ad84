package dev.svcaccounts.command.project;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectVisibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code name} and {@code visibility} are null when they stay as they are. */
public record UpdateProjectCommand(@TargetAggregateIdentifier String workspaceId, String projectKey, String name,
        ProjectVisibility visibility, PrincipalRef actor) implements WithinProject {
}
