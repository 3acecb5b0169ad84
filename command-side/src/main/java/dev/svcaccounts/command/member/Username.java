package dev.svcaccounts.command.member;

/** How a username looks: also the id users are known by in the audit trail and in project assignments. */
public final class Username {

    public static final String PATTERN = "[a-z0-9][a-z0-9._-]{1,38}";
    public static final String MESSAGE =
            "must be 2-39 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";

    private Username() {
    }
}
