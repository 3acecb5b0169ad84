package dev.svcaccounts.credentials;

import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.TokenScope;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link TokenScope} as {@code command_side.auth_token.scope} holds it: a JSON object of project key to role name,
 * {@code {"churn":"VIEWER","eval":"CONTRIBUTOR"}}; SQL null for a token with its owner's full access. Written by hand:
 * keys are project keys ({@code [a-z0-9-]}) and values enum names, so nothing needs escaping, and reading it on every
 * request costs no JSON parser.
 */
public final class ScopeColumn {

    private ScopeColumn() {
    }

    public static String toJson(TokenScope scope) {
        if (scope == null) {
            return null;
        }
        StringBuilder json = new StringBuilder("{");
        scope.projects().forEach((key, role) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(key).append("\":\"").append(role.name()).append('"');
        });
        return json.append('}').toString();
    }

    /** The column's text as PostgreSQL returns it ({@code {"churn": "VIEWER"}}, jsonb's own spacing); null for null. */
    public static TokenScope fromJson(String json) {
        if (json == null) {
            return null;
        }
        Map<String, ProjectRole> projects = new LinkedHashMap<>();
        String body = json.trim();
        body = body.substring(1, body.length() - 1).trim();
        if (!body.isEmpty()) {
            for (String entry : body.split(",")) {
                String[] keyAndRole = entry.split(":");
                projects.put(unquote(keyAndRole[0]), ProjectRole.valueOf(unquote(keyAndRole[1])));
            }
        }
        return new TokenScope(projects);
    }

    private static String unquote(String text) {
        String trimmed = text.trim();
        return trimmed.substring(1, trimmed.length() - 1);
    }
}
