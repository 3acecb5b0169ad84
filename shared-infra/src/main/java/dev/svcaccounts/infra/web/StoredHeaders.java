package dev.svcaccounts.infra.web;

import dev.svcaccounts.refusals.DomainRuleException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.regex.Pattern;

/**
 * The request headers the audit trail stores ({@code X-Audit-Reason}, {@code User-Agent}), read as UTF-8 and stored
 * exactly as sent, or refused with 400 naming the header ({@code invalid-audit-reason}, {@code invalid-header}):
 * sent more than once, not UTF-8, too long, with control or invisible formatting characters or whitespace at either
 * end. (The servlet container
 * hands header values over byte for byte as ISO-8859-1 characters; they are decoded here.) An empty header is an
 * absent one. The correlation id ({@code X-Request-Id}, {@code X-Correlation-Id}) is checked by
 * {@link RequestIdFilter}.
 */
public final class StoredHeaders {

    public static final String REASON = "X-Audit-Reason";
    static final int MAX_REASON_LENGTH = 500;
    static final int MAX_USER_AGENT_LENGTH = 512;
    private static final Pattern VISIBLE_TEXT = Pattern.compile(Text.VISIBLE_TEXT);

    private StoredHeaders() {
    }

    /** Refuses the request unless every stored header is acceptable. */
    static void check(HttpServletRequest request) {
        reason(request);
        userAgent(request);
    }

    /** The X-Audit-Reason header; null when absent or empty. */
    public static String reason(HttpServletRequest request) {
        return read(request, REASON, MAX_REASON_LENGTH);
    }

    /** The User-Agent header; null when absent or empty. */
    public static String userAgent(HttpServletRequest request) {
        return read(request, HttpHeaders.USER_AGENT, MAX_USER_AGENT_LENGTH);
    }

    private static String read(HttpServletRequest request, String header, int maxLength) {
        Enumeration<String> values = request.getHeaders(header);
        if (!values.hasMoreElements()) {
            return null;
        }
        String sent = values.nextElement();
        if (values.hasMoreElements()) {
            throw invalid(header, "is sent more than once");
        }
        String value = utf8(header, sent);
        if (value.isEmpty()) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            throw invalid(header, "is longer than " + maxLength + " characters");
        }
        if (!isVisibleText(value)) {
            throw invalid(header, Text.OPTIONAL_TEXT_MESSAGE);
        }
        return value;
    }

    /**
     * Whether the text matches {@link Text#VISIBLE_TEXT}. Printable ASCII (space to {@code ~}) is none of its
     * invisible characters, and its only whitespace is the space: such text matches when it does not start or end
     * with a space, told without the regular expression (a User-Agent is such text, sent with nearly every request).
     */
    static boolean isVisibleText(String value) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < ' ' || c > '~') {
                return VISIBLE_TEXT.matcher(value).matches();
            }
        }
        return length > 0 && value.charAt(0) != ' ' && value.charAt(length - 1) != ' ';
    }

    private static String utf8(String header, String latin1) {
        if (isAscii(latin1)) {
            return latin1; // ASCII bytes are their own UTF-8
        }
        byte[] bytes = new byte[latin1.length()];
        for (int i = 0; i < latin1.length(); i++) {
            char c = latin1.charAt(i);
            if (c > 0xff) {
                throw invalid(header, "is not UTF-8");
            }
            bytes[i] = (byte) c;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw invalid(header, "is not UTF-8");
        }
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static DomainRuleException invalid(String header, String why) {
        // the reason's code predates the others'
        return DomainRuleException.invalid(header.equals(REASON) ? "invalid-audit-reason" : "invalid-header",
                "Header " + header + " " + why + ".");
    }
}
