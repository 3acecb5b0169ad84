package dev.svcaccounts.infra.web;

/**
 * The {@code WWW-Authenticate} challenges of our 401s and 403s (RFC 6750 §3, RFC 7617). A request without a bearer
 * credential gets the bare challenge (§3.1: no error code when the request had no authentication); an invalid one
 * {@code invalid_token}, a forbidden one {@code insufficient_scope}, each with a description. RFC 6750 allows only
 * printable ASCII without {@code "} and {@code \} in a description, so those become {@code '} and {@code /}, and
 * anything else outside that range becomes {@code ?}, and a long one is cut: the header always parses and stays
 * small, and the problem body keeps the detail as it was.
 */
public final class Challenges {

    public static final String REALM = "svcaccounts";
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    /** The longest error_description a challenge carries. */
    static final int MAX_HEADER_DESCRIPTION = 300;

    private static final String BEARER = "Bearer realm=\"" + REALM + "\"";
    private static final String BASIC = "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"";

    private Challenges() {
    }

    /** No bearer credential was sent. */
    public static String bearer() {
        return BEARER;
    }

    /** The bearer credential sent is unknown, revoked, expired, or not valid for this request. */
    public static String invalidToken(String description) {
        return bearerError(INVALID_TOKEN, description);
    }

    /** The bearer credential is valid, but its principal may not do this (a 403). */
    public static String insufficientScope(String description) {
        return bearerError(INSUFFICIENT_SCOPE, description);
    }

    /** HTTP Basic, for the client authentication of {@code /v1/introspect} (RFC 6749 §2.3.1). */
    public static String basic() {
        return BASIC;
    }

    private static String bearerError(String error, String description) {
        return BEARER + ", error=\"" + error + "\", error_description=\"" + headerDescription(description) + "\"";
    }

    /**
     * {@link #description} cut at {@link #MAX_HEADER_DESCRIPTION} characters, marked with {@code ...}: a detail can
     * quote what the request sent (an id in the path), and a header that outgrows the container's response header
     * buffer turns the answer into an empty 500. The problem body keeps the whole detail.
     */
    static String headerDescription(String text) {
        String description = description(text);
        return description.length() <= MAX_HEADER_DESCRIPTION ? description
                : description.substring(0, MAX_HEADER_DESCRIPTION - 3) + "...";
    }

    /** Printable ASCII but {@code "} and {@code \}: RFC 6750 error_description (%x20-21 / %x23-5B / %x5D-7E). */
    public static String description(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '"' ? '\'' : c == '\\' ? '/' : c < 0x20 || c > 0x7e ? '?' : c);
        }
        return out.toString();
    }
}
