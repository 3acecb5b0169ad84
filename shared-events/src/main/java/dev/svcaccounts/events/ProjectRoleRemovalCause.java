package dev.svcaccounts.events;

/** Why an assignment to a project ended. */
public enum ProjectRoleRemovalCause {
    /** Removed from the project by an owner or admin. */
    UNASSIGNED,
    /** The user was removed from the workspace. */
    MEMBER_REMOVED,
    /** The service account was deleted. */
    ACCOUNT_DELETED,
    /** The project was deleted; recorded for each assignee just before the project's deletion. */
    PROJECT_DELETED
}
