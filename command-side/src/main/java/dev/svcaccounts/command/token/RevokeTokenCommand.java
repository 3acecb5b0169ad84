package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Revoke a service account's token (admins only) or a user's token (that user or an admin). */
public record RevokeTokenCommand(@TargetAggregateIdentifier String workspaceId, PrincipalRef owner,
                                 String tokenId, PrincipalRef actor) {
}
