package dev.svcaccounts.command.member;

import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.WorkspaceRole;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AddMemberCommand(@TargetAggregateIdentifier String workspaceId, String username, WorkspaceRole role,
        NewToken firstToken, PrincipalRef actor) {
}
