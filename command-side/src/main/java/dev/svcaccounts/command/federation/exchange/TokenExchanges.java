package dev.svcaccounts.command.federation.exchange;

import dev.svcaccounts.command.common.CommandSender;
import dev.svcaccounts.command.federation.ExchangeTokenCommand;
import dev.svcaccounts.command.federation.VerifiedJwt;
import dev.svcaccounts.command.federation.exchange.FederationRuleDirectory.Candidate;
import dev.svcaccounts.command.federation.jwt.ExchangeRefusal;
import dev.svcaccounts.command.federation.jwt.JwtVerifier;
import dev.svcaccounts.command.federation.jwt.UnverifiedJwt;
import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.events.PrincipalType;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.refusals.DomainRuleException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Carries out a token exchange: the JWT parsed without trust; the rules that may trust it found by its claimed issuer
 * (of the one account named by {@code resource}, if any); its signature, issuer, audience and times verified with
 * each such rule's keys and its subject and claims matched; exactly one account must be left; its {@code jti} is
 * consumed (so it is exchanged once, cluster-wide, even when the command then fails); and the Workspace aggregate
 * decides the issue as it decides any, with the JWT's identity as the actor. Every refusal past the issuer's rules is
 * recorded in the trail of the workspaces whose rules judged it ({@link RefusalTrail}); a JWT that no rule trusts is
 * recorded nowhere, only counted.
 */
@Component
class TokenExchanges {

    /** What the exchange gives: the token's secret, how long it lives, and its scope (null: the account's access). */
    record Issued(String secret, long expiresInSeconds, TokenScope scope) {
    }

    private final JwtVerifier verifier;
    private final FederationRuleDirectory directory;
    private final JtiLedger ledger;
    private final CommandSender commands;
    private final RefusalTrail trail;
    private final Clock clock;

    TokenExchanges(JwtVerifier verifier, FederationRuleDirectory directory, JtiLedger ledger, CommandSender commands,
                   RefusalTrail trail, Clock clock) {
        this.verifier = verifier;
        this.directory = directory;
        this.ledger = ledger;
        this.commands = commands;
        this.trail = trail;
        this.clock = clock;
    }

    Issued exchange(ExchangeRequest request, ExchangeAttempt attempt) {
        UnverifiedJwt jwt;
        try {
            jwt = verifier.parse(request.subjectToken());
        } catch (ExchangeRefusal unparsed) {
            // e.g. alg none or HS256: recorded where the issuer it claims is trusted, if it claims one
            ClaimedIdentity claimed = ClaimedIdentity.of(request.subjectToken());
            attempt.claimed(claimed.issuer(), claimed.subject(), claimed.jwtId());
            if (claimed.issuer() != null) {
                recordWhereConcerned(directory.candidates(claimed.issuer(), request.target()), request.target(),
                        claimed, unparsed, attempt);
            }
            throw unparsed;
        }
        attempt.claimed(jwt.issuer(), jwt.subject(), jwt.jwtId());
        List<Candidate> candidates = candidates(jwt.issuer(), request.target());
        try {
            TokenScope scope = scope(request);
            Match match = match(jwt, candidates);
            try {
                return issue(match, scope, attempt);
            } catch (ExchangeRefusal refused) {
                trail.record(match.candidate().workspaceId(), match.candidate().serviceAccountId(),
                        match.candidate().rule().ruleId(), refused, attempt);
                throw refused;
            }
        } catch (Judged refused) {
            recordWhereConcerned(candidates, request.target(), ClaimedIdentity.of(request.subjectToken()),
                    refused.refusal(), attempt);
            throw refused.refusal();
        }
    }

    /** The rules that may trust a JWT of this (claimed) issuer; a refusal when there are none. */
    private List<Candidate> candidates(String issuer, Target target) {
        List<Candidate> candidates = issuer == null ? List.of() : directory.candidates(issuer, target);
        if (candidates.isEmpty()) {
            throw target != null && issuer != null && directory.knowsIssuer(issuer)
                    ? new ExchangeRefusal(ExchangeRefusal.INVALID_TARGET, "unknown-target", "No service account "
                    + "'" + target.workspaceId() + "/" + target.serviceAccountId() + "' trusts this JWT's issuer.")
                    : ExchangeRefusal.invalidGrant("unknown-issuer", "No federation rule trusts this JWT's issuer.");
        }
        return candidates;
    }

    private record Match(Candidate candidate, VerifiedJwt jwt) {
    }

    /** A refusal by the candidates as a whole, before any one account was chosen. */
    private static final class Judged extends RuntimeException {
        Judged(ExchangeRefusal refusal) {
            super(refusal);
        }

        ExchangeRefusal refusal() {
            return (ExchangeRefusal) getCause();
        }
    }

    private static TokenScope scope(ExchangeRequest request) {
        try {
            return request.tokenScope();
        } catch (ExchangeRefusal malformed) {
            throw new Judged(malformed);
        }
    }

    private Match match(UnverifiedJwt jwt, List<Candidate> candidates) {
        List<Match> matches = new ArrayList<>();
        ExchangeRefusal firstRefusal = null;
        boolean verifiedOnce = false;
        for (Candidate candidate : candidates) {
            try {
                VerifiedJwt verified = verifier.verify(jwt, candidate.rule());
                verifiedOnce = true;
                if (candidate.rule().matches(verified.issuer(), verified.audience(), verified.subject(),
                        verified.claims())) {
                    matches.add(new Match(candidate, verified));
                }
            } catch (ExchangeRefusal refused) {
                firstRefusal = firstRefusal == null ? refused : firstRefusal;
            }
        }
        if (matches.isEmpty()) {
            throw new Judged(verifiedOnce || firstRefusal == null
                    ? ExchangeRefusal.invalidGrant("no-matching-rule", "The JWT's subject or claims match no "
                    + "federation rule" + (candidates.size() == 1 ? "." : " of the " + candidates.size()
                    + " that trust its issuer."))
                    : firstRefusal);
        }
        Set<String> accounts = new LinkedHashSet<>();
        matches.forEach(m -> accounts.add(m.candidate().workspaceId() + "/" + m.candidate().serviceAccountId()));
        if (accounts.size() > 1) {
            throw new Judged(new ExchangeRefusal(ExchangeRefusal.INVALID_TARGET, "ambiguous-target",
                    "The JWT matches the federation rules of " + accounts.size() + " service accounts: name the one "
                    + "with form field 'resource' (<workspace>/<service-account id>)."));
        }
        return matches.get(0); // the account's oldest matching rule
    }

    private Issued issue(Match match, TokenScope scope, ExchangeAttempt attempt) {
        VerifiedJwt jwt = match.jwt();
        attempt.verified();
        if (!ledger.consume(jwt.issuer(), jwt.jwtId(), jwt.expiresAt())) {
            throw ExchangeRefusal.invalidGrant("jti-replayed",
                    "This JWT (its jti) was already exchanged; each JWT is exchanged once.");
        }
        NewToken.WithSecret token = NewToken.generate(PrincipalType.SERVICE_ACCOUNT, null, null, scope);
        Candidate candidate = match.candidate();
        TokenIssuedEvent issued;
        try {
            issued = commands.sendWithoutPrincipal(new ExchangeTokenCommand(candidate.workspaceId(),
                    candidate.serviceAccountId(), candidate.rule().ruleId(), jwt, token.token()),
                    attempt.metadata(token.token().tokenId()));
        } catch (DomainRuleException refused) {
            // a scope naming a project that does not exist is the scope's fault, any other refusal the grant's
            throw new ExchangeRefusal(refused.code().equals("project-not-found") ? ExchangeRefusal.INVALID_SCOPE
                    : ExchangeRefusal.INVALID_GRANT, refused.code(), refused.getMessage());
        } catch (AggregateNotFoundException gone) {
            throw new ExchangeRefusal(ExchangeRefusal.INVALID_TARGET, "unknown-target", "The workspace is gone.");
        }
        long expiresIn = Math.max(0, (Duration.between(clock.instant(), issued.expiresAt()).toMillis() + 999) / 1000);
        return new Issued(token.secret(), expiresIn, scope);
    }

    /**
     * A refusal before any one account was chosen goes to the trails of the workspaces it concerns: the one
     * {@code resource} named, else those with a rule trusting the issuer that names the JWT's audience or matches its
     * subject. Not every workspace that trusts the issuer: another tenant trusting GitHub must not read which of
     * this tenant's repositories tried what (so each workspace should give its rules an audience of its own).
     */
    private void recordWhereConcerned(List<Candidate> candidates, Target target, ClaimedIdentity claimed,
                                      ExchangeRefusal refusal, ExchangeAttempt attempt) {
        List<Candidate> concerned = target != null ? candidates : candidates.stream()
                .filter(c -> claimed.audience().contains(c.rule().audience())
                        || c.rule().subjectMatches(claimed.subject()))
                .toList();
        concerned.stream().map(Candidate::workspaceId).distinct().forEach(workspaceId -> {
            List<Candidate> own = concerned.stream().filter(c -> c.workspaceId().equals(workspaceId)).toList();
            boolean oneAccount = own.stream().map(Candidate::serviceAccountId).distinct().count() == 1;
            trail.record(workspaceId, oneAccount ? own.get(0).serviceAccountId() : null,
                    own.size() == 1 ? own.get(0).rule().ruleId() : null, refusal, attempt);
        });
    }
}
