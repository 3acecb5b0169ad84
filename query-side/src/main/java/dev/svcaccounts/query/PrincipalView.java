package dev.svcaccounts.query;

/** Who did something, on the wire: {@code type} is user, service_account or operator. */
public record PrincipalView(String type, String id) {

    /** From stored columns (enum names); null when the type was not recorded. */
    public static PrincipalView of(String storedType, String id) {
        return storedType == null ? null : new PrincipalView(storedType.toLowerCase(), id);
    }
}
