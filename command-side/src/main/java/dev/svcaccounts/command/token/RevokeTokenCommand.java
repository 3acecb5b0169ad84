package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RevokeTokenCommand(@TargetAggregateIdentifier String workspaceId, String serviceAccountId,
                                 String tokenId, PrincipalRef actor) {
}
