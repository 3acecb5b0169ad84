package dev.svcaccounts.infra.web;

import dev.svcaccounts.infra.security.AuthenticatedPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets controllers take the {@link AuthenticatedPrincipal} and the {@link AuditContext} as parameters. */
final class RequestArgumentResolvers {

    static final int MAX_REASON_LENGTH = 500;
    static final int MAX_USER_AGENT_LENGTH = 256;
    static final String REASON_HEADER = "X-Audit-Reason";

    private RequestArgumentResolvers() {
    }

    static final class PrincipalResolver implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == AuthenticatedPrincipal.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                      WebDataBinderFactory binderFactory) {
            Object principal = request.getAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE, NativeWebRequest.SCOPE_REQUEST);
            if (principal == null) {
                throw new IllegalStateException("No authenticated principal: is the path excluded from BearerTokenFilter?");
            }
            return principal;
        }
    }

    static final class AuditContextResolver implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == AuditContext.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest webRequest,
                                      WebDataBinderFactory binderFactory) {
            HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
            return new AuditContext(RequestIds.current().orElse(null), request.getRemoteAddr(), userAgent(request),
                    reason(request));
        }
    }

    /** The X-Audit-Reason header, stripped; null when absent or blank. */
    static String reason(HttpServletRequest request) {
        String reason = request.getHeader(REASON_HEADER);
        if (reason != null) {
            reason = reason.strip();
            if (reason.length() > MAX_REASON_LENGTH || !reason.matches(Text.NO_CONTROL_CHARACTERS)) {
                throw DomainRuleException.invalid("invalid-audit-reason", REASON_HEADER
                        + " must be at most " + MAX_REASON_LENGTH + " characters without control or invisible formatting characters.");
            }
            reason = reason.isEmpty() ? null : reason;
        }
        return reason;
    }

    /** The User-Agent header without control characters, cut to {@value #MAX_USER_AGENT_LENGTH} characters. */
    static String userAgent(HttpServletRequest request) {
        String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
        if (userAgent != null) {
            userAgent = Text.withoutControlCharacters(userAgent);
            userAgent = userAgent.length() > MAX_USER_AGENT_LENGTH ? userAgent.substring(0, MAX_USER_AGENT_LENGTH) : userAgent;
        }
        return userAgent;
    }
}
