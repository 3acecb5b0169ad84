package dev.svcaccounts.command.policy;

import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.command.token.TokenRules;
import dev.svcaccounts.command.token.Tokens;
import dev.svcaccounts.command.workspace.Decision;
import dev.svcaccounts.command.workspace.WorkspaceState;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenExpiryCause;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.WorkspaceEvent;
import dev.svcaccounts.refusals.DomainRuleException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of a workspace's credential policy: who sets it, its ranges, what enforcing it does to existing tokens,
 * the expiry a new token gets under it, and which tokens are idle. All decided on the aggregate's state, so a policy
 * change and a token issue are ordered: a token is always decided under the policy in force when it is issued.
 */
public final class TokenPolicyRules {

    public static final String MAX_LIFETIME = "policy-max-lifetime";
    public static final String REQUIRE_EXPIRY = "policy-require-expiry";
    public static final String SERVICE_ACCOUNT_TOKENS = "policy-service-account-tokens";

    private TokenPolicyRules() {
    }

    /**
     * Records the policy. With {@code enforce}, each working token already older than the maximum lifetime is revoked
     * and each younger one expiring later (or never) gets its issue plus the maximum as its expiry. Enforcing does not
     * touch tokens that only lack an expiry (requireExpiry without a maximum: there is no limit to give them) or that
     * belong to service accounts when their tokens are no longer allowed (as GCP keeps existing keys): the compliance
     * report lists them. Setting the policy in force again without {@code enforce} records nothing.
     */
    public static Decision<PolicyDecision> set(WorkspaceState state, SetTokenPolicyCommand command, Instant now) {
        state.requireAdmin(command.actor(), "set the workspace's credential policy");
        TokenPolicy policy = command.policy();
        requireDays("maxLifetimeDays", policy.maxLifetimeDays());
        requireDays("maxIdleDays", policy.maxIdleDays());
        TokenPolicyState current = state.tokenPolicy();
        if (policy.equals(current.policy()) && !command.enforce()) {
            return Decision.returning(new PolicyDecision(policy, false, 0, 0));
        }
        List<WorkspaceEvent> events = new ArrayList<>();
        events.add(new TokenPolicySetEvent(state.workspaceId(), policy, current.policy(), command.enforce(),
                idleCountsFrom(current, policy, command.enforce(), now)));
        int revoked = 0;
        int shortened = 0;
        if (command.enforce() && policy.maxLifetimeDays() != null) {
            Duration max = Duration.ofDays(policy.maxLifetimeDays());
            for (Map.Entry<String, Tokens.TokenState> entry : state.tokens().activeAt(now).entrySet()) {
                Tokens.TokenState token = entry.getValue();
                Instant limit = token.issuedAt().plus(max);
                if (!limit.isAfter(now)) {
                    events.add(new TokenRevokedEvent(state.workspaceId(), entry.getKey(), token.owner(),
                            TokenRevocationCause.POLICY_MAX_LIFETIME));
                    revoked++;
                } else if (token.expiresAt() == null || token.expiresAt().isAfter(limit)) {
                    events.add(new TokenExpiryShortenedEvent(state.workspaceId(), entry.getKey(), token.owner(),
                            limit, token.expiresAt(), TokenExpiryCause.POLICY_MAX_LIFETIME));
                    shortened++;
                }
            }
        }
        return Decision.returning(new PolicyDecision(policy, command.enforce(), revoked, shortened), events);
    }

    /**
     * Idle time counts from the moment a maximum idle time came into force (existing tokens get the whole period), kept
     * while it stays set; an enforced policy counts it from each token's last use, however old.
     */
    private static Instant idleCountsFrom(TokenPolicyState current, TokenPolicy policy, boolean enforce, Instant now) {
        if (policy.maxIdleDays() == null || enforce) {
            return null;
        }
        return current.policy().maxIdleDays() != null ? current.idleCountsFrom() : now;
    }

    private static void requireDays(String field, Integer days) {
        if (days != null && (days < TokenPolicy.MIN_DAYS || days > TokenPolicy.MAX_DAYS)) {
            throw DomainRuleException.invalid("invalid-policy", "'" + field + "' must be a whole number of days from "
                    + TokenPolicy.MIN_DAYS + " to " + TokenPolicy.MAX_DAYS + ", or absent for no limit.")
                    .with("field", field);
        }
    }

    /**
     * The expiry a new token of an owner of this type gets under the policy: the one asked for if it complies, the
     * maximum lifetime if none was asked for and there is one; refused if it asks for more than the maximum, or for
     * none when an expiry is required. Service-account tokens must be allowed ({@link #allowsTokensOf}).
     *
     * @param requested the expiry asked for, null for none
     */
    public static Instant expiryFor(WorkspaceState state, PrincipalType ownerType, Instant requested, Instant now) {
        if (requested != null && !requested.isAfter(now)) {
            throw DomainRuleException.invalid("expiry-in-the-past", "expiresAt must be in the future.");
        }
        TokenPolicy policy = state.tokenPolicy().policy();
        if (!allowsTokensOf(state, ownerType)) {
            throw DomainRuleException.conflict(SERVICE_ACCOUNT_TOKENS, "The credential policy of workspace '"
                    + state.workspaceId() + "' does not allow tokens for service accounts.");
        }
        if (policy.maxLifetimeDays() != null) {
            // whole milliseconds, as rotation computes its instants: the answer shows what every table stores
            Instant latest = now.plus(Duration.ofDays(policy.maxLifetimeDays())).truncatedTo(ChronoUnit.MILLIS);
            if (requested == null) {
                return latest;
            }
            if (requested.isAfter(latest)) {
                throw DomainRuleException.invalid(MAX_LIFETIME, "The credential policy of workspace '"
                        + state.workspaceId() + "' allows tokens to live at most " + policy.maxLifetimeDays()
                        + " days: expiresAt must be at most " + latest + " (or absent, which gives that).")
                        .with("limit", policy.maxLifetimeDays()).with("latestExpiry", latest.toString());
            }
        } else if (policy.requireExpiry() && requested == null) {
            throw DomainRuleException.invalid(REQUIRE_EXPIRY, "The credential policy of workspace '"
                    + state.workspaceId() + "' requires every token to expire: send an expiry.");
        }
        return requested;
    }

    /**
     * The expiry of a rotation's successor under the policy: the lifetime it inherits, shortened to the policy's
     * maximum (a rotation is never refused for a lifetime its token was given before the policy); refused as an issue
     * would be when the policy requires an expiry it cannot give, or allows the owner no token.
     */
    public static Instant successorExpiry(WorkspaceState state, PrincipalType ownerType, Instant inherited,
                                          Instant now) {
        Integer maxDays = state.tokenPolicy().policy().maxLifetimeDays();
        if (maxDays != null) {
            Instant latest = now.plus(Duration.ofDays(maxDays)).truncatedTo(ChronoUnit.MILLIS);
            if (inherited == null || inherited.isAfter(latest)) {
                return expiryFor(state, ownerType, latest, now);
            }
        }
        return expiryFor(state, ownerType, inherited, now);
    }

    /**
     * The token a command issues along with what it creates or reactivates (an account's first or fresh token, a new
     * member's first token), with the expiry the policy gives it; empty when the policy allows the owner no token.
     */
    public static Optional<TokenIssuedEvent> tokenAlong(WorkspaceState state, PrincipalRef owner, NewToken token,
                                                        Instant now) {
        if (!allowsTokensOf(state, owner.type())) {
            return Optional.empty();
        }
        return Optional.of(TokenRules.issued(state.workspaceId(), owner, token,
                expiryFor(state, owner.type(), token.expiresAt(), now)));
    }

    /** False for service accounts when the policy does not allow their tokens. */
    public static boolean allowsTokensOf(WorkspaceState state, PrincipalType ownerType) {
        return ownerType != PrincipalType.SERVICE_ACCOUNT || state.tokenPolicy().policy().allowServiceAccountTokens();
    }

    /**
     * Revokes (cause IDLE) each candidate that still works and is idle under the policy in force: unused since its last
     * use (the candidate's, else its issue), or since the policy's {@code idleCountsFrom} if later, for longer than
     * {@code maxIdleDays}. Returns how many it revoked; nothing when the policy no longer sets a maximum idle time.
     */
    public static Decision<Integer> revokeIdle(WorkspaceState state, RevokeIdleTokensCommand command, Instant now) {
        TokenPolicyState policy = state.tokenPolicy();
        Integer maxIdleDays = policy.policy().maxIdleDays();
        if (maxIdleDays == null) {
            return Decision.returning(0);
        }
        List<TokenRevokedEvent> events = new ArrayList<>();
        Set<String> decided = new HashSet<>();
        for (RevokeIdleTokensCommand.Candidate candidate : command.tokens()) {
            Optional<Tokens.TokenState> found = state.tokens().find(candidate.tokenId());
            if (!decided.add(candidate.tokenId()) || found.isEmpty() || !found.get().isActiveAt(now)) {
                continue;
            }
            Tokens.TokenState token = found.get();
            Instant lastActive = candidate.lastUsedAt() != null && candidate.lastUsedAt().isAfter(token.issuedAt())
                    ? candidate.lastUsedAt() : token.issuedAt();
            if (!TokenPolicySetEvent.idleFrom(lastActive, policy.idleCountsFrom(), maxIdleDays).isAfter(now)) {
                events.add(new TokenRevokedEvent(state.workspaceId(), candidate.tokenId(), token.owner(),
                        TokenRevocationCause.IDLE));
            }
        }
        return Decision.returning(events.size(), events);
    }
}
