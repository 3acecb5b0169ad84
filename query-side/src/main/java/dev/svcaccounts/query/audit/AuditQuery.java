package dev.svcaccounts.query.audit;

import java.time.Instant;

/**
 * Filters of the audit trail; null means no filter. {@code account} matches entries concerning that account or
 * acted by it (a timeline); {@code token} the token a request was made with; {@code correlationId} the client's id
 * of the request. {@code after} is the cursor: a
 * position.
 */
record AuditQuery(String workspaceId, String actor, String subject, String account, String project, String type,
                  String token, String correlationId, Instant from, Instant to, Long after) {

    static AuditQuery timeline(String workspaceId, String account, Long after) {
        return new AuditQuery(workspaceId, null, null, account, null, null, null, null, null, null, after);
    }

    AuditQuery after(long position) {
        return new AuditQuery(workspaceId, actor, subject, account, project, type, token, correlationId, from, to,
                position);
    }
}
