package dev.svcaccounts.command.project;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record UnassignProjectRoleCommand(@TargetAggregateIdentifier String workspaceId, String projectKey,
        PrincipalRef assignee, PrincipalRef actor) implements WithinProject {
}
