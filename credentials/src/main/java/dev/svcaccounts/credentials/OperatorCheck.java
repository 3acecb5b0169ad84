package dev.svcaccounts.credentials;

/**
 * Whether a secret is the platform operator's credential. The operator has no row in the auth tables: its
 * credential is a slow salted hash in {@code command_side.operator_credential}, checked (and throttled) by
 * shared-infra's {@code OperatorVerification}, which implements this for {@link CredentialStore}.
 */
public interface OperatorCheck {

    /**
     * @throws dev.svcaccounts.refusals.DomainRuleException 503 when too many operator credentials are being
     *                                                      checked at once
     */
    boolean isOperator(String secret);

    /**
     * Whether {@code secret} is the operator credential {@code stored} (the column as read, null when none is
     * stored): for a caller that read the stored value in a statement of its own (introspection reads it with the
     * token, {@link CredentialStore#lookupWithAccessAsOperator}).
     *
     * @throws dev.svcaccounts.refusals.DomainRuleException 503 when too many operator credentials are being
     *                                                      checked at once
     */
    default boolean isOperator(String secret, String stored) {
        return stored != null && isOperator(secret);
    }
}
