package dev.svcaccounts.infra.idempotency;

import dev.svcaccounts.refusals.DomainRuleException;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.util.Optional;

/**
 * A write that came with an {@code Idempotency-Key}, as {@link IdempotencyKeyFilter} found it: whose key, which key,
 * and the fingerprint of the request it stands for. Left on the request for whoever carries the write out.
 */
public record KeyedRequest(KeyScope scope, IdempotencyKey key, byte[] fingerprint, String method, String path) {

    static final String ATTRIBUTE = KeyedRequest.class.getName();

    /** The keyed write the current HTTP request is, if it is one. */
    public static Optional<KeyedRequest> current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes == null ? Optional.empty() : Optional.ofNullable(
                (KeyedRequest) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST));
    }

    /** 409, as the draft says: the first request with this key has not finished (on this node or another). */
    public DomainRuleException inFlight() {
        return DomainRuleException.conflict("idempotency-key-in-use", "A request with " + IdempotencyKey.HEADER
                + " '" + key + "' is still being carried out. Retry in a moment: you will get its answer.")
                .withRetryAfter(1);
    }

    @Override
    public String toString() {
        return method + " " + path + " [" + IdempotencyKey.HEADER + " " + key + "]";
    }
}
