package dev.svcaccounts.command.workspace;

import dev.svcaccounts.command.token.NewToken;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateWorkspaceCommand(@TargetAggregateIdentifier String workspaceId, String name,
                                     String adminUsername, NewToken adminToken) {
}
