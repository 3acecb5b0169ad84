package dev.svcaccounts.infra.idempotency;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What makes two requests "the same request" for a key: the method, the path as sent (with its query), and the
 * body as a JSON value, so that whitespace and the order of an object's members do not matter but every value
 * does. A body that is not one JSON value (empty, malformed, duplicate members) counts byte for byte. Headers do
 * not count: a retry with another {@code X-Request-Id} or {@code X-Audit-Reason} is the same request.
 */
public final class Fingerprint {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Fingerprint() {
    }

    /** SHA-256 of the method, the path and query, and the canonical body. */
    public static byte[] of(String method, String pathAndQuery, byte[] body) {
        MessageDigest digest = sha256();
        digest.update(method.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(pathAndQuery.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(canonical(body));
        return digest.digest();
    }

    /** The body as canonical JSON (members sorted by name, no insignificant whitespace), or as sent. */
    static byte[] canonical(byte[] body) {
        try (JsonParser parser = STRICT.createParser(body)) {
            JsonNode value = STRICT.readTree(parser);
            if (value == null || value.isMissingNode()) {
                return raw(body);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1);
            out.write('j');
            try (JsonGenerator generator = STRICT.createGenerator(out)) {
                write(value, generator);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException notOneJsonValue) {
            // malformed, duplicate members, trailing data, text JSON cannot encode (a lone surrogate)...
            return raw(body);
        }
    }

    /** A raw body is tagged so that it can never equal a canonical one. */
    private static byte[] raw(byte[] body) {
        byte[] tagged = new byte[body.length + 1];
        tagged[0] = 'r';
        System.arraycopy(body, 0, tagged, 1, body.length);
        return tagged;
    }

    private static void write(JsonNode node, JsonGenerator generator) throws IOException {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            generator.writeStartObject();
            for (String name : names) {
                generator.writeFieldName(name);
                write(node.get(name), generator);
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                write(element, generator);
            }
            generator.writeEndArray();
        } else {
            generator.writeTree(node);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
