package dev.svcaccounts.infra.idempotency;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Which requests of an application honour {@code Idempotency-Key}: its writes. Each application declares one bean;
 * the header of any other request (reads, and {@code POST /v1/introspect}, which only reads) is ignored.
 */
@FunctionalInterface
public interface KeyedWrites {

    boolean covers(HttpServletRequest request);
}
