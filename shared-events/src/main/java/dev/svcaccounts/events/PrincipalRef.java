package dev.svcaccounts.events;

import java.util.Objects;

/** A principal by type and id: a username for users, the account id for service accounts. */
public record PrincipalRef(PrincipalType type, String id) {

    /** The operator's id wherever a principal is named: in the audit trail, introspection's {@code sub}. */
    public static final String OPERATOR_ID = "operator";

    public PrincipalRef {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static PrincipalRef user(String username) {
        return new PrincipalRef(PrincipalType.USER, username);
    }

    public static PrincipalRef serviceAccount(String serviceAccountId) {
        return new PrincipalRef(PrincipalType.SERVICE_ACCOUNT, serviceAccountId);
    }
}
