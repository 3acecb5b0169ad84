package dev.svcaccounts.command.federation;

import dev.svcaccounts.command.serviceaccount.ServiceAccountState;
import dev.svcaccounts.command.serviceaccount.ServiceAccountStatus;
import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.command.token.TokenScopeRules;
import dev.svcaccounts.command.workspace.Decision;
import dev.svcaccounts.command.workspace.WorkspaceState;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.TokenExchange;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.refusals.DomainRuleException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Federation rules (which external identities may act as a service account) and the token exchange they allow.
 * Rules are managed by workspace admins, at most {@value FederationRule#MAX_RULES_PER_ACCOUNT} per account. An
 * exchange is decided here like any issue, so a rule deleted or an account deactivated an instant before refuses it,
 * and the token it gives is an ordinary token of the account (revocation, introspection, audit), short-lived, and not
 * counted among the account's {@code activeTokensPerPrincipal} long-lived tokens.
 */
public final class FederationRules {

    /** Working exchanged tokens per account: a bound on what a flood of valid JWTs can make. */
    public static final int MAX_LIVE_EXCHANGED_TOKENS = 1000;
    static final int MAX_DESCRIPTION_LENGTH = 200;

    private FederationRules() {
    }

    public static Decision<FederationRule> add(WorkspaceState state, AddFederationRuleCommand command) {
        state.requireAdmin(command.actor(), "manage federation rules");
        ServiceAccountState account = state.requireAccount(command.serviceAccountId());
        var rules = state.federation().rulesOf(account.id());
        if (rules.size() >= FederationRule.MAX_RULES_PER_ACCOUNT) {
            throw DomainRuleException.conflict("federation-rule-limit-reached", "Service account '" + account.name()
                    + "' already has " + FederationRule.MAX_RULES_PER_ACCOUNT
                    + " federation rules, the most it may have. Delete one first.")
                    .with("limit", FederationRule.MAX_RULES_PER_ACCOUNT);
        }
        FederationRule rule = command.rule();
        rules.stream().filter(existing -> sameTrust(existing, rule)).findFirst().ifPresent(existing -> {
            throw DomainRuleException.conflict("federation-rule-exists", "Service account '" + account.name()
                    + "' already has federation rule '" + existing.ruleId() + "' for this issuer, audience, subject"
                    + " and claims.").with("ruleId", existing.ruleId());
        });
        return Decision.returning(rule,
                new FederationRuleAddedEvent(state.workspaceId(), account.id(), rule));
    }

    public static Decision<Void> remove(WorkspaceState state, RemoveFederationRuleCommand command) {
        state.requireAdmin(command.actor(), "manage federation rules");
        ServiceAccountState account = state.requireAccount(command.serviceAccountId());
        if (state.federation().find(account.id(), command.ruleId()).isEmpty()) {
            throw DomainRuleException.notFound("federation-rule-not-found", "Service account '" + account.name()
                    + "' has no federation rule '" + command.ruleId() + "'.");
        }
        return Decision.of(new FederationRuleRemovedEvent(state.workspaceId(), account.id(), command.ruleId()));
    }

    /**
     * Refusals here are the exchange's {@code invalid_grant} (the code names why); the token's expiry is the rule's
     * lifetime from now, never later than the JWT's own expiry plus that lifetime, in whole milliseconds.
     */
    public static Decision<TokenIssuedEvent> exchange(WorkspaceState state, ExchangeTokenCommand command,
                                                      Instant now) {
        ServiceAccountState account = state.serviceAccounts().find(command.serviceAccountId())
                .orElseThrow(() -> DomainRuleException.notFound("service-account-not-found",
                        "Service account '" + command.serviceAccountId() + "' was not found."));
        if (account.status() != ServiceAccountStatus.ACTIVE) {
            throw DomainRuleException.conflict("service-account-deactivated",
                    "Service account '" + account.name() + "' is deactivated.");
        }
        VerifiedJwt jwt = command.jwt();
        FederationRule rule = state.federation().find(account.id(), command.ruleId())
                .orElseThrow(() -> DomainRuleException.notFound("federation-rule-not-found",
                        "Service account '" + account.name() + "' has no federation rule '" + command.ruleId()
                                + "' (deleted?)."));
        if (!rule.matches(jwt.issuer(), jwt.audience(), jwt.subject(), jwt.claims())) {
            throw DomainRuleException.forbidden("federation-rule-mismatch",
                    "The JWT does not match federation rule '" + rule.ruleId() + "'.");
        }
        PrincipalRef owner = PrincipalRef.serviceAccount(account.id());
        if (state.tokens().activeExchangedCount(owner, now) >= MAX_LIVE_EXCHANGED_TOKENS) {
            throw DomainRuleException.conflict("exchanged-token-limit-reached", "Service account '" + account.name()
                    + "' already has " + MAX_LIVE_EXCHANGED_TOKENS + " working exchanged tokens.")
                    .with("limit", MAX_LIVE_EXCHANGED_TOKENS);
        }
        NewToken token = command.token();
        TokenScopeRules.requireProjectsExist(state, token.scope());
        Instant expiresAt = expiry(rule, jwt, now);
        // the rule matched, so the JWT carried exactly the rule's claims
        TokenExchange exchange = new TokenExchange(rule.ruleId(), jwt.issuer(), jwt.subject(), jwt.jwtId(),
                rule.claims(), jwt.expiresAt());
        TokenIssuedEvent issued = new TokenIssuedEvent(state.workspaceId(), token.tokenId(), owner,
                token.secretHash(), token.hint(), description(jwt), expiresAt, token.scope(), null, exchange);
        return Decision.returning(issued, issued);
    }

    static Instant expiry(FederationRule rule, VerifiedJwt jwt, Instant now) {
        Instant byLifetime = now.plusSeconds(rule.maxTokenLifetimeSeconds());
        Instant byJwt = jwt.expiresAt().plusSeconds(rule.maxTokenLifetimeSeconds());
        return (byJwt.isBefore(byLifetime) ? byJwt : byLifetime).truncatedTo(ChronoUnit.MILLIS);
    }

    private static String description(VerifiedJwt jwt) {
        String text = "exchanged for " + jwt.subject();
        return text.length() <= MAX_DESCRIPTION_LENGTH ? text : text.substring(0, MAX_DESCRIPTION_LENGTH);
    }

    private static boolean sameTrust(FederationRule a, FederationRule b) {
        return a.issuer().equals(b.issuer()) && a.audience().equals(b.audience())
                && a.subject().equals(b.subject()) && a.claims().equals(b.claims());
    }
}
