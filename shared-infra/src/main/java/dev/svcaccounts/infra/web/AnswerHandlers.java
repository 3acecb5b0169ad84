package dev.svcaccounts.infra.web;

import org.springframework.core.MethodParameter;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.AsyncHandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.HandlerMethodReturnValueHandlerComposite;
import org.springframework.web.method.support.ModelAndViewContainer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spring MVC's return-value handling for one controller method, with the handler chosen once per class of answer.
 * {@link HandlerMethodReturnValueHandlerComposite} asks each of its handlers (15 by default, some looking up
 * annotations) on every request; for one method, the first that supports the answer depends only on the answer's
 * class. Unless a handler is asynchronous (it then also looks at the value): every answer goes to the composite.
 */
final class AnswerHandlers {

    private final List<HandlerMethodReturnValueHandler> handlers;
    private final HandlerMethodReturnValueHandlerComposite composite = new HandlerMethodReturnValueHandlerComposite();
    private final boolean anyAsynchronous;
    private final Map<Class<?>, HandlerMethodReturnValueHandler> byAnswerClass = new ConcurrentHashMap<>();

    AnswerHandlers(List<HandlerMethodReturnValueHandler> handlers) {
        this.handlers = List.copyOf(handlers);
        composite.addHandlers(this.handlers);
        anyAsynchronous = this.handlers.stream().anyMatch(AsyncHandlerMethodReturnValueHandler.class::isInstance);
    }

    /** As {@link HandlerMethodReturnValueHandlerComposite#handleReturnValue}, which chooses the same handler. */
    void handle(Object answer, MethodParameter answerType, ModelAndViewContainer container, NativeWebRequest request)
            throws Exception {
        HandlerMethodReturnValueHandler chosen = answer == null || anyAsynchronous ? null
                : byAnswerClass.computeIfAbsent(answer.getClass(), type -> firstSupporting(answerType));
        if (chosen == null) { // and the composite's own error when none supports it
            composite.handleReturnValue(answer, answerType, container, request);
        } else {
            chosen.handleReturnValue(answer, answerType, container, request);
        }
    }

    /** The composite's choice for a value no asynchronous handler takes. */
    HandlerMethodReturnValueHandler firstSupporting(MethodParameter answerType) {
        for (HandlerMethodReturnValueHandler handler : handlers) {
            if (handler.supportsReturnType(answerType)) {
                return handler;
            }
        }
        return null;
    }
}
