package dev.svcaccounts.system.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A field's value as it goes on the wire: text (escaped as JSON or percent-encoded as the body's format needs,
 * lone surrogates included, which no encoder would produce), a raw JSON fragment ({@code 42}, {@code null},
 * {@code [1]}), or raw bytes between the quotes of a JSON string (invalid UTF-8).
 */
public sealed interface Value {

    record Text(String text) implements Value {
    }

    record Json(String raw) implements Value {
    }

    record Bytes(byte[] insideQuotes) implements Value {
    }

    static Value text(String text) {
        return new Text(text);
    }

    static Value json(String raw) {
        return new Json(raw);
    }

    static Value bytes(byte... insideQuotes) {
        return new Bytes(insideQuotes);
    }

    /** The value inside a JSON document. */
    default byte[] json() {
        if (this instanceof Text t) {
            return quoted(t.text());
        }
        if (this instanceof Json j) {
            return j.raw().getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('"');
        out.writeBytes(((Bytes) this).insideQuotes());
        out.write('"');
        return out.toByteArray();
    }

    /** The value in a form body or a query string, percent-encoded. */
    default String formEncoded() {
        if (this instanceof Text t) {
            // {{NAME}} stays as it is, to be filled in when sent
            java.util.regex.Matcher ref = WireRequest.REF.matcher(t.text());
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (ref.find()) {
                out.append(percentEncode(utf8(t.text().substring(at, ref.start())))).append(ref.group());
                at = ref.end();
            }
            return out.append(percentEncode(utf8(t.text().substring(at)))).toString();
        }
        if (this instanceof Json j) {
            return percentEncode(utf8(j.raw()));
        }
        return percentEncode(((Bytes) this).insideQuotes());
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped, lone surrogates as \\uXXXX. */
    static byte[] quoted(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairStart = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairStart) {
                out.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c) || c < 0x20) {
                out.writeBytes(String.format("\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII));
            } else if (c == '"' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        out.write('"');
        return out.toByteArray();
    }

    /**
     * UTF-8, except that a lone surrogate becomes its three-byte form (ED A0 80 for U+D800): invalid UTF-8, as a
     * careless client would send it, where Java's encoder would silently send "?".
     */
    static byte[] utf8(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** Every byte but unreserved ASCII as %XX. */
    static String percentEncode(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** The text a request sent for the field, when it was valid text: what a stored copy must equal. */
    default String sentText() {
        return this instanceof Text t && isValidUnicode(t.text()) ? t.text() : null;
    }

    static boolean isValidUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    default String describe() {
        if (this instanceof Text t) {
            return Curl.visible(quoted(t.text()));
        }
        if (this instanceof Json j) {
            return Curl.visible(j.raw().getBytes(StandardCharsets.UTF_8));
        }
        return "\"" + Curl.visible(((Bytes) this).insideQuotes()) + "\"";
    }
}
