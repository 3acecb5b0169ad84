package dev.svcaccounts.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.infra.metrics.ProblemCounter;
import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** Builds RFC 9457 problem documents; every error either side returns goes through here. */
@Component
public class Problems {

    static final String TYPE_PREFIX = "urn:svcaccounts:problem:";

    /**
     * The code of a problem that only its status describes (one the framework or the servlet container found, such
     * as an unknown path or an unsupported method), for every status either side answers.
     */
    private static final Map<Integer, String> CODES = Map.ofEntries(
            Map.entry(400, "malformed-request"), Map.entry(401, "unauthenticated"), Map.entry(403, "forbidden"),
            Map.entry(404, "not-found"), Map.entry(405, "method-not-allowed"), Map.entry(406, "not-acceptable"),
            Map.entry(408, "request-timeout"), Map.entry(409, "conflict"), Map.entry(411, "length-required"),
            Map.entry(413, "content-too-large"), Map.entry(414, "uri-too-long"),
            Map.entry(415, "unsupported-media-type"), Map.entry(417, "expectation-failed"),
            Map.entry(422, "unprocessable"), Map.entry(429, "too-many-requests"),
            Map.entry(431, "request-header-too-large"), Map.entry(500, "internal-error"),
            Map.entry(501, "not-implemented"), Map.entry(503, "service-unavailable"),
            Map.entry(505, "http-version-not-supported"));

    private static final Map<Integer, String> DETAILS = Map.of(
            400, "The request could not be read: its request line, path, headers or body are malformed, "
                    + "or its headers are too large.",
            404, "There is nothing at this path.",
            405, "This path does not take this method.",
            413, "The request body is too large.",
            414, "The request line is too long.",
            500, "The request failed unexpectedly. Quote the requestId when reporting it.",
            501, "This method is not implemented.",
            505, "Only HTTP/1.1 and HTTP/1.0 are served.");

    private final ObjectMapper objectMapper;
    private final ProblemCounter counter;

    public Problems(ObjectMapper objectMapper, ProblemCounter counter) {
        this.objectMapper = objectMapper;
        this.counter = counter;
    }

    public static ProblemDetail of(HttpStatus status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + code));
        problem.setTitle(title);
        RequestIds.current().ifPresent(id -> problem.setProperty("requestId", id));
        RequestIds.currentCorrelation().ifPresent(id -> problem.setProperty("correlationId", id));
        return problem;
    }

    /** The stable code of a problem described by its status alone. */
    static String codeFor(int status) {
        return CODES.getOrDefault(status, status >= 500 ? "internal-error" : "http-" + status);
    }

    /** A detail for a problem described by its status alone. */
    static String detailFor(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return DETAILS.getOrDefault(status,
                known == null ? "HTTP status " + status + "." : known.getReasonPhrase() + ".");
    }

    /** The stable type of a problem described by its status alone. */
    static URI typeFor(int status) {
        return URI.create(TYPE_PREFIX + codeFor(status));
    }

    /** For filters, which run before Spring MVC's exception handling. */
    public void write(HttpServletResponse response, HttpStatus status, String code, String title, String detail)
            throws IOException {
        write(response, of(status, code, title, detail));
    }

    /** A refusal found by a filter, before Spring MVC's exception handling. */
    void write(HttpServletResponse response, DomainRuleException refused) throws IOException {
        HttpStatus status = HttpStatus.valueOf(refused.kind().status());
        ProblemDetail problem = of(status, refused.code(), status.getReasonPhrase(), refused.getMessage());
        refused.properties().forEach(problem::setProperty);
        write(response, problem);
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        write(response, problem, MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** A problem document as another media type: an OAuth error response is {@code application/json}. */
    public void write(HttpServletResponse response, ProblemDetail problem, MediaType mediaType) throws IOException {
        counter.count(problem);
        response.setStatus(problem.getStatus());
        response.setContentType(mediaType.toString());
        objectMapper.writeValue(response.getOutputStream(), problem);
    }
}
