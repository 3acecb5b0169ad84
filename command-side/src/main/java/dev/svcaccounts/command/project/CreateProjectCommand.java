package dev.svcaccounts.command.project;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectVisibility;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateProjectCommand(@TargetAggregateIdentifier String workspaceId, String projectKey, String name,
        ProjectVisibility visibility, PrincipalRef actor) {
}
