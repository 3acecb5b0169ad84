package dev.svcaccounts.infra.web;

/**
 * A refused request: which kind of refusal (it decides the HTTP status), a stable code that becomes the
 * problem {@code type}, and a detail that names the rule. Thrown by aggregates and controllers alike.
 */
public class DomainRuleException extends RuntimeException {

    public enum Kind { INVALID, FORBIDDEN, NOT_FOUND, CONFLICT }

    private final Kind kind;
    private final String code;

    public DomainRuleException(Kind kind, String code, String detail) {
        super(detail);
        this.kind = kind;
        this.code = code;
    }

    public static DomainRuleException invalid(String code, String detail) {
        return new DomainRuleException(Kind.INVALID, code, detail);
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

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
