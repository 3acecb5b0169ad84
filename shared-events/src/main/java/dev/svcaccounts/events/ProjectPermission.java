package dev.svcaccounts.events;

/** What a project role allows. The rest of the platform checks these, through introspection. */
public enum ProjectPermission {
    READ,
    WRITE,
    MANAGE;

    public String wireName() {
        return name().toLowerCase();
    }
}
