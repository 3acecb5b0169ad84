package dev.svcaccounts.infra.throttle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.infra.metrics.ProblemCounter;
import dev.svcaccounts.infra.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.Map;

/** The 429 answer of the throttles, written by filters: a problem document and {@code Retry-After} in seconds. */
@Component
class TooManyRequests {

    private final ObjectMapper objectMapper;
    private final ProblemCounter counter;

    TooManyRequests(ObjectMapper objectMapper, ProblemCounter counter) {
        this.objectMapper = objectMapper;
        this.counter = counter;
    }

    /** Whole seconds to wait, rounded up, at least one. */
    static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    void write(HttpServletResponse response, String code, String detail, long retryAfterSeconds,
               Map<String, ?> members) throws IOException {
        ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, code, "Too Many Requests", detail);
        members.forEach(problem::setProperty);
        problem.setProperty("retryAfterSeconds", retryAfterSeconds);
        counter.count(problem);
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        objectMapper.writeValue(response.getOutputStream(), problem);
    }
}
