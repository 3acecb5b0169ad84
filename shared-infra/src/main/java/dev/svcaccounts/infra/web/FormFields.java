package dev.svcaccounts.infra.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body read as strictly as a query string ({@link RequestTarget}):
 * malformed percent-encoding, bytes that are not UTF-8, control characters and a field given twice are refused
 * (400 naming the field) instead of being dropped or merged, as the servlet container's own form parsing would.
 * Read it before anything asks the request for its parameters.
 */
public final class FormFields {

    static final int MAX_BYTES = 64 * 1024;

    private FormFields() {
    }

    public static Map<String, String> read(HttpServletRequest request) throws IOException {
        byte[] body = body(request.getInputStream(), request.getContentLengthLong());
        if (body.length > MAX_BYTES) {
            throw new ErrorResponseException(HttpStatus.PAYLOAD_TOO_LARGE, Problems.of(HttpStatus.PAYLOAD_TOO_LARGE,
                    "content-too-large", "Payload Too Large",
                    "The request body is larger than " + MAX_BYTES / 1024 + " KiB."), null);
        }
        // as ISO-8859-1, every byte is one character: one that is not ASCII is refused as not percent-encoded
        return RequestTarget.parameters(new String(body, StandardCharsets.ISO_8859_1));
    }

    /**
     * The body, or its first {@code MAX_BYTES + 1} bytes. Read into an array of the declared length when there is one
     * (the usual form of a few hundred bytes): {@code readNBytes(MAX_BYTES + 1)} allocates 8 KiB buffers and a copy,
     * a fifth of what an introspection allocated.
     */
    static byte[] body(InputStream in, long declaredLength) throws IOException {
        if (declaredLength < 0 || declaredLength > MAX_BYTES) {
            return in.readNBytes(MAX_BYTES + 1);
        }
        byte[] body = new byte[(int) declaredLength];
        int read = in.readNBytes(body, 0, body.length);
        if (read < body.length) {
            return Arrays.copyOf(body, read);
        }
        int next = in.read();
        if (next < 0) {
            return body;
        }
        // longer than declared (the container ends the stream at the declared length): read on as without one
        byte[] rest = in.readNBytes(MAX_BYTES - body.length);
        byte[] all = Arrays.copyOf(body, body.length + 1 + rest.length);
        all[body.length] = (byte) next;
        System.arraycopy(rest, 0, all, body.length + 1, rest.length);
        return all;
    }
}
