package dev.svcaccounts.events;

/**
 * Every event of the platform itself, outside any workspace: what the operator does to the platform's own
 * configuration. Each belongs to the stream of its own aggregate (an introspection client, by its id), carries the
 * same audit metadata as a workspace's events ({@link AuditMetadata}), and never a secret.
 */
public sealed interface PlatformEvent permits IntrospectionClientRegisteredEvent, IntrospectionClientRevokedEvent {

    /** The id of what the event is about (its aggregate's id). */
    String subjectId();
}
