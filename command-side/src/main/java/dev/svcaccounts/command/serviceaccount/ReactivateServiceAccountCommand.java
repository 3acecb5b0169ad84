package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record ReactivateServiceAccountCommand(@TargetAggregateIdentifier String workspaceId,
        String serviceAccountId, NewToken freshToken, PrincipalRef actor) {
}
