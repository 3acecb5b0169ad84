package dev.svcaccounts.infra.metrics;

import dev.svcaccounts.infra.web.DatabaseOutage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts every problem document either side answers, by status and problem code:
 * {@code svcaccounts_refusals_total} for a 4xx (a refusal by a rule: the code names it), {@code
 * svcaccounts_failures_total} for a 5xx (the database unavailable, an internal error). Codes are constants of the
 * code base, never what a client sent; all the same, at most {@value #MAX_SERIES} pairs are kept, and any beyond
 * are counted under the code {@code other}, so a mistake can never make the series grow without bound.
 */
@Component
public class ProblemCounter {

    static final int MAX_SERIES = 200;
    static final String TYPE_PREFIX = "urn:svcaccounts:problem:";

    private record Key(int status, String code) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    public ProblemCounter(MeterRegistry registry) {
        this.registry = registry;
        // the series alerts watch exist from the start, at 0, so that rate() and increase() see their first rise
        counter(401, "unauthenticated");
        counter(500, "internal-error");
        for (DatabaseOutage.Kind outage : DatabaseOutage.Kind.values()) {
            counter(503, outage.code());
        }
    }

    /** A problem document about to be written. */
    public void count(ProblemDetail problem) {
        URI type = problem.getType();
        String text = type == null ? "" : type.toString();
        count(problem.getStatus(), text.startsWith(TYPE_PREFIX) ? text.substring(TYPE_PREFIX.length()) : "other");
    }

    public void count(int status, String code) {
        if (status < 400 || status > 599) {
            return;
        }
        Counter counter = counters.get(new Key(status, code));
        if (counter == null) {
            counter = counters.size() >= MAX_SERIES ? counter(status, "other") : counter(status, code);
        }
        counter.increment();
    }

    private Counter counter(int status, String code) {
        return counters.computeIfAbsent(new Key(status, code), key -> Counter
                .builder(status < 500 ? "svcaccounts.refusals" : "svcaccounts.failures")
                .description(status < 500 ? "Requests refused (4xx), by status and problem code (the rule)"
                        : "Requests that failed (5xx), by status and problem code")
                .tag("status", String.valueOf(status))
                .tag("code", code)
                .register(registry));
    }
}
