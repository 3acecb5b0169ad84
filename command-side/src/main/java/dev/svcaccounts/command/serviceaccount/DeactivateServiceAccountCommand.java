package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record DeactivateServiceAccountCommand(@TargetAggregateIdentifier String workspaceId,
        String serviceAccountId, String reason, PrincipalRef actor) {
}
