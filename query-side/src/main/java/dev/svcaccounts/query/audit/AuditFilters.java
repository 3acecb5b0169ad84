package dev.svcaccounts.query.audit;

import dev.svcaccounts.infra.web.DomainRuleException;

import java.util.Set;
import java.util.TreeSet;

/**
 * The trail's filters, as the list and the export take them from the query string; each is optional. {@code actor}
 * is a user's or service account's id, or with {@code actorType} the id of a principal of that type
 * ({@code actorType=operator} alone: the operator's entries); {@code subjectType} narrows {@code subject}.
 * {@code token} is the token the actor used; {@code from} and {@code to} are ISO-8601 instants; {@code after} is a
 * cursor.
 */
record AuditFilters(String actor, String actorType, String subject, String subjectType, String project, String type,
                    String token, String from, String to, String after) {

    static final Set<String> ACTOR_TYPES = Set.of("user", "service_account", "operator");
    static final Set<String> SUBJECT_TYPES = Set.of("workspace", "user", "service_account", "token", "project");

    AuditQuery query(String workspaceId) {
        if (type != null && !AuditEntryMapper.TYPES.contains(type)) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'type' must be one of "
                    + new TreeSet<>(AuditEntryMapper.TYPES) + ".");
        }
        requireOneOf("actorType", actorType, ACTOR_TYPES);
        requireOneOf("subjectType", subjectType, SUBJECT_TYPES);
        return new AuditQuery(workspaceId, actorType, actor, subjectType, subject, null, null, project, type, token,
                AuditQueryController.instant("from", from), AuditQueryController.instant("to", to),
                AuditQueryController.cursor(after));
    }

    private static void requireOneOf(String name, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter '" + name + "' must be one of "
                    + new TreeSet<>(allowed) + ".");
        }
    }
}
