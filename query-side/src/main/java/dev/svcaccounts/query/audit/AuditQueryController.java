package dev.svcaccounts.query.audit;

import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The workspace audit trail for its admins, in event-store order, with a cursor. */
@RestController
class AuditQueryController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    record AuditPage(List<AuditEntryView> items, String next) {
    }

    private final AuditReadModel readModel;

    AuditQueryController(AuditReadModel readModel) {
        this.readModel = readModel;
    }

    @Operation(summary = "Audit trail: filters actor, subject, project, type, from, to (ISO-8601); cursor 'after'")
    @GetMapping("/v1/workspaces/{ws}/audit")
    AuditPage audit(@PathVariable String ws,
                    @RequestParam(required = false) String actor,
                    @RequestParam(required = false) String subject,
                    @RequestParam(required = false) String project,
                    @RequestParam(required = false) String type,
                    @RequestParam(required = false) String from,
                    @RequestParam(required = false) String to,
                    @RequestParam(required = false) String after,
                    @RequestParam(required = false) Integer limit,
                    AuthenticatedPrincipal principal) {
        Guard.requireWorkspaceAdmin(principal, ws);
        int pageSize = limit == null ? DEFAULT_LIMIT : limit;
        if (pageSize < 1 || pageSize > MAX_LIMIT) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'limit' must be between 1 and " + MAX_LIMIT + ".");
        }
        if (type != null && !AuditEntryMapper.TYPES.contains(type)) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'type' must be one of "
                    + new java.util.TreeSet<>(AuditEntryMapper.TYPES) + ".");
        }
        AuditQuery query = new AuditQuery(ws, actor, subject, project, type, instant("from", from), instant("to", to),
                cursor(after), pageSize);
        List<AuditEntryView> items = readModel.find(query);
        String next = items.size() == pageSize ? String.valueOf(items.get(items.size() - 1).position()) : null;
        return new AuditPage(items, next);
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw DomainRuleException.invalid("invalid-parameter",
                    "Parameter '" + name + "' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z.");
        }
    }

    private static Long cursor(String after) {
        if (after == null) {
            return null;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw DomainRuleException.invalid("invalid-parameter", "Parameter 'after' must be a cursor returned as 'next'.");
        }
    }
}
