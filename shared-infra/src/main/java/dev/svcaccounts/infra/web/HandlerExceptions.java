package dev.svcaccounts.infra.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;

import java.io.IOException;
import java.util.List;

/**
 * What {@link DispatcherServlet} does with an exception a handler threw ({@code processHandlerException}, Spring
 * 6.2), for the short routes that call a controller's method without it ({@link ShortRoute}, the query side's
 * {@code IntrospectionRoute}): the response reset as it resets it, then the same resolvers in the same
 * order. Our handlers answer with bodies, never views.
 */
public final class HandlerExceptions {

    private final List<HandlerExceptionResolver> resolvers;

    /** {@code resolvers} in the order {@link DispatcherServlet} finds them (their beans, ordered). */
    public HandlerExceptions(List<HandlerExceptionResolver> resolvers) {
        this.resolvers = List.copyOf(resolvers);
    }

    public void resolve(HttpServletRequest request, HttpServletResponse response, Object handler,
                        Exception exception) throws IOException, ServletException {
        request.removeAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
        try {
            response.setHeader(HttpHeaders.CONTENT_TYPE, null);
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, null);
            response.resetBuffer();
        } catch (IllegalStateException committed) {
            // as Spring MVC: the resolvers do what they can with a committed response
        }
        for (HandlerExceptionResolver resolver : resolvers) {
            ModelAndView resolved = resolver.resolveException(request, response, handler, exception);
            if (resolved != null) {
                if (!resolved.isEmpty()) {
                    throw new IllegalStateException("A handler's error resolved to a view: " + resolved);
                }
                request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, exception);
                return;
            }
        }
        if (exception instanceof IOException io) {
            throw io;
        }
        if (exception instanceof ServletException servlet) {
            throw servlet;
        }
        throw new ServletException("Request processing failed: " + exception, exception);
    }
}
