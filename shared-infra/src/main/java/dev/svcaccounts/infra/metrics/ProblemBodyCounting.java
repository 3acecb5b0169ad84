package dev.svcaccounts.infra.metrics;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Counts the problem documents Spring MVC writes (the exception handlers', the error page's, a controller's own);
 * the filters' go through {@code Problems.write} and {@code TooManyRequests}, which count theirs.
 */
@ControllerAdvice
class ProblemBodyCounting implements ResponseBodyAdvice<Object> {

    private final ProblemCounter counter;

    ProblemBodyCounting(ProblemCounter counter) {
        this.counter = counter;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true; // a ResponseEntity<Object> says nothing of its body: decided per body below, by one instanceof
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (body instanceof ProblemDetail problem) {
            counter.count(problem);
        }
        return body;
    }
}
