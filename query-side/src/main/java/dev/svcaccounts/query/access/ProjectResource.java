package dev.svcaccounts.query.access;

import dev.svcaccounts.events.ProjectKey;
import dev.svcaccounts.infra.web.Text;
import dev.svcaccounts.refusals.DomainRuleException;

import java.util.regex.Pattern;

/**
 * The {@code resource} an answer about a token is narrowed to (RFC 8707's parameter, here naming one project of the
 * token's workspace): a project key, or {@code project:<key>}. Only one per request: the strict parsing of forms and
 * query strings refuses a parameter given twice.
 */
final class ProjectResource {

    static final String NAME = "resource";
    static final String PREFIX = "project:";
    /** What a project key can be: the command side's {@code ProjectController.KEY_PATTERN}. */
    private static final Pattern KEY = Pattern.compile(ProjectKey.PATTERN);
    /** The value's pattern, for the API documentation. */
    static final String VALUE_PATTERN = "^(project:)?" + ProjectKey.PATTERN + "$";
    static final String FORMAT = "a project key (2-40 characters: lowercase letters, digits and '-', starting and "
            + "ending with a letter or digit), alone or as 'project:<key>'";

    private ProjectResource() {
    }

    /**
     * The project key a {@code resource} value names; null when there is none (no narrowing).
     *
     * @param what how the caller sent it, for the refusal: {@code "Form field"} or {@code "Parameter"}
     * @param code the refusal's code: the one the endpoint gives any other bad field or parameter
     * @throws DomainRuleException 400 {@code code} naming the parameter when the value names no possible project
     */
    static String key(String value, String what, String code) {
        if (value == null) {
            return null;
        }
        String key = value.startsWith(PREFIX) ? value.substring(PREFIX.length()) : value;
        if (!KEY.matcher(key).matches()) {
            throw DomainRuleException.invalid(code, what + " '" + NAME + "' must be " + FORMAT + "; got '"
                    + Text.forMessage(value) + "'.");
        }
        return key;
    }
}
