package dev.svcaccounts.events;

/**
 * Keys of the metadata every event carries: who acted, with which token, from where and why.
 * The command side puts them on each command; Axon copies them onto the events it produces.
 */
public final class AuditMetadata {

    public static final String ACTOR_TYPE = "actorType";
    public static final String ACTOR_ID = "actorId";
    public static final String ACTOR_NAME = "actorName";
    public static final String ACTOR_TOKEN_ID = "actorTokenId";
    /** Our id of the request, unique per request. */
    public static final String REQUEST_ID = "requestId";
    /**
     * The id the client chose to tie the request to its own records (X-Correlation-Id or X-Request-Id); optional.
     * Not "correlationId": Axon's own correlation data (the id of the message that caused an event) has that key.
     */
    public static final String CORRELATION_ID = "clientCorrelationId";
    public static final String CLIENT_IP = "clientIp";
    public static final String USER_AGENT = "userAgent";
    public static final String REASON = "reason";
    /**
     * The {@link #ACTOR_TYPE} of a command no principal sent: a leaked-token report, which needs no authentication.
     * It has no actor id, name or token; the client address and user agent say what is known of the reporter.
     */
    public static final String ANONYMOUS = "ANONYMOUS";
    /**
     * The {@link #ACTOR_TYPE} of a token exchange: an external identity (a CI job's OIDC token) acting through a
     * federation rule. {@link #ACTOR_ID} is the JWT's subject, {@link #ACTOR_NAME} its issuer; no token (the exchange
     * makes one).
     */
    public static final String FEDERATED = "FEDERATED";

    public static final String[] KEYS = {
            ACTOR_TYPE, ACTOR_ID, ACTOR_NAME, ACTOR_TOKEN_ID, REQUEST_ID, CORRELATION_ID, CLIENT_IP, USER_AGENT,
            REASON};

    private AuditMetadata() {
    }
}
