package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DeleteServiceAccountCommand(@TargetAggregateIdentifier String workspaceId,
        String serviceAccountId, PrincipalRef actor) {
}
