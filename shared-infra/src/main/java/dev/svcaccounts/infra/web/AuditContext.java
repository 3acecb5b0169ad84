package dev.svcaccounts.infra.web;

/** Where a request came from and why, as recorded with every event it causes. {@code reason} may be null. */
public record AuditContext(String requestId, String clientIp, String userAgent, String reason) {

    /** The reason a request body gives (say, for a deactivation) counts when no X-Audit-Reason was sent. */
    public AuditContext withReasonIfAbsent(String bodyReason) {
        return reason != null || bodyReason == null ? this : new AuditContext(requestId, clientIp, userAgent, bodyReason);
    }
}
