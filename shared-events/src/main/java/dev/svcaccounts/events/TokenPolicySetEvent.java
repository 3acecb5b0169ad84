package dev.svcaccounts.events;

import java.time.Duration;
import java.time.Instant;

/**
 * A workspace admin set the workspace's credential policy, replacing {@code previous} ({@link TokenPolicy#DEFAULT}
 * when none was set). With {@code enforce}, the same commit brings the existing tokens into line with the maximum
 * lifetime (each by a {@link TokenRevokedEvent} or a {@link TokenExpiryShortenedEvent} with cause
 * POLICY_MAX_LIFETIME, which follow this event).
 *
 * @param idleCountsFrom with {@code policy.maxIdleDays()} set: a token's idle time counts from its last use (or its
 *                       issue) but not before this instant, so a policy set without enforce gives every existing token
 *                       the full idle period from then on; null when an enforced policy counts it from the last use
 *                       however old, and whenever {@code maxIdleDays} is null
 */
@EventRevision("1")
public record TokenPolicySetEvent(String workspaceId, TokenPolicy policy, TokenPolicy previous, boolean enforce,
                                  Instant idleCountsFrom)
        implements WorkspaceEvent {

    /** When a token unused since {@code lastActiveAt} (its last use, else its issue) becomes idle. */
    public static Instant idleFrom(Instant lastActiveAt, Instant idleCountsFrom, int maxIdleDays) {
        Instant from = idleCountsFrom != null && idleCountsFrom.isAfter(lastActiveAt) ? idleCountsFrom : lastActiveAt;
        return from.plus(Duration.ofDays(maxIdleDays));
    }
}
