package dev.svcaccounts.command.federation.exchange;

import dev.svcaccounts.command.federation.jwt.ExchangeRefusal;
import dev.svcaccounts.infra.web.DatabaseOutage;
import dev.svcaccounts.infra.web.OAuthErrors;
import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;

/**
 * The token endpoint's errors as RFC 6749 section 5.2 answers: {@code application/json} with {@code error} and
 * {@code error_description} (which OAuth clients read), and also the members of our problem documents (type, title,
 * status, detail, requestId), as {@code /v1/introspect} answers ({@link OAuthErrors}). 400 for every refusal, the
 * checks every endpoint makes included (an unknown query parameter, a body too large or not a form): none of them is
 * answered as {@code application/problem+json} here; 429 with Retry-After beyond the address's refusals
 * ({@link ExchangeThrottle}); 503 {@code temporarily_unavailable} while the database is out; never a stack trace.
 * Each refusal is counted ({@link ExchangeMetrics}) and counts against the address.
 */
@Component
class TokenExchangeErrors {

    private static final Logger log = LoggerFactory.getLogger(TokenExchangeErrors.class);

    private final ExchangeThrottle throttle;
    private final ExchangeMetrics metrics;

    TokenExchangeErrors(ExchangeThrottle throttle, ExchangeMetrics metrics) {
        this.throttle = throttle;
        this.metrics = metrics;
    }

    static ExchangeRefusal notAForm() {
        return ExchangeRefusal.invalidRequest("malformed-request",
                "Send the exchange as a form: Content-Type application/x-www-form-urlencoded.");
    }

    void requireRoom(HttpServletRequest request) {
        throttle.requireRoom(request.getRemoteAddr());
    }

    void issued() {
        metrics.issued();
    }

    ResponseEntity<Object> answer(Exception e, HttpServletRequest request) {
        if (e instanceof ExchangeThrottle.TooMany tooMany) {
            metrics.refused(tooMany);
            return answer(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(tooMany.retryAfterSeconds()))
                    .body(body(HttpStatus.TOO_MANY_REQUESTS, tooMany));
        }
        var outage = DatabaseOutage.of(e);
        if (outage.isPresent()) {
            ExchangeRefusal unavailable = new ExchangeRefusal("temporarily_unavailable", outage.get().code(),
                    outage.get().detail());
            return answer(HttpStatus.SERVICE_UNAVAILABLE)
                    .headers(outage.get().headers()).body(body(HttpStatus.SERVICE_UNAVAILABLE, unavailable));
        }
        if (e instanceof ConcurrencyException) { // the workspace changed on other nodes ten times meanwhile
            ExchangeRefusal busy = new ExchangeRefusal("temporarily_unavailable", "concurrent-modification",
                    "Other changes to the workspace were committed at the same moment; retry the exchange with a new "
                            + "JWT.");
            return answer(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                    .body(body(HttpStatus.SERVICE_UNAVAILABLE, busy));
        }
        ExchangeRefusal refusal = refusal(e, request);
        if (refusal == null) {
            log.error("Unexpected failure of a token exchange", e);
            ExchangeRefusal failed = new ExchangeRefusal("server_error", "internal-error",
                    "The exchange failed unexpectedly. Quote the requestId when reporting it.");
            return answer(HttpStatus.INTERNAL_SERVER_ERROR)
                    .body(body(HttpStatus.INTERNAL_SERVER_ERROR, failed));
        }
        metrics.refused(refusal);
        throttle.refused(request.getRemoteAddr());
        return answer(HttpStatus.BAD_REQUEST).body(body(HttpStatus.BAD_REQUEST, refusal));
    }

    /** The refusal that {@code e} is, or null for a failure of ours. */
    private static ExchangeRefusal refusal(Exception e, HttpServletRequest request) {
        if (e instanceof ExchangeRefusal refusal) {
            return refusal;
        }
        boolean clientError = e instanceof DomainRuleException
                || (e instanceof ErrorResponse error && error.getStatusCode().is4xxClientError());
        if (!clientError) {
            return null;
        }
        if (!isForm(request)) {
            return notAForm(); // the checks of every endpoint refuse a body they cannot read first
        }
        String detail = e instanceof ErrorResponse error && error.getBody().getDetail() != null
                ? error.getBody().getDetail() : e.getMessage();
        return ExchangeRefusal.invalidRequest("malformed-request", detail);
    }

    static boolean isForm(HttpServletRequest request) {
        try {
            return request.getContentType() != null && MediaType.APPLICATION_FORM_URLENCODED
                    .equalsTypeAndSubtype(MediaType.parseMediaType(request.getContentType()));
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private static ResponseEntity.BodyBuilder answer(HttpStatus status) {
        return ResponseEntity.status(status).contentType(OAuthErrors.MEDIA_TYPE); // no-store: NoStoreFilter
    }

    private static ProblemDetail body(HttpStatus status, ExchangeRefusal refusal) {
        return OAuthErrors.problem(status, refusal.reason(), status.getReasonPhrase(), refusal.description(),
                refusal.error());
    }
}
