package dev.svcaccounts.command.serviceaccount;

import dev.svcaccounts.events.TokenIssuedEvent;

/**
 * What creating or reactivating an account returns: the account, and the token issued with it as recorded (its expiry
 * the one the credential policy gave it), or null when the policy allows service accounts no token.
 */
public record AccountWithToken(ServiceAccountState account, TokenIssuedEvent token) {
}
