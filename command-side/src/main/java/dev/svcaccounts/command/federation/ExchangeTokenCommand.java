package dev.svcaccounts.command.federation;

import dev.svcaccounts.command.common.WithoutPrincipal;
import dev.svcaccounts.command.token.NewToken;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Issue a short-lived token of the account for a verified JWT, by the named federation rule. Sent with no principal
 * (the actor is the JWT's identity, {@code FEDERATED} in the metadata); the aggregate checks again that the account is
 * active and that the rule still exists and matches, so a rule deleted or an account deactivated just before is
 * refused.
 */
public record ExchangeTokenCommand(@TargetAggregateIdentifier String workspaceId, String serviceAccountId,
                                   String ruleId, VerifiedJwt jwt, NewToken token) implements WithoutPrincipal {
}
