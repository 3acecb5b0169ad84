package dev.svcaccounts.command.policy;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.TokenPolicy;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replace the workspace's credential policy (admins only); {@code enforce} also brings existing tokens into line. */
public record SetTokenPolicyCommand(@TargetAggregateIdentifier String workspaceId, TokenPolicy policy,
                                    boolean enforce, PrincipalRef actor) {
}
