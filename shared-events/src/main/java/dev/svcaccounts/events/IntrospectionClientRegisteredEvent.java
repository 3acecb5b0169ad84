package dev.svcaccounts.events;

/**
 * The operator registered a client of the introspection endpoint (RFC 7662 §2.1: a resource server that asks whether
 * tokens are active). Only the SHA-256 hash of its secret ({@link TokenSecret#hash}) and a hint are kept.
 */
@EventRevision("1")
public record IntrospectionClientRegisteredEvent(String clientId, String name, String description,
                                                 String secretHash, String hint) implements PlatformEvent {

    @Override
    public String subjectId() {
        return clientId;
    }
}
