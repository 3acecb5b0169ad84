package dev.svcaccounts.events;

/** The operator revoked an introspection client: its secret is refused from the moment the revocation returns. */
@EventRevision("1")
public record IntrospectionClientRevokedEvent(String clientId) implements PlatformEvent {

    @Override
    public String subjectId() {
        return clientId;
    }
}
