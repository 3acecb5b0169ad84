package dev.svcaccounts.infra.web;

import jakarta.servlet.http.HttpServletRequest;

/** Where a request came from and why, as recorded with every event it causes. {@code reason} may be null. */
public record AuditContext(String requestId, String clientIp, String userAgent, String reason) {

    /** The reason a request body gives (say, for a deactivation) counts when no X-Audit-Reason was sent. */
    public AuditContext withReasonIfAbsent(String bodyReason) {
        return reason != null || bodyReason == null ? this : new AuditContext(requestId, clientIp, userAgent, bodyReason);
    }

    /**
     * What a refused request said about itself, for the record of its refusal: as for any request, except that an
     * X-Audit-Reason the request could not have used is left out rather than refused.
     */
    public static AuditContext ofRefused(HttpServletRequest request) {
        String reason;
        try {
            reason = RequestArgumentResolvers.reason(request);
        } catch (DomainRuleException invalid) {
            reason = null;
        }
        return new AuditContext(RequestIds.current().orElse(null), request.getRemoteAddr(),
                RequestArgumentResolvers.userAgent(request), reason);
    }
}
