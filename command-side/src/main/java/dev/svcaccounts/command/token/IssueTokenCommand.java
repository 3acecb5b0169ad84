package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Issue a token to a service account (admins only) or to a user (that user or an admin). */
public record IssueTokenCommand(@TargetAggregateIdentifier String workspaceId, PrincipalRef owner,
                                NewToken token, PrincipalRef actor) {
}
