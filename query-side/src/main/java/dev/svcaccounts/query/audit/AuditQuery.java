package dev.svcaccounts.query.audit;

import java.time.Instant;

/** Filters of the audit trail; null means no filter. {@code after} is the cursor: a position. */
record AuditQuery(String workspaceId, String actor, String subject, String project, String type,
                  Instant from, Instant to, Long after, int limit) {
}
