package dev.svcaccounts.command.member;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.WorkspaceRole;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ChangeMemberRoleCommand(@TargetAggregateIdentifier String workspaceId, String username,
        WorkspaceRole role, PrincipalRef actor) {
}
