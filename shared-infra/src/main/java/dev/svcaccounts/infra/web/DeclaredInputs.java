package dev.svcaccounts.infra.web;

import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An endpoint of ours takes the query parameters and the body it declares, nothing else: an unknown parameter is
 * refused rather than ignored (a mistyped filter must not turn "entries of this actor" into every entry), and so is
 * a body sent to an endpoint that reads none. Declared: its {@code @RequestParam}s, the components of a record it
 * binds from the query ({@code @ParameterObject}), its {@code @RequestBody} or form.
 */
final class DeclaredInputs implements HandlerInterceptor {

    /** What one endpoint takes; {@code parameters} null when it reads every parameter itself. */
    private record Declared(Set<String> parameters, boolean body) {
    }

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    private final Map<HandlerMethod, Declared> declared = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // an error page rendered for a request takes whatever that request carried
        if (!(handler instanceof HandlerMethod method) || request.getDispatcherType() == DispatcherType.ERROR
                || !method.getBeanType().getName().startsWith("dev.svcaccounts.")) {
            return true;
        }
        Declared inputs = declared.computeIfAbsent(method, DeclaredInputs::of);
        if (inputs.parameters() != null) {
            for (String name : RequestTarget.parameters(request.getQueryString()).keySet()) {
                if (!inputs.parameters().contains(name)) {
                    throw DomainRuleException.invalid("invalid-parameter", "Unknown parameter '" + Text.forMessage(name)
                            + "'. " + (inputs.parameters().isEmpty() ? "This endpoint takes no parameters."
                            : "Known parameters: " + inputs.parameters() + "."));
                }
            }
        }
        boolean hasBody = request.getContentLengthLong() > 0
                || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        if (!inputs.body() && hasBody) {
            throw DomainRuleException.invalid("unexpected-body", "This endpoint takes no request body.");
        }
        return true;
    }

    private static Declared of(HandlerMethod method) {
        Set<String> parameters = new TreeSet<>();
        boolean body = false;
        for (MethodParameter parameter : method.getMethodParameters()) {
            parameter.initParameterNameDiscovery(NAMES); // as Spring MVC does before it resolves the arguments
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            Class<?> type = parameter.getParameterType();
            if (param != null && Map.class.isAssignableFrom(type)) {
                return new Declared(null, false);
            }
            if (param != null) {
                parameters.add(StringUtils.hasText(param.name()) ? param.name() : parameter.getParameterName());
            } else if (parameter.hasParameterAnnotation(RequestBody.class)) {
                body = true;
            } else if (type.isRecord() && !type.getName().startsWith("dev.svcaccounts.infra.")) {
                Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).forEach(parameters::add);
            }
        }
        RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(), RequestMapping.class);
        if (mapping != null && Arrays.stream(mapping.consumes())
                .anyMatch(type -> MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(type)))) {
            body = true;
        }
        return new Declared(parameters, body);
    }
}
