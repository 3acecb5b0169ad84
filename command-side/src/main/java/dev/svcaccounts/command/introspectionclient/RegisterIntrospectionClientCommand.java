package dev.svcaccounts.command.introspectionclient;

/** Register a client of {@code /v1/introspect}; the controller generated its id and secret (only the hash comes). */
public record RegisterIntrospectionClientCommand(String clientId, String name, String description,
                                                 String secretHash, String hint) {
}
