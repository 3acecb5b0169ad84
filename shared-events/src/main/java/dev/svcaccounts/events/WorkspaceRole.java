package dev.svcaccounts.events;

/** A user's role in a workspace. Service accounts never hold one. */
public enum WorkspaceRole {
    ADMIN,
    MEMBER
}
