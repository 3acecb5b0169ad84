package dev.svcaccounts.command.member;

import dev.svcaccounts.events.PrincipalRef;

import java.util.Set;

/** How a username looks: also the id users are known by in the audit trail and in project assignments. */
public final class Username {

    /** 2-39 characters, and never shaped like a UUID, which is what service-account ids look like. */
    public static final String PATTERN =
            "(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)[a-z0-9][a-z0-9._-]{1,38}";
    public static final String MESSAGE = "must be 2-39 characters: lowercase letters, digits, '.', '_' or '-', "
            + "starting with a letter or digit, and not shaped like a service-account id (a UUID)";

    /**
     * Ids of principals that are not users: a user with one of them would read as that principal wherever only an
     * id is shown (an actor's id, introspection's {@code sub}).
     */
    public static final Set<String> RESERVED = Set.of(PrincipalRef.OPERATOR_ID);

    private Username() {
    }

    public static boolean isReserved(String username) {
        return RESERVED.contains(username);
    }
}
