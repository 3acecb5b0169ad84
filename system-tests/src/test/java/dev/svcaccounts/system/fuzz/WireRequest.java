package dev.svcaccounts.system.fuzz;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request exactly as it is sent, except that seeded values are still named ({@code {{WS}}}, {@code {{ADMIN}}}):
 * {@link #resolve} fills them in for sending, {@link Curl} prints them as shell variables.
 *
 * @param path the raw path and query string, percent-encoded as sent
 * @param body the body's bytes, or null for none
 */
public record WireRequest(Side side, String method, String path, List<Header> headers, byte[] body) {

    public static final Pattern REF = Pattern.compile("\\{\\{([A-Z_]+)}}");

    public record Header(String name, String value) {
    }

    /** {@code text} with every {@code {{NAME}}} replaced by the seeded value. */
    public static String resolve(String text, Map<String, String> values) {
        Matcher matcher = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("nothing seeded as " + matcher.group(1));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Does the path name this seeded value (say {@code WS})? */
    public boolean pathNames(String ref) {
        return path.contains(FuzzSeed.ref(ref));
    }

    public boolean pathNamesAnyStartingWith(String prefix) {
        Matcher matcher = REF.matcher(path);
        while (matcher.find()) {
            if (matcher.group(1).startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
