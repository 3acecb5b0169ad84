package dev.svcaccounts.command.member;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RemoveMemberCommand(@TargetAggregateIdentifier String workspaceId, String username, PrincipalRef actor) {
}
