package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** {@code name} or {@code description} null means: leave it as it is; an empty description clears it. */
public record UpdateServiceAccountCommand(@TargetAggregateIdentifier String workspaceId, String serviceAccountId,
                                          String name, String description, PrincipalRef actor) {
}
