package dev.svcaccounts.command.project;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectRole;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Assign a user or service account to a project, or change its role there. */
public record AssignProjectRoleCommand(@TargetAggregateIdentifier String workspaceId, String projectKey,
        PrincipalRef assignee, ProjectRole role, PrincipalRef actor) implements WithinProject {
}
