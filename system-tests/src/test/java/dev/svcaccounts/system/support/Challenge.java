package dev.svcaccounts.system.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code WWW-Authenticate} challenge, parsed strictly (RFC 7235 §2.1, RFC 6750 §3): a scheme, then
 * comma-separated {@code name=value} parameters, each value a token or a quoted string, nothing left over. No OAuth
 * library is on this module's classpath (Spring Security would configure itself inside the applications the tests
 * start), so this is the parser; it refuses what a strict one would, and the values RFC 6750 restricts are checked
 * against its character ranges.
 */
public record Challenge(String scheme, Map<String, String> params) {

    private static final Pattern SCHEME = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +|$)");
    private static final Pattern PARAM = Pattern.compile(
            "([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \\t]*=[ \\t]*(?:([!#$%&'*+.^_`|~0-9A-Za-z-]+)|\"((?:[^\"\\\\]|\\\\.)*)\")");
    /** RFC 6750 §3: error and error_description are %x20-21 / %x23-5B / %x5D-7E. */
    private static final Pattern RFC6750_VALUE = Pattern.compile("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]*");

    public static Challenge parse(String header) {
        if (header == null) {
            throw new AssertionError("no WWW-Authenticate");
        }
        Matcher scheme = SCHEME.matcher(header);
        if (!scheme.lookingAt()) {
            throw new AssertionError("no auth-scheme in '" + header + "'");
        }
        Map<String, String> params = new LinkedHashMap<>();
        int at = scheme.end();
        while (at < header.length()) {
            Matcher param = PARAM.matcher(header).region(at, header.length());
            if (!param.lookingAt()) {
                throw new AssertionError("not an auth-param at " + at + " of '" + header + "'");
            }
            String value = param.group(2) != null ? param.group(2) : param.group(3).replaceAll("\\\\(.)", "$1");
            if (params.put(param.group(1).toLowerCase(), value) != null) {
                throw new AssertionError("parameter " + param.group(1) + " twice in '" + header + "'");
            }
            at = param.end();
            if (at < header.length()) {
                Matcher comma = Pattern.compile("[ \\t]*,[ \\t]*").matcher(header).region(at, header.length());
                if (!comma.lookingAt() || comma.end() == header.length()) {
                    throw new AssertionError("expected ', ' and a parameter at " + at + " of '" + header + "'");
                }
                at = comma.end();
            }
        }
        for (String restricted : List.of("error", "error_description", "scope")) {
            String value = params.get(restricted);
            if (value != null && !RFC6750_VALUE.matcher(value).matches()) {
                throw new AssertionError(restricted + " has characters RFC 6750 forbids: '" + header + "'");
            }
        }
        return new Challenge(scheme.group(1), params);
    }

    /** Every challenge of an answer, one per {@code WWW-Authenticate} field. */
    public static List<Challenge> all(List<String> headers) {
        List<Challenge> challenges = new ArrayList<>();
        headers.forEach(header -> challenges.add(parse(header)));
        return challenges;
    }

    public String param(String name) {
        return params.get(name);
    }
}
