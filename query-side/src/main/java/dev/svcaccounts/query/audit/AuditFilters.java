package dev.svcaccounts.query.audit;

import dev.svcaccounts.infra.web.DomainRuleException;
import dev.svcaccounts.infra.web.Parameters;

import java.util.TreeSet;

/**
 * The trail's filters, as the list and the export take them from the query string; each is optional. {@code token}
 * is the token the actor used; {@code correlationId} the client's id of the request; {@code from} and {@code to} are
 * ISO-8601 instants; {@code after} is a cursor. Every parameter is checked before anything is read or streamed.
 */
record AuditFilters(String actor, String subject, String project, String type, String token, String correlationId,
                    String from, String to, String after) {

    AuditQuery query(String workspaceId) {
        if (type != null && !AuditEntryMapper.TYPES.contains(type)) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'type' must be one of "
                    + new TreeSet<>(AuditEntryMapper.TYPES) + ".");
        }
        return new AuditQuery(workspaceId, actor, subject, null, project, type, token, correlationId,
                Parameters.instant("from", from), Parameters.instant("to", to), AuditQueryController.cursor(after));
    }
}
