package dev.svcaccounts.command.token;

import dev.svcaccounts.command.policy.TokenPolicyRules;
import dev.svcaccounts.command.workspace.Decision;
import dev.svcaccounts.command.workspace.WorkspaceState;
import dev.svcaccounts.events.TokenExpiryCause;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.refusals.DomainRuleException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Rotation with overlap: a working token gets a successor with its description and scope, and stops working
 * {@code overlapSeconds} later (both work meanwhile). Decided with the issue of the successor in one commit, so a
 * token can be rotated once only, and never after it was revoked or expired. Who may rotate is who may issue: the
 * token-manager check of {@link TokenRules}.
 * <p>
 * The successor keeps the old token's lifetime: a token issued for 30 days is replaced by one that expires 30 days
 * after the rotation; one that never expires by one that never expires. A rotation does not count against the
 * active-token limit: it replaces a token, and the old one ends by itself at the end of the overlap. The workspace's
 * credential policy applies to the successor as to any new token: its maximum lifetime shortens the inherited one.
 * <p>
 * The instants a rotation computes are whole milliseconds, which every table stores exactly (PostgreSQL keeps
 * microseconds), so that the answer, the events and the views show the same expiries.
 */
public final class RotationRules {

    /** A day: long enough to roll a secret out to every client, short enough that the old one is soon gone. */
    public static final long MAX_OVERLAP_SECONDS = 86_400;

    private RotationRules() {
    }

    public static Decision<Rotation> rotate(WorkspaceState state, RotateTokenCommand command, Instant now) {
        String ownerName = TokenRules.requireTokenManager(state, command.owner(), command.actor(), "rotate");
        if (command.overlapSeconds() < 0 || command.overlapSeconds() > MAX_OVERLAP_SECONDS) {
            throw DomainRuleException.invalid("overlap-out-of-range", "overlapSeconds must be between 0 and "
                    + MAX_OVERLAP_SECONDS + " (a day); it was " + command.overlapSeconds() + ".");
        }
        String oldId = command.tokenId();
        Tokens.TokenState old = state.tokens().find(oldId)
                .filter(token -> token.owner().equals(command.owner()))
                .orElseThrow(() -> DomainRuleException.notFound("token-not-found",
                        ownerName + " has no token '" + oldId + "'."));
        requireRotatable(state, oldId, old, now);

        Instant expiresAt = TokenPolicyRules.successorExpiry(state, command.owner().type(), successorExpiry(old, now),
                now);
        NewToken successor = command.successor();
        List<WorkspaceEvent> events = new ArrayList<>();
        events.add(new TokenIssuedEvent(state.workspaceId(), successor.tokenId(), command.owner(),
                successor.secretHash(), successor.hint(), old.description(), expiresAt, old.scope(), oldId));
        Instant overlapEnd = now.truncatedTo(ChronoUnit.MILLIS).plusSeconds(command.overlapSeconds());
        Instant oldExpiresAt = old.expiresAt();
        if (oldExpiresAt == null || oldExpiresAt.isAfter(overlapEnd)) {
            events.add(new TokenExpiryShortenedEvent(state.workspaceId(), oldId, command.owner(), overlapEnd,
                    oldExpiresAt, TokenExpiryCause.ROTATED));
            oldExpiresAt = overlapEnd;
        }
        return Decision.returning(new Rotation(successor.tokenId(), old.description(), old.scope(), expiresAt, oldId,
                oldExpiresAt), events);
    }

    private static void requireRotatable(WorkspaceState state, String tokenId, Tokens.TokenState token, Instant now) {
        if (token.exchanged()) {
            throw DomainRuleException.conflict("exchanged-token-not-rotatable", "Token '" + tokenId
                    + "' was obtained by a token exchange and lives at most an hour; exchange a new JWT instead.");
        }
        if (token.revokedAt() != null) {
            throw DomainRuleException.conflict("token-already-revoked",
                    "Token '" + tokenId + "' is revoked; issue a new token instead.");
        }
        state.tokens().successorOf(tokenId).ifPresent(successor -> {
            throw DomainRuleException.conflict("token-already-rotated", "Token '" + tokenId
                    + "' was already rotated; its successor is '" + successor + "'. Rotate that one instead.")
                    .with("successor", successor);
        });
        if (!token.isActiveAt(now)) {
            throw DomainRuleException.conflict("token-already-expired",
                    "Token '" + tokenId + "' expired at " + token.expiresAt() + "; issue a new token instead.");
        }
    }

    /** The old token's lifetime from now on, at most until {@link NewToken#LATEST_EXPIRY}; none for none. */
    static Instant successorExpiry(Tokens.TokenState old, Instant now) {
        if (old.expiresAt() == null) {
            return null;
        }
        Duration lifetime = Duration.between(old.issuedAt(), old.expiresAt());
        Duration room = Duration.between(now, NewToken.LATEST_EXPIRY);
        return lifetime.compareTo(room) >= 0 ? NewToken.LATEST_EXPIRY
                : now.plus(lifetime).truncatedTo(ChronoUnit.MILLIS);
    }
}
