package dev.svcaccounts.infra.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.SessionAttributes;
import org.springframework.web.bind.annotation.ValueConstants;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.method.ControllerAdviceBean;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.RequestParamMethodArgumentResolver;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.HandlerMethodReturnValueHandler;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;
import org.springframework.web.servlet.handler.MappedInterceptor;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.PathVariableMethodArgumentResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ServletRequestDataBinderFactory;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The short way from the filters to a hot endpoint's controller method (issue 18: the command side's hot commands,
 * the query side's hot reads): a request the route
 * takes skips Spring MVC's generic look-ups (the handler mapping's search through every mapping, the handler
 * adapter's per-request set-up, the argument resolvers' and return-value handlers' searches, path variables
 * converted through a data binder) and keeps every piece that decides the answer, Spring MVC's own objects, found
 * once at start: the mapping's own {@link PathPattern} extracts the path variables and sets the request attributes
 * and the observation's path pattern as the handler mapping does; the mapping's interceptors (declared inputs,
 * acceptable answers) run as {@link DispatcherServlet} runs them; the body is read and validated by Spring MVC's
 * {@code @RequestBody} resolver (message converters, the body advice, bean validation, the same data binder
 * factory), the other arguments by the resolvers Spring MVC would pick; the controller's method is the one
 * implementation; the answer is written by Spring MVC's return-value handlers; an exception goes to the same
 * exception resolvers, in the same order, with the same handler, after the same response reset as in
 * {@link DispatcherServlet}.
 * <p>
 * It takes only requests whose route through Spring MVC is known: the mapping's method and pattern, no other mapping
 * that could match the same path with that method (checked at start), a dispatch of type REQUEST, an {@code Accept}
 * the route's twin test knows, no {@code Accept-Language} (Spring MVC's locale resolver would decide the locale
 * again), no {@code Origin} (CORS), no multipart body. A GET route (a read) also takes no query string, no body and
 * no conditional header ({@code If-*}, which Spring MVC's last-modified check reads for a GET): its optional
 * {@code @RequestParam}s are then absent, and it passes null for them as Spring MVC resolves an absent one; HEAD and
 * OPTIONS, which Spring MVC also answers on a GET mapping, are left to Spring MVC. Anything else goes on to Spring MVC
 * as before. The start fails
 * if a mapping or Spring MVC's configuration is not what this route assumes (method validation, init-binder or
 * model-attribute methods, session attributes, a cache-control or session setting of the handler adapter).
 * {@code ShortRouteIT} (the commands) and {@code ReadRouteIT} (the reads) compare its answers with Spring MVC's,
 * header by header.
 */
public final class ShortRoute extends HttpFilter implements SmartInitializingSingleton {

    /** The {@code Accept} values the route takes: each answer is compared with Spring MVC's in the IT. */
    static final Set<String> ACCEPTS = Set.of("*/*", "application/json", "application/json, application/problem+json");
    /** The headers of a conditional request: Spring MVC's last-modified check reads them for a GET. */
    private static final List<String> CONDITIONAL = List.of(HttpHeaders.IF_MATCH, HttpHeaders.IF_NONE_MATCH,
            HttpHeaders.IF_MODIFIED_SINCE, HttpHeaders.IF_UNMODIFIED_SINCE, HttpHeaders.IF_RANGE);

    private final transient RequestMethod routedMethod;
    private final transient String routedPattern;
    private final transient ApplicationContext context;
    private final transient RequestMappingHandlerMapping mapping;
    private final transient RequestMappingHandlerAdapter adapter;
    private final transient ObjectProvider<HandlerExceptionResolver> resolvers;

    private transient Class<?> controllerType;
    private transient HandlerMethod handler;
    private transient Method method;
    private transient HttpStatus responseStatus;
    private transient RequestMethod httpMethod;
    private transient PathPattern pattern;
    private transient String prefix;
    /** How many {@code /} the pattern has: a request path with another number cannot match it. */
    private transient int separators;
    /** A GET: no query string, no body, no conditional header. */
    private transient boolean read;
    private transient MethodParameter[] parameters;
    private transient HandlerMethodArgumentResolver[] argumentResolvers;
    private transient boolean[] pathVariables;
    /** The optional request parameters of a read, absent since it takes no query string. */
    private transient boolean[] absentParameters;
    private transient AnswerHandlers answerHandlers;
    private transient List<HandlerInterceptor> interceptors;
    private transient HandlerExceptions exceptions;

    /** The route to the controller method mapped to this HTTP method and this path pattern (as declared). */
    public ShortRoute(RequestMethod routedMethod, String routedPattern, ApplicationContext context,
                      RequestMappingHandlerMapping mapping, RequestMappingHandlerAdapter adapter,
                      ObjectProvider<HandlerExceptionResolver> resolvers) {
        this.routedMethod = routedMethod;
        this.routedPattern = routedPattern;
        this.context = context;
        this.mapping = mapping;
        this.adapter = adapter;
        this.resolvers = resolvers;
    }


    @Override
    public void afterSingletonsInstantiated() {
        RequestMappingInfo info = null;
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            RequestMappingInfo candidate = entry.getKey();
            if (candidate.getMethodsCondition().getMethods().contains(routedMethod)
                    && candidate.getPathPatternsCondition() != null
                    && candidate.getPathPatternsCondition().getPatternValues().contains(routedPattern)) {
                if (handler != null) {
                    throw new IllegalStateException("ShortRoute: two mappings of " + routedMethod + " "
                            + routedPattern);
                }
                info = candidate;
                handler = entry.getValue().createWithResolvedBean();
            }
        }
        if (handler == null || info == null) {
            throw new IllegalStateException("ShortRoute: no mapping of " + routedMethod + " " + routedPattern);
        }
        controllerType = handler.getBeanType();
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        Set<PathPattern> patterns = info.getPathPatternsCondition().getPatterns();
        if (methods.size() != 1 || patterns.size() != 1 || !info.getConsumesCondition().isEmpty()
                || !info.getProducesCondition().isEmpty() || !info.getParamsCondition().isEmpty()
                || !info.getHeadersCondition().isEmpty() || info.getCustomCondition() != null) {
            throw new IllegalStateException("ShortRoute assumes one method and one pattern and no other condition; "
                    + "the mapping is now " + info);
        }
        httpMethod = methods.iterator().next();
        pattern = patterns.iterator().next();
        String text = pattern.getPatternString();
        if (text.contains("*") || !text.contains("{")) {
            throw new IllegalStateException("ShortRoute assumes a pattern of plain segments with a variable; the "
                    + "mapping's is " + text);
        }
        prefix = text.substring(0, text.indexOf('{'));
        separators = separators(text);
        read = httpMethod == RequestMethod.GET;
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
            if (entry.getKey() != info && couldMatchToo(entry.getKey())) {
                throw new IllegalStateException("ShortRoute: " + entry.getKey() + " could match " + text + " too");
            }
        }
        method = BridgeMethodResolver.findBridgedMethod(handler.getMethod());
        ResponseStatus status = handler.getMethodAnnotation(ResponseStatus.class);
        if (status == null) {
            status = AnnotatedElementUtils.findMergedAnnotation(controllerType, ResponseStatus.class);
        }
        responseStatus = status == null ? null : status.code();
        ReflectionUtils.makeAccessible(method);
        if (handler.shouldValidateArguments() || handler.shouldValidateReturnValue()
                || status != null && StringUtils.hasText(status.reason())
                || AnnotatedElementUtils.hasAnnotation(controllerType, SessionAttributes.class)
                || adapter.getCacheControl() != null || adapter.getCacheSeconds() >= 0
                || adapter.getVaryByRequestHeaders() != null
                || adapter.getSupportedMethods() != null || adapter.isRequireSession()
                || hasAnnotatedMethods(InitBinder.class) || hasAnnotatedMethods(ModelAttribute.class)) {
            throw new IllegalStateException("ShortRoute: " + handler + " needs Spring MVC's handler adapter");
        }
        parameters = handler.getMethodParameters();
        argumentResolvers = new HandlerMethodArgumentResolver[parameters.length];
        pathVariables = new boolean[parameters.length];
        absentParameters = new boolean[parameters.length];
        DefaultParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
        List<HandlerMethodArgumentResolver> all = adapter.getArgumentResolvers();
        for (int i = 0; i < parameters.length; i++) {
            MethodParameter parameter = parameters[i];
            parameter.initParameterNameDiscovery(names); // as Spring MVC does before it resolves the arguments
            argumentResolvers[i] = all == null ? null
                    : all.stream().filter(r -> r.supportsParameter(parameter)).findFirst().orElse(null);
            if (argumentResolvers[i] == null) {
                throw new IllegalStateException("ShortRoute: no resolver for " + parameter);
            }
            PathVariable variable = parameter.getParameterAnnotation(PathVariable.class);
            // a String path variable is the pattern's decoded value as it is: a data binder converts nothing
            pathVariables[i] = argumentResolvers[i] instanceof PathVariableMethodArgumentResolver
                    && parameter.getParameterType() == String.class && variable != null && variable.required()
                    && pattern.getPatternString().contains("{" + parameter.getParameterName() + "}")
                    && variable.name().isEmpty() && variable.value().isEmpty();
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            // a read takes no query string and no body: Spring MVC resolves such a parameter to null
            absentParameters[i] = read && argumentResolvers[i] instanceof RequestParamMethodArgumentResolver
                    && param != null && !param.required() && ValueConstants.DEFAULT_NONE.equals(param.defaultValue())
                    && parameter.getParameterType() == String.class;
        }
        List<HandlerMethodReturnValueHandler> handlers = adapter.getReturnValueHandlers();
        answerHandlers = new AnswerHandlers(handlers == null ? List.of() : handlers);
        interceptors = interceptors(mapping);
        exceptions = new HandlerExceptions(resolvers.orderedStream().toList()); // as DispatcherServlet finds them
    }

    /** Whether another mapping could take a request this route takes (same method, a compatible pattern). */
    private boolean couldMatchToo(RequestMappingInfo other) {
        Set<RequestMethod> methods = other.getMethodsCondition().getMethods();
        if (!methods.isEmpty() && !methods.contains(httpMethod)) {
            return false;
        }
        if (other.getPathPatternsCondition() == null) {
            return true;
        }
        String[] mine = pattern.getPatternString().split("/", -1);
        for (PathPattern theirs : other.getPathPatternsCondition().getPatterns()) {
            String[] segments = theirs.getPatternString().split("/", -1);
            if (theirs.getPatternString().contains("*") || segments.length == mine.length
                    && compatible(mine, segments)) {
                return true;
            }
        }
        return false;
    }

    private static boolean compatible(String[] mine, String[] theirs) {
        for (int i = 0; i < mine.length; i++) {
            boolean literals = !mine[i].contains("{") && !theirs[i].contains("{");
            if (literals && !mine[i].equals(theirs[i])) {
                return false;
            }
        }
        return true;
    }

    private boolean hasAnnotatedMethods(Class<? extends Annotation> annotation) {
        List<Class<?>> types = new ArrayList<>();
        types.add(controllerType);
        for (ControllerAdviceBean advice : ControllerAdviceBean.findAnnotatedBeans(context)) {
            if (advice.isApplicableToBeanType(controllerType) && advice.getBeanType() != null) {
                types.add(advice.getBeanType());
            }
        }
        return types.stream().anyMatch(type -> !MethodIntrospector.selectMethods(type,
                (ReflectionUtils.MethodFilter) m -> AnnotatedElementUtils.hasAnnotation(m, annotation)).isEmpty());
    }

    /** The handler mapping's interceptors, as it adds them to each handler's execution chain. */
    private static List<HandlerInterceptor> interceptors(AbstractHandlerMapping mapping) {
        Method adapted = ReflectionUtils.findMethod(AbstractHandlerMapping.class, "getAdaptedInterceptors");
        if (adapted == null) {
            throw new IllegalStateException("ShortRoute: AbstractHandlerMapping.getAdaptedInterceptors is gone");
        }
        ReflectionUtils.makeAccessible(adapted);
        HandlerInterceptor[] found = (HandlerInterceptor[]) ReflectionUtils.invokeMethod(adapted, mapping);
        return found == null ? List.of() : Arrays.asList(found);
    }

    /**
     * The route's servlet filter, on every workspace path, after every other filter: they all see the request as
     * they would on its way to Spring MVC.
     */
    public FilterRegistrationBean<ShortRoute> registration(String name) {
        FilterRegistrationBean<ShortRoute> registration = new FilterRegistrationBean<>(this);
        registration.addUrlPatterns("/v1/workspaces/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        registration.setName(name);
        return registration;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!takes(request)) {
            chain.doFilter(request, response);
            return;
        }
        RequestPath previousPath = (RequestPath) request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
        RequestPath path = ServletRequestPathUtils.parseAndCache(request);
        PathPattern.PathMatchInfo match = path.contextPath().value().isEmpty()
                ? pattern.matchAndExtract(path.pathWithinApplication()) : null;
        if (match == null) {
            ServletRequestPathUtils.setParsedRequestPath(previousPath, request);
            chain.doFilter(request, response);
            return;
        }
        try {
            dispatch(request, response, path.pathWithinApplication(), match);
        } finally {
            ServletRequestPathUtils.setParsedRequestPath(previousPath, request);
        }
    }

    /** What DispatcherServlet does with a request its handler mapping matched to this route. */
    private void dispatch(HttpServletRequest request, HttpServletResponse response, PathContainer lookup,
                          PathPattern.PathMatchInfo match) throws IOException, ServletException {
        // the handler mapping's request attributes and the observation's path pattern
        Map<String, String> variables = match.getUriVariables();
        request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, handler);
        request.setAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE, lookup.value());
        request.setAttribute(HandlerMapping.MATRIX_VARIABLES_ATTRIBUTE, match.getMatrixVariables());
        request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, pattern.getPatternString());
        ServerHttpObservationFilter.findObservationContext(request)
                .ifPresent(observation -> observation.setPathPattern(pattern.getPatternString()));
        request.setAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, variables);
        List<HandlerInterceptor> chain = chain(request);
        int applied = 0;
        Exception failure = null;
        try {
            for (HandlerInterceptor interceptor : chain) {
                if (!interceptor.preHandle(request, response, handler)) {
                    afterCompletion(request, response, chain, applied, null);
                    return;
                }
                applied++;
            }
            handle(request, response, variables);
            for (int i = applied - 1; i >= 0; i--) {
                chain.get(i).postHandle(request, response, handler, null);
            }
        } catch (Exception e) {
            failure = e;
        } catch (Error e) {
            failure = new ServletException("Handler dispatch failed: " + e, e);
        }
        if (failure != null) {
            try {
                exceptions.resolve(request, response, handler, failure);
            } catch (IOException | ServletException unresolved) {
                afterCompletion(request, response, chain, applied, unresolved);
                throw unresolved;
            } catch (RuntimeException unresolved) { // as FrameworkServlet.processRequest wraps it
                afterCompletion(request, response, chain, applied, unresolved);
                throw new ServletException("Request processing failed: " + unresolved, unresolved);
            }
        }
        afterCompletion(request, response, chain, applied, null);
    }

    /** The interceptors for this request, matched once, as the handler mapping builds its execution chain. */
    private List<HandlerInterceptor> chain(HttpServletRequest request) {
        List<HandlerInterceptor> chain = new ArrayList<>(interceptors.size());
        for (HandlerInterceptor interceptor : interceptors) {
            if (interceptor instanceof MappedInterceptor mapped) {
                if (mapped.matches(request)) {
                    chain.add(mapped.getInterceptor());
                }
            } else {
                chain.add(interceptor);
            }
        }
        return chain;
    }

    private void afterCompletion(HttpServletRequest request, HttpServletResponse response,
                                 List<HandlerInterceptor> chain, int applied, Exception failure) {
        for (int i = applied - 1; i >= 0; i--) {
            try {
                chain.get(i).afterCompletion(request, response, handler, failure);
            } catch (Exception ignored) {
                // as HandlerExecutionChain: logged there, never thrown
            }
        }
    }

    /** What RequestMappingHandlerAdapter and ServletInvocableHandlerMethod do, minus their per-request look-ups. */
    private void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> variables)
            throws Exception {
        ServletWebRequest webRequest = new ServletWebRequest(request, response);
        try {
            ServletRequestDataBinderFactory binders =
                    new ServletRequestDataBinderFactory(List.of(), adapter.getWebBindingInitializer());
            ModelAndViewContainer container = new ModelAndViewContainer();
            Object[] args = new Object[parameters.length];
            Map<String, Object> resolvedPathVariables = null;
            for (int i = 0; i < parameters.length; i++) {
                if (pathVariables[i]) {
                    String name = parameters[i].getParameterName();
                    args[i] = variables.get(name);
                    if (args[i] == null) { // cannot happen: the pattern has the variable
                        throw new IllegalStateException("No path variable " + name);
                    }
                    if (resolvedPathVariables == null) {
                        resolvedPathVariables = new LinkedHashMap<>();
                    }
                    resolvedPathVariables.put(name, args[i]); // as PathVariableMethodArgumentResolver records them
                    request.setAttribute(View.PATH_VARIABLES, resolvedPathVariables);
                } else if (absentParameters[i]) {
                    args[i] = null;
                } else {
                    args[i] = argumentResolvers[i].resolveArgument(parameters[i], container, webRequest, binders);
                }
            }
            Object answer = invoke(args);
            if (responseStatus != null) { // as ServletInvocableHandlerMethod.setResponseStatus
                response.setStatus(responseStatus.value());
                request.setAttribute(View.RESPONSE_STATUS_ATTRIBUTE, responseStatus);
            }
            if (answer == null && responseStatus != null) {
                return;
            }
            container.setRequestHandled(false);
            answerHandlers.handle(answer, handler.getReturnValueType(answer), container, webRequest);
        } finally {
            webRequest.requestCompleted();
        }
    }

    /** InvocableHandlerMethod.doInvoke: the controller's own exception, unwrapped. */
    private Object invoke(Object[] args) throws Exception {
        try {
            return method.invoke(handler.getBean(), args);
        } catch (InvocationTargetException e) {
            Throwable target = e.getCause();
            if (target instanceof RuntimeException runtime) {
                throw runtime;
            } else if (target instanceof Error error) {
                throw error;
            } else if (target instanceof Exception exception) {
                throw exception;
            }
            throw new IllegalStateException("Invocation failure", target);
        }
    }

    /** Whether Spring MVC would hand this request to the route's method, as far as its headers tell. */
    boolean takes(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (!httpMethod.name().equals(request.getMethod()) || request.getDispatcherType() != DispatcherType.REQUEST
                || !uri.startsWith(prefix) || separators(uri) != separators || !request.getContextPath().isEmpty()
                || request.getHeader(HttpHeaders.ACCEPT_LANGUAGE) != null
                || request.getHeader(HttpHeaders.ORIGIN) != null) {
            return false;
        }
        if (read && (request.getQueryString() != null || request.getContentLengthLong() > 0
                || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || conditional(request))) {
            return false;
        }
        String contentType = request.getContentType();
        if (contentType != null && contentType.regionMatches(true, 0, "multipart/", 0, 10)) {
            return false;
        }
        Enumeration<String> accepts = request.getHeaders(HttpHeaders.ACCEPT);
        if (!accepts.hasMoreElements()) {
            return true;
        }
        String accept = accepts.nextElement();
        return !accepts.hasMoreElements() && ACCEPTS.contains(accept);
    }

    private static boolean conditional(HttpServletRequest request) {
        for (String header : CONDITIONAL) {
            if (request.getHeader(header) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code /} in a path or pattern. The path pattern is matched against the request path's segments, split at
     * each {@code /} of the raw URI (an encoded one stays in its segment), and each of its segments matches one.
     */
    private static int separators(String path) {
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        return count;
    }
}
