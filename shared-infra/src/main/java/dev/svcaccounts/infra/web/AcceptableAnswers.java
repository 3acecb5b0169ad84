package dev.svcaccounts.infra.web;

import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A request whose {@code Accept} header admits no JSON is refused with 406 before its handler runs. Spring MVC would
 * find out only when it writes the answer, after the command: the client would get a 406 for an account that was
 * created, with a token whose secret it never sees. A malformed {@code Accept} is a 400, also before anything runs.
 * Errors are problem documents whatever {@code Accept} says (see {@link ProblemHandler}).
 */
final class AcceptableAnswers implements HandlerInterceptor {

    /** What our endpoints answer with a body: JSON (Jackson also writes any {@code application/*+json}). */
    private static final List<MediaType> PRODUCED =
            List.of(MediaType.APPLICATION_JSON, new MediaType("application", "*+json"));

    private final Map<HandlerMethod, Boolean> answersWithBody = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || request.getDispatcherType() == DispatcherType.ERROR
                || !method.getBeanType().getName().startsWith("dev.svcaccounts.")) {
            return true;
        }
        List<MediaType> accepted = accepted(request);
        if (accepted.isEmpty() || !answersWithBody.computeIfAbsent(method, AcceptableAnswers::answersWithBody)) {
            return true;
        }
        boolean acceptable = accepted.stream().anyMatch(type -> type.getQualityValue() > 0
                && PRODUCED.stream().anyMatch(type::isCompatibleWith));
        if (!acceptable) {
            throw new DomainRuleException(DomainRuleException.Kind.NOT_ACCEPTABLE, "not-acceptable",
                    "This endpoint answers application/json, which the Accept header does not admit. "
                            + "Nothing was done.");
        }
        return true;
    }

    private static List<MediaType> accepted(HttpServletRequest request) {
        List<String> values = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
        if (values.isEmpty()) {
            return List.of();
        }
        try {
            return MediaType.parseMediaTypes(values);
        } catch (IllegalArgumentException e) { // InvalidMediaTypeException among others
            throw DomainRuleException.invalid("invalid-header",
                    "The Accept header is not a list of media types (such as application/json). Nothing was done.");
        }
    }

    /** Whether the endpoint writes a body through Spring's converters (not void, not a body-less ResponseEntity). */
    private static boolean answersWithBody(HandlerMethod method) {
        Class<?> type = method.getReturnType().getParameterType();
        if (type == void.class || type == Void.class) {
            return false;
        }
        if (ResponseEntity.class.isAssignableFrom(type)) {
            Class<?> body =
                    ResolvableType.forMethodParameter(method.getReturnType()).getGeneric(0).resolve(Object.class);
            return body != Void.class;
        }
        return true;
    }
}
