package dev.svcaccounts.infra.web;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;

import java.util.Optional;

/**
 * The current request's ids, kept in the logging MDC (and as request attributes, for error pages rendered after
 * the filters have run) so that log lines and problem documents carry them. The request id is always ours and
 * unique; the correlation id is whatever the client sent to tie our records to its own.
 */
public final class RequestIds {

    public static final String MDC_KEY = "requestId";
    public static final String CORRELATION_MDC_KEY = "correlationId";
    static final String ATTRIBUTE = RequestIds.class.getName() + ".requestId";
    static final String CORRELATION_ATTRIBUTE = RequestIds.class.getName() + ".correlationId";

    private RequestIds() {
    }

    public static Optional<String> current() {
        return Optional.ofNullable(MDC.get(MDC_KEY));
    }

    /** The client's correlation id of the current request, when it sent one. */
    public static Optional<String> currentCorrelation() {
        return Optional.ofNullable(MDC.get(CORRELATION_MDC_KEY));
    }

    static Optional<String> of(HttpServletRequest request) {
        return Optional.ofNullable((String) request.getAttribute(ATTRIBUTE));
    }

    static Optional<String> correlationOf(HttpServletRequest request) {
        return Optional.ofNullable((String) request.getAttribute(CORRELATION_ATTRIBUTE));
    }
}
