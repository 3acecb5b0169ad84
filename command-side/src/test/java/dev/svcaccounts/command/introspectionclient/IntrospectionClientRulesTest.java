package dev.svcaccounts.command.introspectionclient;

import dev.svcaccounts.events.IntrospectionClientRegisteredEvent;
import dev.svcaccounts.events.IntrospectionClientRevokedEvent;
import dev.svcaccounts.refusals.DomainRuleException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntrospectionClientRulesTest {

    private static final IntrospectionClientRegisteredEvent REGISTERED = new IntrospectionClientRegisteredEvent(
            "ic_1", "gateway", "the API gateway", "hash-of-secret", "intcli_...abcd");

    private AggregateTestFixture<IntrospectionClient> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(IntrospectionClient.class);
    }

    @Test
    void registering_recordsTheClientWithTheHashOfItsSecretOnly() {
        fixture.givenNoPriorActivity()
                .when(new RegisterIntrospectionClientCommand("ic_1", "gateway", "the API gateway", "hash-of-secret",
                        "intcli_...abcd"))
                .expectEvents(REGISTERED);
    }

    @Test
    void revoking_recordsTheRevocation() {
        fixture.given(REGISTERED)
                .when(new RevokeIntrospectionClientCommand("ic_1"))
                .expectEvents(new IntrospectionClientRevokedEvent("ic_1"));
    }

    @Test
    void aRevokedClient_isNotRevokedTwice() {
        fixture.given(REGISTERED, new IntrospectionClientRevokedEvent("ic_1"))
                .when(new RevokeIntrospectionClientCommand("ic_1"))
                .expectNoEvents()
                .expectException(DomainRuleException.class)
                .expectExceptionMessage("Introspection client 'ic_1' is already revoked.");
    }
}
