package dev.svcaccounts.query.platform;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.credentials.IntrospectionClients;
import dev.svcaccounts.infra.security.Guard;
import dev.svcaccounts.infra.web.Parameters;
import dev.svcaccounts.infra.web.Refusals;
import dev.svcaccounts.infra.web.Text;
import dev.svcaccounts.refusals.DomainRuleException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The operator's reads of the platform itself: the introspection clients (from the credential table the command
 * writes, so a client revoked is listed so at once; never a secret or its hash) and the platform's audit trail.
 */
@RestController
class PlatformAdminController {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    /** A client as listed: its id under OAuth's name, as the registration answered it; never a secret or hash. */
    record ClientView(@JsonProperty("client_id") String clientId, String name, String description, String hint,
                      Instant registeredAt, String registeredBy, Instant revokedAt) {
        static ClientView of(IntrospectionClients.Client client) {
            return new ClientView(client.clientId(), client.name(), client.description(), client.hint(),
                    client.registeredAt(), client.registeredBy(), client.revokedAt());
        }
    }

    record ClientList(List<ClientView> items) {
    }

    record Actor(String type, String id, String name) {
    }

    record PlatformAuditEntry(long position, String eventId, Instant occurredAt, String type, String subjectType,
                              String subjectId, Actor actor, String requestId, String correlationId, String clientIp,
                              String userAgent, String reason, JsonNode details) {
    }

    record PlatformAuditPage(List<PlatformAuditEntry> items, String next) {
    }

    private final IntrospectionClients clients;
    private final JdbcTemplate jdbc;
    private final ObjectMapper objectMapper;

    PlatformAdminController(IntrospectionClients clients, JdbcTemplate jdbc, ObjectMapper objectMapper) {
        this.clients = clients;
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
    }

    @Refusals({"403 operator-required"})
    @Operation(operationId = "listIntrospectionClients",
            summary = "The introspection clients, revoked ones included (operator only); never a secret")
    @GetMapping("/v1/admin/introspection-clients")
    ClientList clients(AuthenticatedPrincipal principal) {
        Guard.requireOperator(principal);
        List<ClientView> items = clients.list().stream().map(ClientView::of).toList();
        return new ClientList(items);
    }

    @Refusals({"403 operator-required", "404 introspection-client-not-found"})
    @Operation(operationId = "getIntrospectionClient",
            summary = "One introspection client (operator only); never its secret")
    @GetMapping("/v1/admin/introspection-clients/{clientId}")
    ClientView client(@PathVariable String clientId, AuthenticatedPrincipal principal) {
        Guard.requireOperator(principal);
        return clients.find(clientId).map(ClientView::of).orElseThrow(() -> DomainRuleException.notFound(
                "introspection-client-not-found",
                "There is no introspection client '" + Text.forMessage(clientId) + "'."));
    }

    @Refusals({"403 operator-required"})
    @Operation(operationId = "listPlatformAudit",
            summary = "The platform's audit trail (operator only): introspection clients registered and revoked, "
            + "by whom, when, from where and why; oldest first, 'next' is the cursor of the next page")
    @GetMapping("/v1/admin/audit")
    PlatformAuditPage audit(@Parameter(schema = @Schema(pattern = "^[0-9]{1,18}$", maxLength = 18))
                            @RequestParam(required = false) String after,
                            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1",
                                    maximum = "1000"))
                            @RequestParam(required = false) String limit, AuthenticatedPrincipal principal) {
        Guard.requireOperator(principal);
        if (after != null && !after.matches("[0-9]{1,18}")) {
            throw DomainRuleException.invalid("invalid-parameter",
                    "Parameter 'after' must be a cursor returned as 'next'.");
        }
        Long size = Parameters.wholeNumber("limit", limit, 1, MAX_LIMIT);
        int pageSize = size == null ? DEFAULT_LIMIT : size.intValue();
        List<PlatformAuditEntry> items = jdbc.query("""
                SELECT * FROM query_side.platform_audit_entry WHERE position > ? ORDER BY position LIMIT ?
                """, (rs, i) -> new PlatformAuditEntry(rs.getLong("position"), rs.getString("event_id"),
                rs.getTimestamp("occurred_at").toInstant(), rs.getString("type"), rs.getString("subject_type"),
                rs.getString("subject_id"), new Actor(rs.getString("actor_type"), rs.getString("actor_id"),
                rs.getString("actor_name")), rs.getString("request_id"), rs.getString("correlation_id"),
                rs.getString("client_ip"), rs.getString("user_agent"), rs.getString("reason"),
                json(rs.getString("details"))), after == null ? 0L : Long.parseLong(after), pageSize);
        String next = items.size() == pageSize ? String.valueOf(items.get(items.size() - 1).position()) : null;
        return new PlatformAuditPage(items, next);
    }

    private JsonNode json(String text) {
        try {
            return objectMapper.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
