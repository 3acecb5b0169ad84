package dev.svcaccounts.infra.web;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.http.HttpServletRequest;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a request came from and why, as recorded with every event it causes: our request id, the client's
 * correlation id, the client's address (see {@link ClientAddressFilter}), user agent and reason. All but the
 * request id may be null.
 */
public record AuditContext(String requestId, String correlationId, String clientIp, String userAgent, String reason) {

    /** The reason a request body gives (say, for a deactivation) counts when no X-Audit-Reason was sent. */
    public AuditContext withReasonIfAbsent(String bodyReason) {
        return reason != null || bodyReason == null ? this
                : new AuditContext(requestId, correlationId, clientIp, userAgent, bodyReason);
    }

    /** The context of a request whose stored headers {@link StrictRequestFilter} has accepted. */
    static AuditContext of(HttpServletRequest request) {
        return new AuditContext(RequestIds.current().orElse(null), RequestIds.currentCorrelation().orElse(null),
                request.getRemoteAddr(), StoredHeaders.userAgent(request), StoredHeaders.reason(request));
    }

    /**
     * What a refused request said about itself, for the record of its refusal: as for any request, except that a
     * header that could not be stored as sent is left out rather than refused.
     */
    public static AuditContext ofRefused(HttpServletRequest request) {
        return new AuditContext(RequestIds.current().orElse(null), RequestIds.currentCorrelation().orElse(null),
                request.getRemoteAddr(), leniently(() -> StoredHeaders.userAgent(request)),
                leniently(() -> StoredHeaders.reason(request)));
    }

    private static String leniently(Supplier<String> header) {
        try {
            return header.get();
        } catch (DomainRuleException invalid) {
            return null;
        }
    }

    /** The event metadata of what {@code actor} does in this request: who, with which token, from where, why. */
    public Map<String, Object> metadata(AuthenticatedPrincipal actor) {
        Map<String, Object> metadata = new HashMap<>();
        put(metadata, AuditMetadata.ACTOR_TYPE, actor.type().name());
        put(metadata, AuditMetadata.ACTOR_ID, actor.id());
        put(metadata, AuditMetadata.ACTOR_NAME, actor.name());
        put(metadata, AuditMetadata.ACTOR_TOKEN_ID, actor.tokenId());
        put(metadata, AuditMetadata.REQUEST_ID, requestId);
        put(metadata, AuditMetadata.CORRELATION_ID, correlationId);
        put(metadata, AuditMetadata.CLIENT_IP, clientIp);
        put(metadata, AuditMetadata.USER_AGENT, userAgent);
        put(metadata, AuditMetadata.REASON, reason);
        return metadata;
    }

    private static void put(Map<String, Object> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }
}
