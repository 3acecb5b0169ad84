package dev.svcaccounts.command.federation;

import dev.svcaccounts.command.token.IssueTokenCommand;
import dev.svcaccounts.command.token.NewToken;
import dev.svcaccounts.command.token.RevokeTokenCommand;
import dev.svcaccounts.command.token.RotateTokenCommand;
import dev.svcaccounts.command.workspace.History;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.ProjectVisibility;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.TokenExchange;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.svcaccounts.command.workspace.History.*;

/** One test per rule of the token exchange ({@link FederationRules#exchange}), as the Workspace aggregate decides. */
class FederationExchangeRulesTest {

    private static final String ISSUER = "https://token.actions.githubusercontent.com";
    private static final String SUBJECT = "repo:acme/train:ref:refs/heads/main";
    private static final FederationRule RULE = new FederationRule("r1", ISSUER, null, "{\"keys\":[]}",
            "https://svcaccounts.example", "repo:acme/train:*", Map.of("repository", "acme/train"), 900);
    private static final Instant JWT_EXPIRY = NOW.plusSeconds(300);

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    private static VerifiedJwt jwt(String subject, String repository, Instant expiresAt) {
        return new VerifiedJwt(ISSUER, subject, "jti-1", List.of("https://svcaccounts.example"),
                Map.of("repository", repository, "ref", "refs/heads/main"), expiresAt);
    }

    private static ExchangeTokenCommand exchange(VerifiedJwt jwt, NewToken token) {
        return new ExchangeTokenCommand(WS, SA, "r1", jwt, token);
    }

    private static List<Object> accountWithRule() {
        List<Object> events = workspaceWithAccount();
        events.add(new FederationRuleAddedEvent(WS, SA, RULE));
        return events;
    }

    private static TokenIssuedEvent exchanged(String tokenId, Instant expiresAt, TokenScope scope) {
        return exchanged(tokenId, expiresAt, scope, JWT_EXPIRY);
    }

    private static TokenIssuedEvent exchanged(String tokenId, Instant expiresAt, TokenScope scope,
                                              Instant jwtExpiresAt) {
        return new TokenIssuedEvent(WS, tokenId, SA_REF, "hash-" + tokenId, "svcacct_..." + tokenId,
                "exchanged for " + SUBJECT, expiresAt, scope, null, new TokenExchange("r1", ISSUER, SUBJECT, "jti-1",
                Map.of("repository", "acme/train"), jwtExpiresAt));
    }

    @Test
    void aMatchingJwt_getsAnOrdinaryTokenOfTheAccount_livingTheRulesLifetime_withTheExchangeRecorded() {
        fixture.given(accountWithRule())
                .when(exchange(jwt(SUBJECT, "acme/train", JWT_EXPIRY), token("x1")))
                .expectEvents(exchanged("x1", NOW.plusSeconds(900), null));
    }

    @Test
    void theTokenExpiresNoLaterThanTheJwtsOwnExpiryPlusTheLifetime() {
        Instant expiredJustNow = NOW.minusSeconds(30); // within the verifier's skew
        fixture.given(accountWithRule())
                .when(exchange(jwt(SUBJECT, "acme/train", expiredJustNow), token("x1")))
                .expectEvents(exchanged("x1", expiredJustNow.plusSeconds(900), null, expiredJustNow));
    }

    @Test
    void aNarrowerScope_isTheTokens() {
        TokenScope scope = new TokenScope(new HashMap<>(Map.of("churn", ProjectRole.VIEWER)));
        List<Object> given = accountWithRule();
        given.add(projectCreated("churn", ProjectVisibility.PRIVATE, ADMIN));
        fixture.given(given)
                .when(exchange(jwt(SUBJECT, "acme/train", JWT_EXPIRY), withScope("x1", scope)))
                .expectEvents(exchanged("x1", NOW.plusSeconds(900), scope));
    }

    @Test
    void aScopeNamingNoProject_isRefused() {
        TokenScope scope = new TokenScope(new HashMap<>(Map.of("nope", ProjectRole.VIEWER)));
        fixture.given(accountWithRule())
                .when(exchange(jwt(SUBJECT, "acme/train", JWT_EXPIRY), withScope("x1", scope)))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "project-not-found"));
    }

    @Test
    void aDeactivatedAccount_isRefused() {
        List<Object> given = accountWithRule();
        given.add(new ServiceAccountDeactivatedEvent(WS, SA, null));
        fixture.given(given)
                .when(exchange(jwt(SUBJECT, "acme/train", JWT_EXPIRY), token("x1")))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "service-account-deactivated"));
    }

    @Test
    void aRuleDeletedJustBefore_isRefused() {
        List<Object> given = accountWithRule();
        given.add(new FederationRuleRemovedEvent(WS, SA, "r1"));
        fixture.given(given)
                .when(exchange(jwt(SUBJECT, "acme/train", JWT_EXPIRY), token("x1")))
                .expectNoEvents()
                .expectException(refused(Kind.NOT_FOUND, "federation-rule-not-found"));
    }

    @Test
    void aJwtTheRuleDoesNotMatch_isRefused() {
        fixture.given(accountWithRule())
                .when(exchange(jwt(SUBJECT, "acme/other", JWT_EXPIRY), token("x1")))
                .expectNoEvents()
                .expectException(refused(Kind.FORBIDDEN, "federation-rule-mismatch"));
    }

    @Test
    void atMostAThousandWorkingExchangedTokens_perAccount() {
        List<Object> given = accountWithRule();
        for (int i = 0; i < FederationRules.MAX_LIVE_EXCHANGED_TOKENS; i++) {
            given.add(exchanged("e" + i, NOW.plusSeconds(600), null));
        }
        fixture.given(given)
                .when(exchange(jwt(SUBJECT, "acme/train", JWT_EXPIRY), token("x1")))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "exchanged-token-limit-reached"));
    }

    @Test
    void expiredExchangedTokens_doNotCountAgainstThatLimit() {
        List<Object> given = accountWithRule();
        for (int i = 0; i < FederationRules.MAX_LIVE_EXCHANGED_TOKENS; i++) {
            given.add(exchanged("e" + i, NOW.minusSeconds(1), null));
        }
        fixture.given(given)
                .when(exchange(jwt(SUBJECT, "acme/train", JWT_EXPIRY), token("x1")))
                .expectEvents(exchanged("x1", NOW.plusSeconds(900), null));
    }

    @Test
    void anAccountWithItsFiveLongLivedTokens_stillExchanges() {
        List<Object> given = accountWithRule(); // t1 is the first
        for (int i = 2; i <= 5; i++) {
            given.add(issued(SA_REF, token("t" + i)));
        }
        fixture.given(given)
                .when(exchange(jwt(SUBJECT, "acme/train", JWT_EXPIRY), token("x1")))
                .expectEvents(exchanged("x1", NOW.plusSeconds(900), null));
    }

    @Test
    void exchangedTokens_doNotCountAmongTheFiveLongLivedOnes() {
        List<Object> given = accountWithRule(); // t1 is the first
        for (int i = 2; i <= 4; i++) {
            given.add(issued(SA_REF, token("t" + i)));
        }
        for (int i = 0; i < 10; i++) {
            given.add(exchanged("e" + i, NOW.plusSeconds(600), null));
        }
        fixture.given(given)
                .when(new IssueTokenCommand(WS, SA_REF, token("t5"), ADMIN))
                .expectEvents(issued(SA_REF, token("t5")));
    }

    @Test
    void anExchangedToken_cannotBeRotated() {
        List<Object> given = accountWithRule();
        given.add(exchanged("x1", NOW.plusSeconds(600), null));
        fixture.given(given)
                .when(new RotateTokenCommand(WS, SA_REF, "x1", token("x2"), 60, ADMIN))
                .expectNoEvents()
                .expectException(refused(Kind.CONFLICT, "exchanged-token-not-rotatable"));
    }

    private static NewToken withScope(String id, TokenScope scope) {
        NewToken plain = token(id);
        return new NewToken(plain.tokenId(), plain.secretHash(), plain.hint(), null, null, scope);
    }

    @Test
    void exchangedTokens_areForgottenTenMinutesAfterTheyEnded_soAWorkspacesMemoryDoesNotGrowWithEveryJob() {
        Instant hourAgo = NOW.minusSeconds(3600);
        Instant fiveMinutesAgo = NOW.minusSeconds(300);
        fixture.givenCurrentTime(hourAgo)
                .andGiven(accountWithRule())
                .andGiven(exchanged("old", hourAgo.plusSeconds(60), null))
                .andGivenCurrentTime(fiveMinutesAgo)
                .andGiven(exchanged("recent", fiveMinutesAgo.plusSeconds(60), null))
                .andGivenCurrentTime(NOW)
                .andGiven(exchanged("new", NOW.plusSeconds(900), null))
                .when(new RevokeTokenCommand(WS, SA_REF, "old", ADMIN))
                .expectException(refused(Kind.NOT_FOUND, "token-not-found"));
    }

    @Test
    void anExchangedTokenThatEndedLessThanTenMinutesAgo_isStillKnown() {
        Instant fiveMinutesAgo = NOW.minusSeconds(300);
        fixture.givenCurrentTime(fiveMinutesAgo)
                .andGiven(accountWithRule())
                .andGiven(exchanged("recent", fiveMinutesAgo.plusSeconds(60), null))
                .andGivenCurrentTime(NOW)
                .andGiven(exchanged("new", NOW.plusSeconds(900), null))
                .when(new RevokeTokenCommand(WS, SA_REF, "recent", ADMIN))
                .expectEvents(new TokenRevokedEvent(WS, "recent", SA_REF, TokenRevocationCause.REVOKED));
    }
}
