package dev.svcaccounts.infra.web;

import dev.svcaccounts.refusals.DomainRuleException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request target (path and query string) as sent, checked before anything reads it, so that what Tomcat,
 * Spring and the audit trail make of it cannot differ, and nothing is silently dropped or replaced:
 * <ul>
 * <li>a path is canonical: no {@code ;} path parameters (not even encoded), no empty segment ({@code //}, a trailing
 * {@code /}), no {@code .} or {@code ..} segment, no percent-encoding of what needs none (letters, digits,
 * {@code -._~}), valid percent-encoding of UTF-8, no control character;</li>
 * <li>a query string is valid percent-encoding of UTF-8, each parameter named and given once, without control
 * characters.</li>
 * </ul>
 * Refused with 400 problems naming what is wrong; the refusal happens before authentication and is not recorded.
 */
final class RequestTarget {

    private RequestTarget() {
    }

    static void checkPath(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            throw invalidPath("The path must start with '/'.");
        }
        if (rawPath.indexOf(';') >= 0) {
            throw invalidPath("Path parameters (';') are not accepted.");
        }
        if (rawPath.equals("/")) {
            return;
        }
        for (int start = 1, end; start <= rawPath.length(); start = end + 1) {
            end = rawPath.indexOf('/', start);
            if (end < 0) {
                end = rawPath.length();
            }
            String segment = rawPath.substring(start, end);
            if (segment.isEmpty()) {
                throw invalidPath("The path has an empty segment ('//', or a '/' at its end).");
            }
            String decoded;
            try {
                decoded = decode(segment, false, true);
            } catch (Undecodable e) {
                throw invalidPath("The path " + e.getMessage() + ".");
            }
            if (decoded.equals(".") || decoded.equals("..")) {
                throw invalidPath("The path has a '.' or '..' segment.");
            }
            if (hasControlCharacter(decoded)) {
                throw invalidPath("The path contains a control character.");
            }
        }
    }

    /**
     * The query string's parameters, decoded, in order.
     *
     * @throws DomainRuleException 400 {@code invalid-parameter} naming the parameter
     */
    static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String name;
            try {
                name = decode(rawName, true, false);
            } catch (Undecodable e) {
                throw invalidParameter("The name of parameter '" + Text.forMessage(rawName) + "' "
                        + e.getMessage() + ".");
            }
            if (name.isEmpty()) {
                throw invalidParameter("The query string has a parameter without a name.");
            }
            String value;
            try {
                value = equals < 0 ? "" : decode(pair.substring(equals + 1), true, false);
            } catch (Undecodable e) {
                throw invalidParameter("Parameter '" + Text.forMessage(name) + "' " + e.getMessage() + ".");
            }
            if (hasControlCharacter(name) || hasControlCharacter(value)) {
                throw invalidParameter("Parameter '" + Text.forMessage(name) + "' contains a control character.");
            }
            if (parameters.putIfAbsent(name, value) != null) {
                throw invalidParameter("Parameter '" + Text.forMessage(name) + "' is given more than once.");
            }
        }
        return parameters;
    }

    /**
     * Whether the text has a control character ({@link Character#isISOControl}): all of them are in the Basic
     * Multilingual Plane and none is a surrogate, so char by char is code point by code point.
     */
    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Why a piece of the request target cannot be decoded, as the end of a sentence. */
    static final class Undecodable extends Exception {
        Undecodable(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Percent-decodes strictly as UTF-8. In a path ({@code canonical}), a percent-encoded character that must be sent
     * as itself (letters, digits, {@code -._~}) or not at all ({@code ; / \}) is refused too.
     */
    static String decode(String raw, boolean plusIsSpace, boolean canonical) throws Undecodable {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' || c >= 0x80) {
                return decodeBytes(raw, plusIsSpace, canonical);
            }
        }
        // ASCII without percent-encoding: its bytes decode to itself
        return plusIsSpace ? raw.replace('+', ' ') : raw;
    }

    /** {@link #decode}, byte by byte. */
    static String decodeBytes(String raw, boolean plusIsSpace, boolean canonical) throws Undecodable {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new Undecodable("has malformed percent-encoding");
                }
                int b = high << 4 | low;
                if (canonical && isUnreserved(b)) {
                    throw new Undecodable("percent-encodes '" + (char) b + "', which must be sent as itself");
                }
                if (canonical && (b == ';' || b == '/' || b == '\\')) {
                    throw new Undecodable("percent-encodes '" + (char) b + "', which is not accepted in a path");
                }
                bytes.write(b);
                i += 2;
            } else if (c >= 0x80) {
                throw new Undecodable("has a character that is not percent-encoded");
            } else {
                bytes.write(plusIsSpace && c == '+' ? ' ' : c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new Undecodable("percent-encodes bytes that are not UTF-8");
        }
    }

    private static boolean isUnreserved(int b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    private static DomainRuleException invalidPath(String detail) {
        return DomainRuleException.invalid("invalid-path", detail);
    }

    private static DomainRuleException invalidParameter(String detail) {
        return DomainRuleException.invalid("invalid-parameter", detail);
    }
}
