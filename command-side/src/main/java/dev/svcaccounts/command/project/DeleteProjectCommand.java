package dev.svcaccounts.command.project;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DeleteProjectCommand(@TargetAggregateIdentifier String workspaceId, String projectKey,
        PrincipalRef actor) {
}
