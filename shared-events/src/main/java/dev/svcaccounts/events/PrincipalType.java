package dev.svcaccounts.events;

/** Who can act: the platform operator, a human user of a workspace, or a service account. */
public enum PrincipalType {
    OPERATOR,
    USER,
    SERVICE_ACCOUNT
}
