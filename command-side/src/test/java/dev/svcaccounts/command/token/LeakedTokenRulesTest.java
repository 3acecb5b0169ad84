package dev.svcaccounts.command.token;

import dev.svcaccounts.command.workspace.History;
import dev.svcaccounts.command.workspace.Workspace;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.events.TokenRevocationCause;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.refusals.DomainRuleException.Kind;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.svcaccounts.command.workspace.History.*;

/** Tokens reported as leaked ({@link LeakedTokenRules}): sent without a principal, never refused. */
class LeakedTokenRulesTest {

    /** What a leaked-token report puts on its command: no principal, no token. */
    private static final Map<String, Object> ANONYMOUS = Map.of(AuditMetadata.ACTOR_TYPE, AuditMetadata.ANONYMOUS,
            AuditMetadata.CLIENT_IP, "203.0.113.7");

    private FixtureConfiguration<Workspace> fixture;

    @BeforeEach
    void setUp() {
        fixture = History.fixture();
    }

    private static List<Object> withBobsToken() {
        List<Object> events = workspaceWithAccount();
        events.add(issued(MEMBER, token("bob-1")));
        return events;
    }

    @Test
    void everyWorkingTokenReported_isRevokedAsLeaked_whoeverOwnsIt() {
        fixture.given(withBobsToken())
                .when(new RevokeLeakedTokensCommand(WS, List.of("t1", "bob-1")), ANONYMOUS)
                .expectEvents(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.LEAKED),
                        new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.LEAKED));
    }

    @Test
    void revokedExpiredAndUnknownTokens_arePassedOver_andAReportOfNothingLiveRecordsNothing() {
        List<Object> events = withBobsToken();
        events.add(new TokenRevokedEvent(WS, "bob-1", MEMBER, TokenRevocationCause.REVOKED));
        events.add(issued(SA_REF, token("expired", NOW)));
        fixture.given(events)
                .when(new RevokeLeakedTokensCommand(WS, List.of("bob-1", "expired", "unknown", "t1", "t1")), ANONYMOUS)
                .expectEvents(new TokenRevokedEvent(WS, "t1", SA_REF, TokenRevocationCause.LEAKED));
        fixture.given(events)
                .when(new RevokeLeakedTokensCommand(WS, List.of("bob-1", "expired", "unknown")), ANONYMOUS)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anonymousMetadata_passesOnlyForAReport() {
        fixture.given(withBobsToken())
                .when(new RevokeTokenCommand(WS, SA_REF, "t1", ADMIN), ANONYMOUS)
                .expectNoEvents()
                .expectException(refused(Kind.UNAUTHENTICATED, "unauthenticated"));
    }
}
