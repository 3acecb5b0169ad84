package dev.svcaccounts.command.introspectionclient;

import dev.svcaccounts.events.IntrospectionClientRegisteredEvent;
import dev.svcaccounts.events.IntrospectionClientRevokedEvent;
import dev.svcaccounts.refusals.DomainRuleException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A client of the introspection endpoint, registered by the operator: a platform-level aggregate, outside any
 * workspace, one stream per client. Its events ({@link dev.svcaccounts.events.PlatformEvent}) are the audit trail of
 * who registered and revoked it; the credentials module keeps the table {@code /v1/introspect} checks, in the
 * command's own transaction, so a revocation is exact the moment it returns.
 */
@Aggregate
public class IntrospectionClient {

    @AggregateIdentifier
    private String clientId;
    private boolean revoked;

    protected IntrospectionClient() {
        // for Axon
    }

    @CommandHandler
    public IntrospectionClient(RegisterIntrospectionClientCommand command) {
        AggregateLifecycle.apply(new IntrospectionClientRegisteredEvent(command.clientId(), command.name(),
                command.description(), command.secretHash(), command.hint()));
    }

    /** A client is revoked once; revoking it again is refused, as for an unknown one (404). */
    @CommandHandler
    public void handle(RevokeIntrospectionClientCommand command) {
        if (clientId == null) { // the stream is no client's
            throw DomainRuleException.notFound("introspection-client-not-found",
                    "There is no introspection client with this id.");
        }
        if (revoked) {
            throw DomainRuleException.notFound("introspection-client-not-found",
                    "Introspection client '" + clientId + "' is already revoked.");
        }
        AggregateLifecycle.apply(new IntrospectionClientRevokedEvent(clientId));
    }

    @EventSourcingHandler
    void on(IntrospectionClientRegisteredEvent event) {
        clientId = event.clientId();
    }

    @EventSourcingHandler
    void on(IntrospectionClientRevokedEvent event) {
        revoked = true;
    }
}
