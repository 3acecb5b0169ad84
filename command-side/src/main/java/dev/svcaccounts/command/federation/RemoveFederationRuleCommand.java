package dev.svcaccounts.command.federation;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Delete a federation rule of the account (admins only). */
public record RemoveFederationRuleCommand(@TargetAggregateIdentifier String workspaceId, String serviceAccountId,
                                          String ruleId, PrincipalRef actor) {
}
