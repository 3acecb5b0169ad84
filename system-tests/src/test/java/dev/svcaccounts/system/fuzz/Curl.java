package dev.svcaccounts.system.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * Prints a {@link WireRequest} as a bash command that sends the same bytes with curl, seeded values read from shell
 * variables ({@code $COMMAND}, {@code $QUERY}, {@code $WS}, {@code $ADMIN}... as {@code seed.sh} sets them). Long
 * runs of one character are written as {@code $(printf ...)} so that a 100,000-character field stays one line.
 */
public final class Curl {

    /** Runs at least this long are printed as a printf loop. */
    private static final int RUN = 24;

    private Curl() {
    }

    public static String command(WireRequest request) {
        List<String> words = new ArrayList<>();
        words.add("curl -sS -i --path-as-is -g");
        // curl -X HEAD would wait for a body that never comes
        words.add(request.method().equals("HEAD") ? "-I" : "-X " + request.method());
        words.add("\"$" + request.side().urlVariable() + "\"" + word(request.path()));
        boolean hasContentType = false;
        boolean hasAccept = false;
        for (WireRequest.Header header : request.headers()) {
            words.add("-H " + word(header.name() + ": " + header.value()));
            hasContentType |= header.name().equalsIgnoreCase("Content-Type");
            hasAccept |= header.name().equalsIgnoreCase("Accept");
        }
        if (!hasAccept) {
            words.add("-H 'Accept:'");
        }
        if (request.body() == null) {
            return String.join(" ", words);
        }
        if (!hasContentType) {
            words.add("-H 'Content-Type:'");
        }
        words.add("-H 'Expect:'");
        words.add("--data-binary @-");
        return bodyPrinter(request.body()) + " | " + String.join(" ", words);
    }

    /**
     * A shell word for {@code text}: characters 0-255 stand for bytes (header values are Latin-1 on the wire), and
     * {@code {{NAME}}} for the variable NAME.
     */
    static String word(String text) {
        StringBuilder out = new StringBuilder();
        Matcher ref = WireRequest.REF.matcher(text);
        int at = 0;
        while (ref.find()) {
            literal(text.substring(at, ref.start()), out);
            out.append("\"${").append(ref.group(1)).append("}\"");
            at = ref.end();
        }
        literal(text.substring(at), out);
        return out.length() == 0 ? "''" : out.toString();
    }

    private static void literal(String text, StringBuilder out) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int run = runLength(text, i);
            if (run >= RUN) {
                out.append("\"$(printf '%.0s").append(formatByte(c)).append("' $(seq 1 ").append(run).append("))\"");
                i += run;
            } else if (c >= 0x20 && c < 0x7F) {
                int end = i;
                while (end < text.length() && text.charAt(end) >= 0x20 && text.charAt(end) < 0x7F
                        && runLength(text, end) < RUN) {
                    end++;
                }
                out.append('\'').append(text.substring(i, end).replace("'", "'\\''")).append('\'');
                i = end;
            } else {
                out.append("$'\\x").append(String.format("%02x", c & 0xFF)).append('\'');
                i++;
            }
        }
    }

    private static int runLength(String text, int from) {
        int end = from;
        while (end < text.length() && text.charAt(end) == text.charAt(from)) {
            end++;
        }
        return end - from;
    }

    /**
     * printf commands that write exactly these bytes (NUL included), grouped when there are several; {@code {{NAME}}}
     * is written as the variable NAME.
     */
    static String bodyPrinter(byte[] body) {
        List<String> parts = new ArrayList<>();
        String latin1 = new String(body, StandardCharsets.ISO_8859_1);
        Matcher ref = WireRequest.REF.matcher(latin1);
        int at = 0;
        while (ref.find()) {
            bytePrinters(java.util.Arrays.copyOfRange(body, at, ref.start()), parts);
            parts.add("printf '%s' \"${" + ref.group(1) + "}\"");
            at = ref.end();
        }
        bytePrinters(java.util.Arrays.copyOfRange(body, at, body.length), parts);
        if (parts.isEmpty()) {
            parts.add("printf ''");
        }
        return parts.size() == 1 ? parts.get(0) : "{ " + String.join("; ", parts) + "; }";
    }

    private static void bytePrinters(byte[] body, List<String> parts) {
        StringBuilder format = new StringBuilder();
        int i = 0;
        while (i < body.length) {
            int run = 1;
            while (i + run < body.length && body[i + run] == body[i]) {
                run++;
            }
            if (run >= RUN) {
                if (format.length() > 0) {
                    parts.add("printf '" + format + "'");
                    format.setLength(0);
                }
                parts.add("printf '%.0s" + formatByte((char) (body[i] & 0xFF)) + "' $(seq 1 " + run + ")");
                i += run;
            } else {
                format.append(formatByte((char) (body[i] & 0xFF)));
                i++;
            }
        }
        if (format.length() > 0) {
            parts.add("printf '" + format + "'");
        }
    }

    /** One byte inside a single-quoted printf format. */
    private static String formatByte(char c) {
        if (c == '%') {
            return "%%";
        }
        if (c == '\\') {
            return "\\\\";
        }
        if (c == '\'') {
            return "'\\''";
        }
        if (c >= 0x20 && c < 0x7F) {
            return String.valueOf(c);
        }
        return String.format("\\%03o", c & 0xFF);
    }

    /** Bytes for a human: printable ASCII as is, the rest as \xHH, long runs as {@code a×5000}. */
    public static String visible(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean valid = java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes);
        if (valid) {
            return visible(text);
        }
        int i = 0;
        while (i < bytes.length) {
            int run = 1;
            while (i + run < bytes.length && bytes[i + run] == bytes[i]) {
                run++;
            }
            int b = bytes[i] & 0xFF;
            String one = b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b);
            out.append(run >= RUN ? one + "×" + run : one.repeat(run));
            i += run;
        }
        return out.toString();
    }

    /** Text for a human: control, format and non-ASCII characters as \\uXXXX, long runs as {@code a×5000}. */
    public static String visible(String text) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int run = runLength(text, i);
            char c = text.charAt(i);
            String one = c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c);
            out.append(run >= RUN ? one + "×" + run : one.repeat(run));
            i += run;
        }
        return out.toString();
    }
}
