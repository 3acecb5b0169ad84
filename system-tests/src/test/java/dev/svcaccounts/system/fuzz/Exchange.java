package dev.svcaccounts.system.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.svcaccounts.system.support.Api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Sends {@link WireRequest}s to the two applications and returns what came back (or that nothing did). */
public final class Exchange {

    /** A request that has no answer after this long is a failure of its own. */
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String commandUrl;
    private final String queryUrl;

    public Exchange(String commandUrl, String queryUrl) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
    }

    /**
     * The answer: status, headers and body, or {@code failure} (a reset connection, a timeout) with status 0.
     * A body that is not JSON has {@code json} null.
     */
    public record Answer(int status, HttpHeaders headers, String body, String failure, long millis) {

        public String contentType() {
            return headers == null ? null : headers.firstValue("Content-Type").orElse(null);
        }

        public JsonNode json() {
            try {
                return body == null || body.isBlank() ? null : Api.JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        public String summary() {
            if (failure != null) {
                return "no answer: " + failure;
            }
            // never a token's secret: a success may carry one
            String text = body == null ? ""
                    : body.replaceAll("\"secret\"\\s*:\\s*\"[^\"]*\"", "\"secret\":\"(redacted)\"");
            return status + " " + (contentType() == null ? "(no Content-Type)" : contentType()) + " "
                    + Curl.visible(text.length() > 400 ? text.substring(0, 400) + "..." : text);
        }
    }

    public Answer send(WireRequest request, Map<String, String> values) {
        String base = request.side() == Side.COMMAND ? commandUrl : queryUrl;
        String path = WireRequest.resolve(request.path(), values);
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException notAUri) {
            return sendRaw(base, path, request, values);
        }
        byte[] bytes = resolveBody(request.body(), values);
        HttpRequest.BodyPublisher body = bytes == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(request.method(), body);
        request.headers().forEach(h -> builder.header(h.name(), WireRequest.resolve(h.value(), values)));
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers(),
                    new String(response.body(), StandardCharsets.UTF_8), null, millisSince(started));
        } catch (IOException e) {
            // Java's client reports a server that answers early and closes (Tomcat after too large a header, while
            // the body is still being sent) as no answer at all: a socket that reads after a failed write does not
            return sendRaw(base, path, request, values);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What Java's client cannot send (a path that is not a URI: {@code %zz}, a lone {@code %}), a socket does. */
    private static Answer sendRaw(String base, String path, WireRequest request, Map<String, String> values) {
        java.util.List<WireRequest.Header> headers = request.headers().stream()
                .map(h -> new WireRequest.Header(h.name(), WireRequest.resolve(h.value(), values))).toList();
        long started = System.nanoTime();
        try {
            return RawHttp.send(base, request.method(), path, headers, resolveBody(request.body(), values),
                    (int) TIMEOUT.toMillis());
        } catch (IOException e) {
            return new Answer(0, null, null, e.toString(), millisSince(started));
        }
    }

    /** The body with {@code {{NAME}}} filled in; every other byte as it was. */
    static byte[] resolveBody(byte[] body, Map<String, String> values) {
        if (body == null) {
            return null;
        }
        String bytes = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1);
        return bytes.contains("{{") ? WireRequest.resolve(bytes, values).getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1) : body;
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
