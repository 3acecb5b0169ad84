package dev.svcaccounts.infra.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.svcaccounts.infra.audit.RefusalRecorder;
import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns every failure into an RFC 9457 problem that names what was wrong. Bad input is a 4xx with the field
 * and the reason; nothing unexpected leaks a stack trace (it is logged with the request id instead).
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final RefusalRecorder refusals;

    public ProblemHandler(RefusalRecorder refusals) {
        this.refusals = refusals;
    }

    /**
     * Every refusal by a rule, whoever refused: a controller's guard or the aggregate. A 403 is recorded in the
     * audit trail (for writes), and so is a 401 found out after authentication (the token stopped working while
     * the request was on its way, say revoked by a command that the aggregate decided first). Both carry their
     * RFC 6750 challenge: {@code invalid_token} for a 401, {@code insufficient_scope} for a 403.
     */
    @ExceptionHandler(DomainRuleException.class)
    ResponseEntity<Object> ruleViolated(DomainRuleException e, HttpServletRequest request) {
        HttpStatus status = HttpStatus.valueOf(e.kind().status());
        if (status == HttpStatus.FORBIDDEN) {
            refusals.forbidden(request, e.code(), e.getMessage());
        } else if (status == HttpStatus.UNAUTHORIZED) {
            refusals.stoppedWorking(request, e.code(), e.getMessage());
        }
        ProblemDetail problem = Problems.of(status, e.code(), status.getReasonPhrase(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        ResponseEntity.BodyBuilder response =
                ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, Challenges.invalidToken(e.getMessage()));
        } else if (status == HttpStatus.FORBIDDEN) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, Challenges.insufficientScope(e.getMessage()));
        }
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        return response.body(problem);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<Object> aggregateNotFound(AggregateNotFoundException e) {
        return problem(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not Found", "The workspace was not found."));
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<Object> concurrentChange(ConcurrencyException e) {
        return problem(Problems.of(HttpStatus.CONFLICT, "concurrent-modification", "Conflict",
                "Another change to the same workspace was committed at the same moment; retry the request."));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> parameterTypeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter", "Bad Request",
                "Parameter '" + e.getName() + "' has an invalid value '" + Text.forMessage(String.valueOf(e.getValue()))
                        + "'."));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        Optional<DatabaseOutage.Kind> outage = DatabaseOutage.of(e);
        if (outage.isPresent()) {
            return databaseOutage(outage.get(), e);
        }
        if (DatabaseOutage.hasSqlStateCause(e, "22021") || DatabaseOutage.hasSqlStateCause(e, "22P05")) {
            // e.g. a NUL character (%00) in a filter parameter: PostgreSQL cannot store or compare it
            return problem(Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter", "Bad Request",
                    "A parameter contains a character that is not allowed (such as NUL)."));
        }
        log.error("Unexpected failure", e);
        return problem(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal Server Error",
                "The request failed unexpectedly. Quote the requestId when reporting it."));
    }

    /**
     * A 503 that tells the client what it may assume about its write. The log line names the database's own error
     * (not the message of whatever wrapped it, such as Axon's "an event ... was already inserted" for any failed
     * append); the stack trace would say nothing an operator can act on.
     */
    private static ResponseEntity<Object> databaseOutage(DatabaseOutage.Kind kind, Exception e) {
        String cause = DatabaseOutage.describe(e);
        switch (kind) {
            case STORAGE_FULL -> log.error("Write refused: the database is out of storage space ({}); "
                    + "free space on its volume", cause);
            case OVERLOADED -> log.warn("Database out of resources ({})", cause);
            case COMMIT_OUTCOME_UNKNOWN -> log.warn("The database connection broke during COMMIT; the client is told "
                    + "that the outcome is unknown ({})", cause);
            case UNAVAILABLE -> log.warn("Database unavailable ({})", cause);
        }
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .headers(kind.headers())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(kind.problem());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        return problem(Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "Bad Request", describe(e)));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        // Hibernate Validator hands its violations over in a hash set's order, which changes from one request to
        // the next: sorted, the same bad body always gets the same answer
        List<FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldProblem(f.getField(), String.valueOf(f.getDefaultMessage())))
                .sorted(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message))
                .toList();
        String detail = errors.stream()
                .map(f -> "'" + f.field() + "' " + f.message())
                .collect(Collectors.joining("; "));
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid-field", "Bad Request", detail);
        problem.setProperty("errors", errors);
        return problem(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        return problem(Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter", "Bad Request",
                "Parameter '" + e.getParameterName() + "' is required."));
    }

    /**
     * Every error Spring MVC describes itself (an unknown path, an unsupported method or media type...) gets the
     * stable problem type of its status, as the errors the servlet container answers by itself do.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
                problem.setType(Problems.typeFor(problem.getStatus()));
            }
            if (e instanceof NoResourceFoundException || e instanceof NoHandlerFoundException) {
                problem.setDetail(Problems.detailFor(HttpStatus.NOT_FOUND.value())); // not "No static resource ..."
            }
            RequestIds.current().ifPresent(id -> problem.setProperty("requestId", id));
            RequestIds.currentCorrelation().ifPresent(id -> problem.setProperty("correlationId", id));
            return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        return response;
    }

    private static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        String duplicate = duplicateKey(cause);
        if (duplicate != null) {
            return "The body gives a key twice: " + Text.forMessage(duplicate) + ". Send each field once.";
        }
        if (cause instanceof InvalidFormatException f && f.getTargetType() == Instant.class) {
            return "Field '" + path(f) + "' must be " + Parameters.INSTANT_FORMAT + ", not "
                    + (f.getValue() instanceof String text ? "'" + Text.forMessage(text) + "'"
                    : "a number or a boolean") + ".";
        }
        if (cause instanceof UnrecognizedPropertyException u) {
            return "Unknown field '" + path(u) + "'. Known fields: " + u.getKnownPropertyIds() + ".";
        }
        if (cause instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return "Field '" + path(f) + "' has value '" + f.getValue() + "'; expected one of "
                    + Arrays.toString(f.getTargetType().getEnumConstants()).toLowerCase() + ".";
        }
        if (cause instanceof InvalidFormatException f) {
            return "Field '" + path(f) + "' has value '" + Text.forMessage(String.valueOf(f.getValue()))
                    + "', which is not a valid " + f.getTargetType().getSimpleName() + ".";
        }
        if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "Field '" + path(m) + "' has the wrong type; expected "
                    + (m.getTargetType() == null ? "another type" : m.getTargetType().getSimpleName()) + ".";
        }
        if (cause instanceof MismatchedInputException) {
            return "The body must be a JSON object.";
        }
        if (cause instanceof JsonParseException j) {
            return "The body is not valid JSON: " + Text.forMessage(j.getOriginalMessage()) + ".";
        }
        if (cause instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return "Field '" + path(m) + "' could not be read: " + Text.forMessage(m.getOriginalMessage()) + ".";
        }
        return "The request body is missing or unreadable; send a JSON object.";
    }

    /** The key STRICT_DUPLICATE_DETECTION found twice ("Duplicate field 'name'"), however deep it was wrapped. */
    private static String duplicateKey(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException j && j.getOriginalMessage() != null
                    && j.getOriginalMessage().startsWith("Duplicate field ")) {
                return j.getOriginalMessage().substring("Duplicate field ".length());
            }
        }
        return null;
    }

    /** The field's path, as sent: quoted in a message, so only printable characters and at most 100 of them. */
    private static String path(JsonMappingException e) {
        return Text.forMessage(e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")));
    }

    /**
     * A problem document, whatever the request's {@code Accept} says: a preset content type skips Spring's content
     * negotiation, which would otherwise answer an unsatisfiable or malformed {@code Accept} with an empty body.
     */
    /** One entry of an {@code invalid-field} problem's {@code errors}, its members in this order in every answer. */
    record FieldProblem(String field, String message) {
    }

    private static ResponseEntity<Object> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
