package dev.svcaccounts.infra.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.UriUtils;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a refused request was aimed at, read from its path: a service account, a token, a user, a project, or
 * else the workspace itself (collections, and anything this does not recognise). Once Spring has matched the
 * request to an endpoint, the path is the one Spring acted on: the endpoint's pattern with the variables it
 * extracted. Before that (a 401 of the bearer filter) it is the path as sent, which {@code StrictRequestFilter}
 * has checked is canonical (no path parameters, dot or empty segments, needless encodings), so that both read it
 * alike.
 *
 * @param type service_account, token, user, project or workspace, as in the audit trail's subjects
 */
public record RefusalTarget(String type, String id) {

    /** The audit trail's subject ids hold at most this many characters. */
    static final int MAX_ID_LENGTH = 64;

    static RefusalTarget workspace(String workspaceId) {
        return new RefusalTarget("workspace", workspaceId);
    }

    /**
     * @param workspaceId the workspace of the principal who was refused: the target when the path names none
     */
    public static RefusalTarget of(HttpServletRequest request, String workspaceId) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (pattern != null && variables instanceof Map<?, ?> values) {
            List<String> segments = Arrays.stream(pattern.toString().split("/", -1)).skip(1)
                    .map(segment -> expand(segment, values)).toList();
            return of(segments, workspaceId);
        }
        return of(request.getRequestURI(), workspaceId);
    }

    /** A segment of an endpoint's pattern with its variable, if it is one ({@code {id}}), as Spring extracted it. */
    private static String expand(String segment, Map<?, ?> variables) {
        if (segment.startsWith("{") && segment.endsWith("}")) {
            Object value = variables.get(segment.substring(1, segment.length() - 1));
            return value == null ? "" : value.toString();
        }
        return segment;
    }

    /**
     * @param path        the request path, as sent (percent-encoded)
     * @param workspaceId the workspace of the principal who was refused: the target when the path names none
     */
    public static RefusalTarget of(String path, String workspaceId) {
        return of(Arrays.stream(path.split("/", -1)).skip(1).map(RefusalTarget::decode).toList(), workspaceId);
    }

    private static RefusalTarget of(List<String> segments, String workspaceId) {
        if (segments.size() < 3 || !segments.get(0).equals("v1") || !segments.get(1).equals("workspaces")
                || !isId(segments.get(2))) {
            return workspace(workspaceId);
        }
        String ws = segments.get(2);
        List<String> rest = segments.subList(3, segments.size());
        // a path into another workspace names only that workspace: its accounts are none of this trail's business
        RefusalTarget target = ws.equals(workspaceId) ? within(rest) : null;
        return target != null && isId(target.id()) ? target : workspace(ws);
    }

    /** The target below {@code /v1/workspaces/{ws}}; null for the workspace itself. */
    private static RefusalTarget within(List<String> rest) {
        if (rest.size() < 2) {
            return null;
        }
        String id = rest.get(1);
        List<String> below = rest.subList(2, rest.size());
        return switch (rest.get(0)) {
            case "service-accounts" -> tokenOr(below, new RefusalTarget("service_account", id));
            case "members" -> tokenOr(below, new RefusalTarget("user", id));
            case "projects" -> assigneeOr(below, new RefusalTarget("project", id));
            default -> null;
        };
    }

    private static RefusalTarget tokenOr(List<String> below, RefusalTarget owner) {
        return below.size() >= 2 && below.get(0).equals("tokens") ? new RefusalTarget("token", below.get(1)) : owner;
    }

    private static RefusalTarget assigneeOr(List<String> below, RefusalTarget project) {
        if (below.size() >= 2 && below.get(0).equals("service-accounts")) {
            return new RefusalTarget("service_account", below.get(1));
        }
        if (below.size() >= 2 && below.get(0).equals("members")) {
            return new RefusalTarget("user", below.get(1));
        }
        return project;
    }

    /** Something the trail can keep as a subject id: a path may hold anything, an id must not. */
    private static boolean isId(String text) {
        return !text.isBlank() && text.length() <= MAX_ID_LENGTH
                && text.codePoints()
                        .noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    }

    private static String decode(String segment) {
        try {
            return UriUtils.decode(segment, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return ""; // no id
        }
    }
}
