package dev.svcaccounts.command.federation.jwt;

/**
 * A token exchange refused, as RFC 6749 section 5.2 answers it: {@code error} is the OAuth error code, the
 * {@code description} its {@code error_description}, and {@code reason} a short stable code for the trail and metrics
 * (e.g. {@code jwt-expired}, {@code jti-replayed}, {@code issuer-unreachable}).
 */
public class ExchangeRefusal extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String INVALID_TARGET = "invalid_target";
    public static final String INVALID_SCOPE = "invalid_scope";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";

    private final String error;
    private final String reason;

    public ExchangeRefusal(String error, String reason, String description) {
        super(description, null, false, false);
        this.error = error;
        this.reason = reason;
    }

    public static ExchangeRefusal invalidRequest(String reason, String description) {
        return new ExchangeRefusal(INVALID_REQUEST, reason, description);
    }

    public static ExchangeRefusal invalidGrant(String reason, String description) {
        return new ExchangeRefusal(INVALID_GRANT, reason, description);
    }

    public String error() {
        return error;
    }

    public String reason() {
        return reason;
    }

    public String description() {
        return getMessage();
    }
}
