package dev.svcaccounts.query.audit;

import dev.svcaccounts.infra.web.DomainRuleException;

import java.util.TreeSet;

/**
 * The trail's filters, as the list and the export take them from the query string; each is optional. {@code token}
 * is the token the actor used; {@code from} and {@code to} are ISO-8601 instants; {@code after} is a cursor.
 */
record AuditFilters(String actor, String subject, String project, String type, String token, String from, String to,
                    String after) {

    AuditQuery query(String workspaceId) {
        if (type != null && !AuditEntryMapper.TYPES.contains(type)) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'type' must be one of "
                    + new TreeSet<>(AuditEntryMapper.TYPES) + ".");
        }
        return new AuditQuery(workspaceId, actor, subject, null, project, type, token,
                AuditQueryController.instant("from", from), AuditQueryController.instant("to", to),
                AuditQueryController.cursor(after));
    }
}
