package dev.svcaccounts.infra.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        byte[] body = request.getInputStream().readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            throw new ErrorResponseException(HttpStatus.PAYLOAD_TOO_LARGE, Problems.of(HttpStatus.PAYLOAD_TOO_LARGE,
                    "content-too-large", "Payload Too Large",
                    "The request body is larger than " + MAX_BYTES / 1024 + " KiB."), null);
        }
        // as ISO-8859-1, every byte is one character: one that is not ASCII is refused as not percent-encoded
        return RequestTarget.parameters(new String(body, StandardCharsets.ISO_8859_1));
    }
}
