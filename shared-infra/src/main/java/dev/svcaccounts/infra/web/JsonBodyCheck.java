package dev.svcaccounts.infra.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.svcaccounts.refusals.DomainRuleException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Every JSON request body, before it is bound: at most {@value #MAX_BYTES} bytes (413), UTF-8 as RFC 8259 requires
 * (a charset other than UTF-8: 415; bytes that are not UTF-8: 400), and no string or key holding a UTF-16 surrogate
 * without its pair ({@code "\ud800"}), which no database or UTF-8 text can hold: 400 naming the field, instead of
 * a {@code ?} stored in its place.
 */
@ControllerAdvice
class JsonBodyCheck extends RequestBodyAdviceAdapter {

    static final int MAX_BYTES = 64 * 1024;

    private final ObjectMapper objectMapper;

    JsonBodyCheck(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJackson2HttpMessageConverter.class.isAssignableFrom(converterType);
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        MediaType contentType = input.getHeaders().getContentType();
        if (contentType != null && contentType.getCharset() != null
                && !contentType.getCharset().equals(StandardCharsets.UTF_8)) {
            throw refusal(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "JSON bodies are UTF-8 (RFC 8259): send charset=utf-8, or no charset.");
        }
        byte[] body = readAtMost(input.getBody(), MAX_BYTES);
        checkUtf8(body);
        checkStrings(body);
        HttpHeaders headers = input.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    private static byte[] readAtMost(InputStream in, int max) throws IOException {
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) {
            throw refusal(HttpStatus.PAYLOAD_TOO_LARGE, "content-too-large",
                    "The request body is larger than " + max / 1024 + " KiB.");
        }
        return body;
    }

    private static void checkUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                throw DomainRuleException.invalid("malformed-request",
                        "The body is not UTF-8: invalid bytes at offset " + in.position() + ".");
            }
            if (result.isUnderflow()) {
                return;
            }
            out.clear();
        }
    }

    /** Every key and string value, with the path of each; a body that is not JSON is left to the converter. */
    private void checkStrings(byte[] body) throws IOException {
        try (JsonParser parser = objectMapper.getFactory().createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                // the text checked first: the names and paths a refusal needs are built only for one
                if (token == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    int at = Text.unpairedSurrogate(name);
                    if (at >= 0) {
                        JsonStreamContext key = parser.getParsingContext();
                        throw loneSurrogate(name, at, "Key '" + Text.forMessage(name) + "'" + parentOf(key),
                                path(key));
                    }
                } else if (token == JsonToken.VALUE_STRING) {
                    String text = parser.getText();
                    int at = Text.unpairedSurrogate(text);
                    if (at >= 0) {
                        String field = path(parser.getParsingContext());
                        throw loneSurrogate(text, at, field.isEmpty() ? "The body" : "Field '" + field + "'", field);
                    }
                }
            }
        } catch (JsonProcessingException notJson) {
            // the converter reads it again and says what is wrong, as for any malformed body
        }
    }

    private static DomainRuleException loneSurrogate(String text, int at, String what, String field) {
        String message = "contains a UTF-16 surrogate without its pair (\\u"
                + String.format("%04x", (int) text.charAt(at)) + " at character " + at
                + "), which cannot be stored as sent";
        return DomainRuleException.invalid("invalid-field", what + " " + message + ".")
                .with("errors", List.of(Map.of("field", field, "message", message)));
    }

    private static String parentOf(JsonStreamContext context) {
        String parent = path(context.getParent());
        return parent.isEmpty() ? "" : " in '" + parent + "'";
    }

    /** The field a parsing context is at, as problem documents name fields: {@code admin.username}, {@code a[0]}. */
    private static String path(JsonStreamContext context) {
        Deque<String> segments = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.addFirst("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                segments.addFirst(c.getCurrentName());
            }
        }
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            if (path.length() > 0 && !segment.startsWith("[")) {
                path.append('.');
            }
            path.append(segment);
        }
        // a key may be what is wrong: never put a lone surrogate into the problem document
        return Text.printable(path.toString());
    }

    private static ErrorResponseException refusal(HttpStatus status, String code, String detail) {
        return new ErrorResponseException(status, Problems.of(status, code, status.getReasonPhrase(), detail), null);
    }
}
