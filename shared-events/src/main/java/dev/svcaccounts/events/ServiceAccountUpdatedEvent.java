package dev.svcaccounts.events;

/** Name and description after the change, with what they were before, so the audit shows both. */
@EventRevision("1")
public record ServiceAccountUpdatedEvent(String workspaceId, String serviceAccountId,
                                         String name, String description,
                                         String previousName, String previousDescription)
        implements WorkspaceEvent {
}
