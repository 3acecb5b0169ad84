package dev.svcaccounts.infra.idempotency;

/**
 * Which requests of an application honour {@code Idempotency-Key}: its writes. Each application declares one bean;
 * the header of any other request (reads, and {@code POST /v1/introspect}, which only reads) is ignored.
 */
@FunctionalInterface
public interface KeyedWrites {

    /** {@code path} is a request's path, or a path template of the API documents ({@code .../{name}/...}). */
    boolean covers(String method, String path);
}
