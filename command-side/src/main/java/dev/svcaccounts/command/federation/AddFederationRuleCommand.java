package dev.svcaccounts.command.federation;

import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Let JWTs that match the rule be exchanged for tokens of the account (admins only). */
public record AddFederationRuleCommand(@TargetAggregateIdentifier String workspaceId, String serviceAccountId,
                                       FederationRule rule, PrincipalRef actor) {
}
