package dev.svcaccounts.query.audit;

import dev.svcaccounts.events.PrincipalRef;
import dev.svcaccounts.events.ServiceAccountCreatedEvent;
import dev.svcaccounts.events.ServiceAccountDeactivatedEvent;
import dev.svcaccounts.events.ServiceAccountDeletedEvent;
import dev.svcaccounts.events.ServiceAccountReactivatedEvent;
import dev.svcaccounts.events.ServiceAccountUpdatedEvent;
import dev.svcaccounts.events.TokenIssuedEvent;
import dev.svcaccounts.events.TokenRevokedEvent;
import dev.svcaccounts.events.UserAddedEvent;
import dev.svcaccounts.events.WorkspaceCreatedEvent;
import dev.svcaccounts.events.WorkspaceEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** What an event means in the audit trail: its public type name, its subject and what changed. */
final class AuditEntryMapper {

    record Described(String type, String subjectType, String subjectId, Map<String, Object> details) {
    }

    /** Every type an entry can have, for validating the {@code type} filter. */
    static final Set<String> TYPES = Set.of("workspace.created", "user.added", "service_account.created",
            "service_account.updated", "service_account.deactivated", "service_account.reactivated",
            "service_account.deleted", "token.issued", "token.revoked");

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
            return new Described("user.added", "user", e.username(), details);
        }
        if (event instanceof ServiceAccountCreatedEvent e) {
            details.put("name", e.name());
            details.put("description", e.description());
            return new Described("service_account.created", "service_account", e.serviceAccountId(), details);
        }
        if (event instanceof ServiceAccountUpdatedEvent e) {
            change(details, "name", e.previousName(), e.name());
            change(details, "description", e.previousDescription(), e.description());
            return new Described("service_account.updated", "service_account", e.serviceAccountId(), details);
        }
        if (event instanceof ServiceAccountDeactivatedEvent e) {
            details.put("reason", e.reason());
            change(details, "status", "active", "deactivated");
            return new Described("service_account.deactivated", "service_account", e.serviceAccountId(), details);
        }
        if (event instanceof ServiceAccountReactivatedEvent e) {
            change(details, "status", "deactivated", "active");
            return new Described("service_account.reactivated", "service_account", e.serviceAccountId(), details);
        }
        if (event instanceof ServiceAccountDeletedEvent e) {
            details.put("name", e.name());
            return new Described("service_account.deleted", "service_account", e.serviceAccountId(), details);
        }
        if (event instanceof TokenIssuedEvent e) {
            details.put("owner", owner(e.owner()));
            details.put("hint", e.hint());
            details.put("description", e.description());
            details.put("expiresAt", e.expiresAt() == null ? null : e.expiresAt().toString());
            return new Described("token.issued", "token", e.tokenId(), details);
        }
        if (event instanceof TokenRevokedEvent e) {
            details.put("owner", owner(e.owner()));
            details.put("cause", e.cause().name().toLowerCase());
            return new Described("token.revoked", "token", e.tokenId(), details);
        }
        throw new IllegalArgumentException("No audit description for " + event.getClass().getName());
    }

    private static void change(Map<String, Object> details, String field, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("before", before);
            change.put("after", after);
            details.put(field, change);
        }
    }

    private static Map<String, String> owner(PrincipalRef owner) {
        return Map.of("type", owner.type().name().toLowerCase(), "id", owner.id());
    }
}
