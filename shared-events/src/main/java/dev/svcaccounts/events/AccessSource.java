package dev.svcaccounts.events;

/** Why a principal has a role in a project. */
public enum AccessSource {
    /** It was assigned to the project. */
    EXPLICIT,
    /** The project's visibility grants it to every user of the workspace. */
    VISIBILITY,
    /** Workspace admins act as owners of every project of their workspace. */
    WORKSPACE_ADMIN;

    public String wireName() {
        return name().toLowerCase().replace('_', '-');
    }
}
