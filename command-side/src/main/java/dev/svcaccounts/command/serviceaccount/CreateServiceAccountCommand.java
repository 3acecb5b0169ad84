package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record CreateServiceAccountCommand(@TargetAggregateIdentifier String workspaceId,
        String serviceAccountId, String name, String description, NewToken firstToken, PrincipalRef actor) {
}
