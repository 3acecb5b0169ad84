package dev.svcaccounts.command.introspectionclient;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RevokeIntrospectionClientCommand(@TargetAggregateIdentifier String clientId) {
}
