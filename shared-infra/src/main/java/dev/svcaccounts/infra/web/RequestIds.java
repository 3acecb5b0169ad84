package dev.svcaccounts.infra.web;

import org.slf4j.MDC;

import java.util.Optional;

/** The current request's id, kept in the logging MDC so log lines and problem documents carry it. */
public final class RequestIds {

    public static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    public static Optional<String> current() {
        return Optional.ofNullable(MDC.get(MDC_KEY));
    }
}
