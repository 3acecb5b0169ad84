package dev.svcaccounts.refusals;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refused request: which kind of refusal (it decides the HTTP status), a stable code that becomes the
 * problem {@code type}, and a detail that names the rule. Thrown by aggregates and controllers alike.
 * Optionally a {@code Retry-After} (seconds) and extra members of the problem document.
 */
public class DomainRuleException extends RuntimeException {

    public enum Kind {
        INVALID(400), UNAUTHENTICATED(401), FORBIDDEN(403), NOT_FOUND(404), NOT_ACCEPTABLE(406), CONFLICT(409),
        UNPROCESSABLE(422),
        TOO_MANY_REQUESTS(429), UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String code;
    private final Integer retryAfterSeconds;
    private final Map<String, Object> properties;

    public DomainRuleException(Kind kind, String code, String detail) {
        this(kind, code, detail, null, Map.of());
    }

    private DomainRuleException(Kind kind, String code, String detail, Integer retryAfterSeconds,
                                Map<String, Object> properties) {
        super(detail);
        this.kind = kind;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.properties = properties;
    }

    public static DomainRuleException invalid(String code, String detail) {
        return new DomainRuleException(Kind.INVALID, code, detail);
    }

    /** 401: the request's credential no longer works (found out after authentication, say by the aggregate). */
    public static DomainRuleException unauthenticated(String code, String detail) {
        return new DomainRuleException(Kind.UNAUTHENTICATED, code, detail);
    }

    public static DomainRuleException forbidden(String code, String detail) {
        return new DomainRuleException(Kind.FORBIDDEN, code, detail);
    }

    public static DomainRuleException notFound(String code, String detail) {
        return new DomainRuleException(Kind.NOT_FOUND, code, detail);
    }

    public static DomainRuleException conflict(String code, String detail) {
        return new DomainRuleException(Kind.CONFLICT, code, detail);
    }

    public static DomainRuleException unprocessable(String code, String detail) {
        return new DomainRuleException(Kind.UNPROCESSABLE, code, detail);
    }

    public static DomainRuleException tooManyRequests(String code, String detail, int retryAfterSeconds) {
        return new DomainRuleException(Kind.TOO_MANY_REQUESTS, code, detail).withRetryAfter(retryAfterSeconds);
    }

    public static DomainRuleException unavailable(String code, String detail, int retryAfterSeconds) {
        return new DomainRuleException(Kind.UNAVAILABLE, code, detail).withRetryAfter(retryAfterSeconds);
    }

    /** The same refusal with a {@code Retry-After} header of this many seconds. */
    public DomainRuleException withRetryAfter(int seconds) {
        return new DomainRuleException(kind, code, getMessage(), seconds, properties);
    }

    /** The same refusal with one more member in its problem document (say the limit that was reached). */
    public DomainRuleException with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(properties);
        more.put(name, value);
        return new DomainRuleException(kind, code, getMessage(), retryAfterSeconds, Map.copyOf(more));
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** Seconds for a {@code Retry-After} header; null for none. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Extra members of the problem document, beyond type, title, status, detail and requestId. */
    public Map<String, Object> properties() {
        return properties;
    }
}
