package dev.svcaccounts.system.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * A request under construction: a case's base request, then its mutations applied one after the other. Path
 * segments and header values may name seeded values as {@code {{NAME}}} (see {@link FuzzSeed}), so that the same
 * request can be sent now and printed as a curl command that reads them from shell variables.
 */
public final class Draft {

    /** A raw (percent-encoded) path segment; {@code parameter} names the path parameter it holds, if any. */
    public record Segment(String parameter, String raw) {
    }

    public final Operation operation;
    public String method;
    public final List<Segment> segments = new ArrayList<>();
    /** Raw (percent-encoded) query parameters: name and value, or a name alone when the value is null. */
    public final List<String[]> query = new ArrayList<>();
    public final List<String[]> headers = new ArrayList<>();
    /** Who sends it: a principal of {@link FuzzSeed}, or {@link FuzzSeed#NONE}. */
    public String principal;
    /** An Authorization header value that replaces the principal's, or null. */
    public String authorization;
    public Body body;
    /** The Content-Type sent with the body; null: none. */
    public String contentType;
    /** Why the product must refuse this request, its body aside (a 2xx is wrong): its own rules say so. */
    public final List<String> mustRefuse = new ArrayList<>();
    /** Why the OpenAPI document calls this request invalid, its body aside (a 2xx contradicts the document). */
    public final List<String> documentSaysInvalid = new ArrayList<>();

    public Draft(Operation operation) {
        this.operation = operation;
        this.method = operation.method();
    }

    public Draft copy() {
        Draft copy = new Draft(operation);
        copy.method = method;
        copy.segments.addAll(segments);
        query.forEach(q -> copy.query.add(q.clone()));
        headers.forEach(h -> copy.headers.add(h.clone()));
        copy.principal = principal;
        copy.authorization = authorization;
        copy.body = body == null ? null : body.copy();
        copy.contentType = contentType;
        copy.mustRefuse.addAll(mustRefuse);
        copy.documentSaysInvalid.addAll(documentSaysInvalid);
        return copy;
    }

    /**
     * Why the product must refuse the request as it finally is: the reasons noted, when it still goes to its
     * operation, and its body's, when the operation reads it as JSON.
     */
    public List<String> refuseReasons() {
        List<String> reasons = new ArrayList<>();
        if (method.equals(operation.method())) {
            reasons.addAll(mustRefuse);
        }
        if (bodyReadAsJson()) {
            reasons.addAll(body.refuseReasons());
        }
        return reasons;
    }

    /** Why the document calls the request as it finally is invalid; required fields missing included. */
    public List<String> documentReasons() {
        List<String> reasons = new ArrayList<>();
        if (method.equals(operation.method())) {
            reasons.addAll(documentSaysInvalid);
        }
        if (bodyReadAsJson()) {
            reasons.addAll(body.documentReasons());
            if (!body.isRaw()) {
                Examples.properties(operation.body().schema()).keySet().stream()
                        .filter(name -> Examples.required(operation.body().schema(), name) && !body.has(name))
                        .forEach(name -> reasons.add(name + " is required"));
            }
        }
        return reasons;
    }

    /** Does the operation read this body as a JSON document: its own method, body and media type? */
    private boolean bodyReadAsJson() {
        return body != null && operation.body() != null && !operation.body().isForm()
                && method.equals(operation.method()) && "application/json".equals(contentType);
    }

    public int segmentOf(String parameter) {
        for (int i = 0; i < segments.size(); i++) {
            if (parameter.equals(segments.get(i).parameter())) {
                return i;
            }
        }
        return -1;
    }

    public void setSegment(String parameter, String raw) {
        int index = segmentOf(parameter);
        segments.set(index, new Segment(parameter, raw));
    }

    public String segment(String parameter) {
        return segments.get(segmentOf(parameter)).raw();
    }

    public void header(String name, String value) {
        headers.add(new String[]{name, value});
    }

    public void removeHeader(String name) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
    }

    public void setQuery(String name, String rawValue) {
        query.removeIf(q -> q[0].equals(name));
        query.add(new String[]{name, rawValue});
    }

    public WireRequest toWire() {
        StringBuilder path = new StringBuilder();
        segments.forEach(s -> path.append('/').append(s.raw()));
        if (!query.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            query.forEach(q -> pairs.add(q[1] == null ? q[0] : q[0] + "=" + q[1]));
            path.append('?').append(String.join("&", pairs));
        }
        List<WireRequest.Header> wireHeaders = new ArrayList<>();
        String auth = authorization != null ? authorization
                : principal == null || principal.equals(FuzzSeed.NONE) ? null : "Bearer " + FuzzSeed.ref(principal);
        if (auth != null) {
            wireHeaders.add(new WireRequest.Header("Authorization", auth));
        }
        byte[] bytes = body == null ? null : body.bytes();
        if (contentType != null) {
            wireHeaders.add(new WireRequest.Header("Content-Type", contentType));
        }
        headers.forEach(h -> wireHeaders.add(new WireRequest.Header(h[0], h[1])));
        return new WireRequest(operation.side(), method, path.toString(), List.copyOf(wireHeaders), bytes);
    }
}
