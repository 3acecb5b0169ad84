package dev.svcaccounts.command.token;

import dev.svcaccounts.events.ProjectKey;
import dev.svcaccounts.events.ProjectRole;
import dev.svcaccounts.events.TokenScope;
import dev.svcaccounts.refusals.DomainRuleException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A token's {@code scope} as a request sends it, {@code {"churn": "viewer", "eval": "contributor"}}: checked here for
 * its shape (400), while the aggregate decides whether the projects exist.
 */
public final class ScopeRequest {

    private static final Pattern KEY = Pattern.compile(ProjectKey.PATTERN);

    private ScopeRequest() {
    }

    /** The scope asked for; null when the request sends none (the owner's full access). */
    public static TokenScope parse(Map<String, String> scope) {
        if (scope == null) {
            return null;
        }
        if (scope.isEmpty()) {
            throw DomainRuleException.invalid("scope-empty", "scope names no project, so the token could do nothing. "
                    + "Name at least one project, or leave scope out for the owner's full access.");
        }
        if (scope.size() > TokenScope.MAX_PROJECTS) {
            throw DomainRuleException.invalid("scope-too-large", "scope names " + scope.size()
                    + " projects; a token's scope names at most " + TokenScope.MAX_PROJECTS + ".")
                    .with("limit", TokenScope.MAX_PROJECTS);
        }
        Map<String, ProjectRole> projects = new LinkedHashMap<>();
        scope.forEach((key, role) -> {
            if (key == null || !KEY.matcher(key).matches()) {
                throw DomainRuleException.invalid("scope-invalid-key", "scope names '" + key + "', which is not a "
                        + "project key (2-40 characters: lowercase letters, digits and '-').");
            }
            projects.put(key, role(key, role));
        });
        return new TokenScope(projects);
    }

    private static ProjectRole role(String key, String role) {
        if (role != null) {
            for (ProjectRole candidate : ProjectRole.values()) {
                if (candidate.wireName().equals(role)) {
                    return candidate;
                }
            }
        }
        throw DomainRuleException.invalid("scope-invalid-role", "scope gives project '" + key + "' the role '" + role
                + "'; it must be 'viewer', 'contributor' or 'owner'.");
    }
}
