package dev.svcaccounts.events;

/**
 * A token exchange was refused. Recorded in the trail of the workspace whose federation rules the JWT was presented
 * to, with what the JWT claimed (its issuer, subject and id, unverified when the refusal is about its signature),
 * never the JWT itself. Like {@link AccessRefusedEvent}, appended on its own, outside the Workspace aggregate's
 * stream, and changes no state.
 *
 * @param serviceAccountId the account the exchange was aimed at, null when no single one was
 * @param ruleId           the rule it was judged by, null when none applied
 * @param error            the OAuth error answered: {@code invalid_request}, {@code invalid_grant},
 *                         {@code invalid_target} or {@code invalid_scope}
 * @param reason           a short code for why (e.g. {@code jwt-expired}, {@code jti-replayed})
 * @param detail           the {@code error_description} answered
 */
@EventRevision("1")
public record TokenExchangeRefusedEvent(String workspaceId, String serviceAccountId, String ruleId, String error,
                                        String reason, String detail, String issuer, String subject, String jwtId)
        implements WorkspaceEvent {
}
