package dev.svcaccounts.infra.web;

import dev.svcaccounts.credentials.AuthenticatedPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets controllers take the {@link AuthenticatedPrincipal} and the {@link AuditContext} as parameters. */
final class RequestArgumentResolvers {

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
            Object principal =
                    request.getAttribute(AuthenticatedPrincipal.REQUEST_ATTRIBUTE, NativeWebRequest.SCOPE_REQUEST);
            if (principal == null) {
                throw new IllegalStateException(
                        "No authenticated principal: is the path excluded from BearerTokenFilter?");
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
            return AuditContext.of(webRequest.getNativeRequest(HttpServletRequest.class));
        }
    }
}
