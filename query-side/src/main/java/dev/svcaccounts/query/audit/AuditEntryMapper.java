package dev.svcaccounts.query.audit;

import dev.svcaccounts.events.AccessRefusalsNotRecordedEvent;
import dev.svcaccounts.events.AccessRefusedEvent;
import dev.svcaccounts.events.FederationRule;
import dev.svcaccounts.events.FederationRuleAddedEvent;
import dev.svcaccounts.events.FederationRuleRemovedEvent;
import dev.svcaccounts.events.MemberRemovedEvent;
import dev.svcaccounts.events.MemberRoleChangedEvent;
import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ProjectCreatedEvent;
import dev.svcaccounts.events.ProjectDeletedEvent;
import dev.svcaccounts.events.ProjectRenamedEvent;
import dev.svcaccounts.events.ProjectRoleAssignedEvent;
import dev.svcaccounts.events.ProjectRoleRemovedEvent;
import dev.svcaccounts.events.ProjectVisibilityChangedEvent;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenExchange;
import dev.svcaccounts.events.TokenExchangeRefusedEvent;
import dev.svcaccounts.events.TokenExpiryShortenedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenPolicy;
import dev.svcaccounts.events.TokenPolicySetEvent;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an event means in the audit trail: its public type name, its subject and what changed. Every project
 * event names its project in {@code details.project}, which the audit's {@code project} filter reads; a role
 * assignment's subject is the assignee.
 */
final class AuditEntryMapper {

    /**
     * @param account the service account or user the entry concerns, for timelines: the subject itself, a token's
     *                owner, an assignment's assignee; null for workspace and project entries
     */
    record Described(String type, String subjectType, String subjectId, PrincipalRef account,
                     Map<String, Object> details) {

        Described(String type, String subjectType, String subjectId, Map<String, Object> details) {
            this(type, subjectType, subjectId, null, details);
        }
    }

    /** Every type an entry can have, for validating the {@code type} filter. */
    static final Set<String> TYPES = Set.of("workspace.created", "user.added", "service_account.created",
            "service_account.updated", "service_account.deactivated", "service_account.reactivated",
            "service_account.deleted", "token.issued", "token.revoked", "token.expiry_shortened",
            "token_policy.set", "member.role_changed", "member.removed", "project.created", "project.renamed",
            "project.visibility_changed", "project.deleted",
            "project.role_assigned", "project.role_removed", "access.refused", "access.refusals_not_recorded",
            "federation_rule.added", "federation_rule.removed", "token.exchanged", "token.exchange_refused");

    private AuditEntryMapper() {
    }

    static Described describe(WorkspaceEvent event) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (event instanceof WorkspaceCreatedEvent e) {
            details.put("name", e.name());
            return new Described("workspace.created", "workspace", e.workspaceId(), details);
        }
        if (event instanceof UserAddedEvent e) {
            details.put("role", e.role().name().toLowerCase());
            return new Described("user.added", "user", e.username(), PrincipalRef.user(e.username()), details);
        }
        if (event instanceof ServiceAccountCreatedEvent e) {
            details.put("name", e.name());
            details.put("description", e.description());
            return new Described("service_account.created", "service_account", e.serviceAccountId(),
                    PrincipalRef.serviceAccount(e.serviceAccountId()), details);
        }
        if (event instanceof ServiceAccountUpdatedEvent e) {
            change(details, "name", e.previousName(), e.name());
            change(details, "description", e.previousDescription(), e.description());
            return new Described("service_account.updated", "service_account", e.serviceAccountId(),
                    PrincipalRef.serviceAccount(e.serviceAccountId()), details);
        }
        if (event instanceof ServiceAccountDeactivatedEvent e) {
            details.put("reason", e.reason());
            change(details, "status", "active", "deactivated");
            return new Described("service_account.deactivated", "service_account", e.serviceAccountId(),
                    PrincipalRef.serviceAccount(e.serviceAccountId()), details);
        }
        if (event instanceof ServiceAccountReactivatedEvent e) {
            change(details, "status", "deactivated", "active");
            return new Described("service_account.reactivated", "service_account", e.serviceAccountId(),
                    PrincipalRef.serviceAccount(e.serviceAccountId()), details);
        }
        if (event instanceof ServiceAccountDeletedEvent e) {
            details.put("name", e.name());
            return new Described("service_account.deleted", "service_account", e.serviceAccountId(),
                    PrincipalRef.serviceAccount(e.serviceAccountId()), details);
        }
        if (event instanceof TokenIssuedEvent e) {
            details.put("owner", owner(e.owner()));
            details.put("hint", e.hint());
            details.put("description", e.description());
            details.put("expiresAt", e.expiresAt() == null ? null : e.expiresAt().toString());
            if (e.rotatedFrom() != null) {
                details.put("rotatedFrom", e.rotatedFrom());
            }
            if (e.scope() != null) {
                details.put("scope", TokenScope.wireNames(e.scope()));
            }
            if (e.exchange() != null) {
                details.put("exchange", exchange(e.exchange()));
                return new Described("token.exchanged", "token", e.tokenId(), e.owner(), details);
            }
            return new Described("token.issued", "token", e.tokenId(), e.owner(), details);
        }
        if (event instanceof TokenRevokedEvent e) {
            details.put("owner", owner(e.owner()));
            details.put("cause", e.cause().name().toLowerCase());
            return new Described("token.revoked", "token", e.tokenId(), e.owner(), details);
        }
        if (event instanceof TokenExpiryShortenedEvent e) {
            details.put("owner", owner(e.owner()));
            change(details, "expiresAt", e.previousExpiresAt() == null ? null : e.previousExpiresAt().toString(),
                    e.expiresAt().toString());
            details.put("cause", e.cause().name().toLowerCase());
            return new Described("token.expiry_shortened", "token", e.tokenId(), e.owner(), details);
        }
        if (event instanceof TokenPolicySetEvent e) {
            details.put("before", policy(e.previous()));
            details.put("after", policy(e.policy()));
            details.put("enforce", e.enforce());
            details.put("idleCountsFrom", e.idleCountsFrom() == null ? null : e.idleCountsFrom().toString());
            return new Described("token_policy.set", "workspace", e.workspaceId(), details);
        }
        if (event instanceof MemberRoleChangedEvent e) {
            change(details, "role", lower(e.previousRole()), lower(e.role()));
            return new Described("member.role_changed", "user", e.username(), PrincipalRef.user(e.username()), details);
        }
        if (event instanceof MemberRemovedEvent e) {
            details.put("role", lower(e.previousRole()));
            return new Described("member.removed", "user", e.username(), PrincipalRef.user(e.username()), details);
        }
        if (event instanceof ProjectCreatedEvent e) {
            details.put("project", e.projectKey());
            details.put("name", e.name());
            details.put("visibility", lower(e.visibility()));
            return new Described("project.created", "project", e.projectKey(), details);
        }
        if (event instanceof ProjectRenamedEvent e) {
            details.put("project", e.projectKey());
            change(details, "name", e.previousName(), e.name());
            return new Described("project.renamed", "project", e.projectKey(), details);
        }
        if (event instanceof ProjectVisibilityChangedEvent e) {
            details.put("project", e.projectKey());
            change(details, "visibility", lower(e.previousVisibility()), lower(e.visibility()));
            return new Described("project.visibility_changed", "project", e.projectKey(), details);
        }
        if (event instanceof ProjectDeletedEvent e) {
            details.put("project", e.projectKey());
            details.put("name", e.name());
            return new Described("project.deleted", "project", e.projectKey(), details);
        }
        if (event instanceof ProjectRoleAssignedEvent e) {
            details.put("project", e.projectKey());
            change(details, "role", lower(e.previousRole()), lower(e.role()));
            return new Described("project.role_assigned", lower(e.assignee().type()), e.assignee().id(), e.assignee(),
                    details);
        }
        if (event instanceof ProjectRoleRemovedEvent e) {
            details.put("project", e.projectKey());
            change(details, "role", lower(e.previousRole()), null);
            details.put("cause", lower(e.cause()));
            return new Described("project.role_removed", lower(e.assignee().type()), e.assignee().id(), e.assignee(),
                    details);
        }
        if (event instanceof AccessRefusedEvent e) {
            details.put("rule", e.rule());
            details.put("status", e.status());
            details.put("method", e.method());
            details.put("path", e.path());
            details.put("detail", e.detail());
            projectOf(e.path()).ifPresent(project -> details.put("project", project));
            return new Described("access.refused", e.targetType(), e.targetId(), targetAccount(e), details);
        }
        if (event instanceof AccessRefusalsNotRecordedEvent e) {
            return refusalsNotRecorded(e, details);
        }
        if (event instanceof FederationRuleAddedEvent e) {
            details.putAll(rule(e.rule()));
            return new Described("federation_rule.added", "service_account", e.serviceAccountId(),
                    PrincipalRef.serviceAccount(e.serviceAccountId()), details);
        }
        if (event instanceof FederationRuleRemovedEvent e) {
            details.put("ruleId", e.ruleId());
            return new Described("federation_rule.removed", "service_account", e.serviceAccountId(),
                    PrincipalRef.serviceAccount(e.serviceAccountId()), details);
        }
        if (event instanceof TokenExchangeRefusedEvent e) {
            return exchangeRefused(e, details);
        }
        throw new IllegalArgumentException("No audit description for " + event.getClass().getName());
    }

    /**
     * Refusals a node counted beyond its limit and did not record one by one: about the principal refused (its
     * timeline shows them), with how many, in which window and by which rules.
     */
    private static Described refusalsNotRecorded(AccessRefusalsNotRecordedEvent e, Map<String, Object> details) {
        details.put("count", e.count());
        details.put("recorded", e.limit());
        details.put("windowStart", e.windowStart() == null ? null : e.windowStart().toString());
        details.put("windowEnd", e.windowEnd() == null ? null : e.windowEnd().toString());
        details.put("rules", e.rules() == null ? Map.of() : new TreeMap<>(e.rules()));
        return new Described("access.refusals_not_recorded", lower(e.principal().type()), e.principal().id(),
                e.principal(), details);
    }

    /** Who the external identity was and by which rule, never the JWT. */
    private static Map<String, Object> exchange(TokenExchange exchange) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ruleId", exchange.ruleId());
        fields.put("issuer", exchange.issuer());
        fields.put("subject", exchange.subject());
        fields.put("jti", exchange.jwtId());
        fields.put("claims", new TreeMap<>(exchange.matchedClaims()));
        fields.put("jwtExpiresAt", exchange.jwtExpiresAt() == null ? null : exchange.jwtExpiresAt().toString());
        return fields;
    }

    /** The rule as it was added: its inline keys by their ids only (the key material is in the event). */
    private static Map<String, Object> rule(FederationRule rule) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("ruleId", rule.ruleId());
        fields.put("issuer", rule.issuer());
        fields.put("jwksUri", rule.jwksUri());
        fields.put("inlineJwks", rule.jwks() != null);
        fields.put("audience", rule.audience());
        fields.put("subject", rule.subject());
        fields.put("claims", new TreeMap<>(rule.claims()));
        fields.put("maxTokenLifetimeSeconds", rule.maxTokenLifetimeSeconds());
        return fields;
    }

    /** About the account the exchange was aimed at, or the workspace when no single one was. */
    private static Described exchangeRefused(TokenExchangeRefusedEvent e, Map<String, Object> details) {
        details.put("error", e.error());
        details.put("reason", e.reason());
        details.put("detail", e.detail());
        details.put("ruleId", e.ruleId());
        details.put("issuer", e.issuer());
        details.put("subject", e.subject());
        details.put("jti", e.jwtId());
        if (e.serviceAccountId() == null) {
            return new Described("token.exchange_refused", "workspace", e.workspaceId(), details);
        }
        return new Described("token.exchange_refused", "service_account", e.serviceAccountId(),
                PrincipalRef.serviceAccount(e.serviceAccountId()), details);
    }

    private static final Pattern PROJECT_PATH = Pattern.compile("^/v1/workspaces/[^/]+/projects/([^/?]+)");

    /** A refusal aimed at a project or one of its assignments is found by the audit's project filter. */
    private static Optional<String> projectOf(String path) {
        Matcher matcher = PROJECT_PATH.matcher(path == null ? "" : path);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** A refusal concerns the account it was aimed at, when it was aimed at one (its actor is found by actor). */
    private static PrincipalRef targetAccount(AccessRefusedEvent e) {
        return switch (e.targetType()) {
            case "service_account" -> PrincipalRef.serviceAccount(e.targetId());
            case "user" -> PrincipalRef.user(e.targetId());
            default -> null;
        };
    }

    private static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase();
    }

    private static void change(Map<String, Object> details, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("before", before);
            change.put("after", after);
            details.put(field, change);
        }
    }

    /** As {@code GET .../policies/tokens} shows it; the default policy for none. */
    private static Map<String, Object> policy(TokenPolicy policy) {
        TokenPolicy p = policy == null ? TokenPolicy.DEFAULT : policy;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("maxLifetimeDays", p.maxLifetimeDays());
        fields.put("requireExpiry", p.requireExpiry());
        fields.put("maxIdleDays", p.maxIdleDays());
        fields.put("allowServiceAccountTokens", p.allowServiceAccountTokens());
        return fields;
    }

    private static Map<String, String> owner(PrincipalRef owner) {
        return Map.of("type", owner.type().name().toLowerCase(), "id", owner.id());
    }
}
