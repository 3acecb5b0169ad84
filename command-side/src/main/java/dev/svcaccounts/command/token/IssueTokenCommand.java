package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record IssueTokenCommand(@TargetAggregateIdentifier String workspaceId, String serviceAccountId,
                                NewToken token, PrincipalRef actor) {
}
