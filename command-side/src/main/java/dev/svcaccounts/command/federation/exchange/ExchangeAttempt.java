package dev.svcaccounts.command.federation.exchange;

import dev.svcaccounts.events.AuditMetadata;
import dev.svcaccounts.infra.web.AuditContext;

import java.util.HashMap;
import java.util.Map;

/**
 * One {@code POST /v1/token} as far as it is known: where it came from, and what its JWT claims (unverified until
 * {@link #verified}). The event metadata of what it causes: the actor is the JWT's identity ({@code FEDERATED}, its
 * {@code sub} and {@code iss}) once its signature was verified, anonymous before; an issued token's id as the actor's
 * token, so the trail's {@code ?token=} lists the exchange with every action the token then takes.
 */
final class ExchangeAttempt {

    private final AuditContext audit;
    private String issuer;
    private String subject;
    private String jwtId;
    private boolean verified;

    ExchangeAttempt(AuditContext audit) {
        this.audit = audit;
    }

    void claimed(String claimedIssuer, String claimedSubject, String claimedJwtId) {
        this.issuer = claimedIssuer;
        this.subject = claimedSubject;
        this.jwtId = claimedJwtId;
    }

    void verified() {
        this.verified = true;
    }

    String issuer() {
        return issuer;
    }

    String subject() {
        return subject;
    }

    String jwtId() {
        return jwtId;
    }

    Map<String, Object> metadata() {
        return metadata(null);
    }

    Map<String, Object> metadata(String issuedTokenId) {
        Map<String, Object> metadata = new HashMap<>();
        if (verified) {
            metadata.put(AuditMetadata.ACTOR_TYPE, AuditMetadata.FEDERATED);
            put(metadata, AuditMetadata.ACTOR_ID, RefusalTrail.storable(subject));
            put(metadata, AuditMetadata.ACTOR_NAME, RefusalTrail.storable(issuer));
        } else {
            metadata.put(AuditMetadata.ACTOR_TYPE, AuditMetadata.ANONYMOUS);
        }
        put(metadata, AuditMetadata.ACTOR_TOKEN_ID, issuedTokenId);
        put(metadata, AuditMetadata.REQUEST_ID, audit.requestId());
        put(metadata, AuditMetadata.CORRELATION_ID, audit.correlationId());
        put(metadata, AuditMetadata.CLIENT_IP, audit.clientIp());
        put(metadata, AuditMetadata.USER_AGENT, audit.userAgent());
        return metadata;
    }

    private static void put(Map<String, Object> metadata, String key, String value) {
        if (value != null) {
            metadata.put(key, value);
        }
    }
}
