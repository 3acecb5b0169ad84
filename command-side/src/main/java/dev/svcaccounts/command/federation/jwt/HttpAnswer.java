package dev.svcaccounts.command.federation.jwt;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.x answer as {@link PinnedHttpGet} reads it: the status, the headers (names in lower case, repeated ones
 * joined with commas) and, for a 200, the body (by Content-Length, in chunks, or up to the end of the connection),
 * refused past a size.
 */
record HttpAnswer(int status, Map<String, String> headers, byte[] body) {

    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    static final class TooLargeException extends IOException {
        TooLargeException() {
            super("too large", null);
        }
    }

    /** A header's value; null when absent. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    static HttpAnswer read(InputStream in, int maxBody) throws IOException {
        int status;
        Map<String, String> headers;
        do {
            status = statusOf(readLine(in));
            headers = readHeaders(in);
        } while (status >= 100 && status < 200);
        byte[] body = status == 200 ? readBody(in, headers, maxBody) : new byte[0];
        return new HttpAnswer(status, headers, body);
    }

    private static int statusOf(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("not an HTTP answer");
        }
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int bytes = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            bytes += line.length();
            int colon = line.indexOf(':');
            if (bytes > MAX_HEADER_BYTES || colon <= 0) {
                throw new IOException("bad headers");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (first, next) -> first + ", " + next);
        }
        return headers;
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers, int maxBody) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String transferEncoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        String contentLength = headers.get("content-length");
        if (transferEncoding.contains("chunked")) {
            for (long size = chunkSize(readLine(in)); size > 0; size = chunkSize(readLine(in))) {
                copy(in, body, size, maxBody);
                readLine(in);
            }
        } else if (contentLength != null) {
            copy(in, body, lengthOf(contentLength), maxBody);
        } else {
            copy(in, body, -1, maxBody);
        }
        return body.toByteArray();
    }

    private static long lengthOf(String contentLength) throws IOException {
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length");
        }
    }

    private static long chunkSize(String line) throws IOException {
        int extension = line.indexOf(';');
        try {
            return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("bad chunk");
        }
    }

    /** {@code length} bytes, or (when negative) up to the end of the stream. */
    private static void copy(InputStream in, ByteArrayOutputStream body, long length, int maxBody)
            throws IOException {
        if (length > maxBody - body.size()) {
            throw new TooLargeException();
        }
        byte[] buffer = new byte[8192];
        long left = length < 0 ? Long.MAX_VALUE : length;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                if (length < 0) {
                    return;
                }
                throw new EOFException("answer cut short");
            }
            if (body.size() + read > maxBody) {
                throw new TooLargeException();
            }
            body.write(buffer, 0, read);
            left -= read;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int next = in.read(); next != '\n'; next = in.read()) {
            if (next < 0) {
                throw new EOFException("connection closed");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("line too long");
            }
            line.write(next);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
