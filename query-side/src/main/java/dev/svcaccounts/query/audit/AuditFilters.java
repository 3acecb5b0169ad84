package dev.svcaccounts.query.audit;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.infra.web.Parameters;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The trail's filters, as the list and the export take them from the query string; each is optional. An actor is
 * matched on its type and id: {@code actorType} when given, else the type its id says ({@link #actorTypeOf}), so that
 * principals of different types never share a filter. {@code subjectType} narrows {@code subject}. {@code token} is
 * the token the actor used; {@code correlationId} the client's id of the request; {@code from} and {@code to} are
 * ISO-8601 instants; {@code after} is a cursor. Every parameter is checked before anything is read or streamed.
 */
record AuditFilters(
        String actor,
        @Schema(allowableValues = {"user", "service_account", "operator", "anonymous", "federated"}) String actorType,
        String subject,
        @Schema(allowableValues = {"workspace", "user", "service_account", "token", "project"}) String subjectType,
        String project,
        @Schema(allowableValues = {"workspace.created", "user.added", "service_account.created",
            "service_account.updated", "service_account.deactivated", "service_account.reactivated",
            "service_account.deleted", "token.issued", "token.revoked", "token.expiry_shortened",
            "token_policy.set", "member.role_changed", "member.removed", "project.created", "project.renamed",
            "project.visibility_changed", "project.deleted",
            "project.role_assigned", "project.role_removed", "access.refused", "access.refusals_not_recorded",
            "federation_rule.added", "federation_rule.removed", "token.exchanged", "token.exchange_refused"})
        String type,
        String token,
        String correlationId,
        @Schema(format = "date-time", maxLength = 64) String from,
        @Schema(format = "date-time", maxLength = 64) String to,
        @Schema(description = "A cursor: the 'next' of the previous page", pattern = "^[0-9]{1,18}$", maxLength = 18)
        String after) {

    /**
     * {@code anonymous}: no principal, a leaked-token report (the reporter's address is the entry's clientIp);
     * {@code federated}: a token exchange, whose actor id is the JWT's subject.
     */
    static final Set<String> ACTOR_TYPES = Set.of("user", "service_account", "operator", "anonymous", "federated");
    static final Set<String> SUBJECT_TYPES = Set.of("workspace", "user", "service_account", "token", "project");
    private static final Pattern UUID_SHAPE =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    AuditQuery query(String workspaceId) {
        if (type != null && !AuditEntryMapper.TYPES.contains(type)) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'type' must be one of "
                    + new TreeSet<>(AuditEntryMapper.TYPES) + ".");
        }
        requireOneOf("actorType", actorType, ACTOR_TYPES);
        requireOneOf("subjectType", subjectType, SUBJECT_TYPES);
        String typeOfActor = actorType != null ? actorType : actor == null ? null : actorTypeOf(actor);
        return new AuditQuery(workspaceId, typeOfActor, actor, subjectType, subject, null, null, project, type, token,
                correlationId, Parameters.instant("from", from), Parameters.instant("to", to),
                AuditQueryController.cursor(after));
    }

    /**
     * The type of an actor named by its id alone: the operator's id is no username (it is reserved), a service
     * account's id is a UUID, which no username may look like, and anything else is a username. A user from before
     * those rules with such an id is found with {@code actorType=user}.
     */
    static String actorTypeOf(String id) {
        if (id.equals(AuthenticatedPrincipal.OPERATOR_ID)) {
            return "operator";
        }
        return UUID_SHAPE.matcher(id).matches() ? "service_account" : "user";
    }

    private static void requireOneOf(String name, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter '" + name + "' must be one of "
                    + new TreeSet<>(allowed) + ".");
        }
    }
}
