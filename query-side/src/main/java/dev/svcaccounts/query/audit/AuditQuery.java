package dev.svcaccounts.query.audit;

import java.time.Instant;

/**
 * Filters of the audit trail; null means no filter. {@code actorType} and {@code actor} match the acting principal
 * (a filter on an actor always has its type); {@code subjectType} narrows {@code subject} to one kind of subject.
 * {@code account} matches entries concerning that account of type {@code accountType} or acted by it (a timeline);
 * {@code token} the token a request was made with; {@code correlationId} the client's id of the request.
 * {@code after} is the cursor: a position.
 */
record AuditQuery(String workspaceId, String actorType, String actor, String subjectType, String subject,
                  String accountType, String account, String project, String type, String token, String correlationId,
                  Instant from, Instant to, Long after) {

    static AuditQuery timeline(String workspaceId, String accountType, String account, Long after) {
        return new AuditQuery(workspaceId, null, null, null, null, accountType, account, null, null, null, null, null,
                null, after);
    }

    AuditQuery after(long position) {
        return new AuditQuery(workspaceId, actorType, actor, subjectType, subject, accountType, account, project, type,
                token, correlationId, from, to, position);
    }
}
