package dev.svcaccounts.infra.web;

/** Where a request came from and why, as recorded with every event it causes. {@code reason} may be null. */
public record AuditContext(String requestId, String clientIp, String userAgent, String reason) {
}
