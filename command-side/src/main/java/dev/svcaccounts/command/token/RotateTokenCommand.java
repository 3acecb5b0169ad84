package dev.svcaccounts.command.token;

import dev.svcaccounts.events.PrincipalRef;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Rotate a working token: issue its successor ({@code successor}: id, hash and hint; the workspace decides its
 * description, scope and expiry) and end the old one {@code overlapSeconds} from now. Who may: as for issuing.
 */
public record RotateTokenCommand(@TargetAggregateIdentifier String workspaceId, PrincipalRef owner, String tokenId,
                                 NewToken successor, long overlapSeconds, PrincipalRef actor) {
}
