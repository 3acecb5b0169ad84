package dev.svcaccounts.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Both sides' HTTP APIs over HTTP/1.1 on plain blocking sockets ({@link HttpConnection}): each calling thread has
 * its own kept-alive connection to each side and does its own writing and reading, with no selector thread,
 * executors or futures, so the load generator takes little CPU from the servers it shares the cores with.
 * Connect timeout 5 s, read timeout 30 s. http:// only.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer and when it was sent and received ({@link System#nanoTime()}); status 0 when it failed. */
    record Reply(int status, String body, long sentNanos, long receivedNanos) {

        long nanos() {
            return receivedNanos - sentNanos;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("not JSON (status " + status + "): " + excerpt(), e);
            }
        }

        String excerpt() {
            return body.length() <= 300 ? body : body.substring(0, 300) + "...";
        }
    }

    /** BENCH_IDEMPOTENCY_KEYS=true: every command carries a fresh Idempotency-Key, to measure what keys cost. */
    private static final boolean IDEMPOTENCY_KEYS = Boolean.parseBoolean(System.getenv("BENCH_IDEMPOTENCY_KEYS"));

    private final HttpConnection.Endpoint command;
    private final HttpConnection.Endpoint query;
    /**
     * The calling thread's kept-alive connections, one per endpoint: a closed-loop client has one request in flight.
     */
    private final ThreadLocal<Map<HttpConnection.Endpoint, HttpConnection>> connections =
            ThreadLocal.withInitial(HashMap::new);

    Http(String commandUrl, String queryUrl) {
        this.command = HttpConnection.Endpoint.parse(commandUrl);
        this.query = HttpConnection.Endpoint.parse(queryUrl);
    }

    Reply command(String method, String path, String token, Object jsonBody) {
        return send(command, method, path, token, "application/json", jsonBody == null ? null : toJson(jsonBody),
                IDEMPOTENCY_KEYS ? UUID.randomUUID().toString() : null);
    }

    Reply query(String method, String path, String token) {
        return send(query, method, path, token, null, null, null);
    }

    /** POST /v1/introspect (RFC 7662) on the query side. */
    Reply introspect(String callerToken, String token) {
        return send(query, "POST", "/v1/introspect", callerToken, "application/x-www-form-urlencoded",
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), null);
    }

    /**
     * POST /v1/token (RFC 8693 token exchange) on the command side: no Authorization header, the JWT in the form is
     * the credential. {@code form}: the fields, URL-encoded here.
     */
    Reply exchange(Map<String, String> form) {
        StringBuilder body = new StringBuilder(1024);
        form.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return send(command, "POST", "/v1/token", null, "application/x-www-form-urlencoded", body.toString(), null);
    }

    /**
     * One request on the calling thread's connection to {@code endpoint}, opened when it has none. A connection
     * that fails is closed; when it had served earlier requests and failed before any byte of the answer came (the
     * server closed it while it was idle), the request is sent once more on a fresh connection.
     */
    private Reply send(HttpConnection.Endpoint endpoint, String method, String path, String token,
                       String contentType, String body, String idempotencyKey) {
        byte[] request = request(endpoint, method, path, token, contentType, body, idempotencyKey);
        boolean head = method.equals("HEAD");
        Map<HttpConnection.Endpoint, HttpConnection> mine = connections.get();
        long sent = System.nanoTime();
        try {
            HttpConnection connection = mine.get(endpoint);
            if (connection == null) {
                connection = open(mine, endpoint);
            }
            sent = System.nanoTime();
            HttpConnection.Response response;
            try {
                response = connection.exchange(request, head);
            } catch (IOException e) {
                close(mine, endpoint);
                if (!connection.reused() || connection.answerStarted() || e instanceof SocketTimeoutException) {
                    throw e;
                }
                response = open(mine, endpoint).exchange(request, head);
            }
            if (!response.keepAlive()) {
                close(mine, endpoint);
            }
            return new Reply(response.status(), response.body(), sent, System.nanoTime());
        } catch (IOException e) {
            close(mine, endpoint);
            return new Reply(0, method + " " + path + " failed: " + e, sent, System.nanoTime());
        }
    }

    private static HttpConnection open(Map<HttpConnection.Endpoint, HttpConnection> mine,
                                       HttpConnection.Endpoint endpoint) throws IOException {
        HttpConnection connection = HttpConnection.open(endpoint);
        mine.put(endpoint, connection);
        return connection;
    }

    private static void close(Map<HttpConnection.Endpoint, HttpConnection> mine, HttpConnection.Endpoint endpoint) {
        HttpConnection connection = mine.remove(endpoint);
        if (connection != null) {
            connection.close();
        }
    }

    /** The request line, the headers and the body, in one array for one write. */
    private static byte[] request(HttpConnection.Endpoint endpoint, String method, String path, String token,
                                  String contentType, String body, String idempotencyKey) {
        String target = endpoint.basePath() + (path.startsWith("/") ? path : "/" + path);
        requireVisibleAscii("method", method);
        requireVisibleAscii("path", target);
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        header(head, "Host", endpoint.authority());
        if (token != null) {
            header(head, "Authorization", "Bearer " + token);
        }
        header(head, "Accept", "application/json, application/problem+json");
        header(head, "User-Agent", "svcaccounts-bench");
        if (idempotencyKey != null) {
            header(head, "Idempotency-Key", idempotencyKey);
        }
        if (body != null && contentType != null) {
            header(head, "Content-Type", contentType);
        }
        if (body != null || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            header(head, "Content-Length", Integer.toString(content.length));
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + content.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return request;
    }

    private static void header(StringBuilder head, String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                throw new IllegalArgumentException("not a valid " + name + " header value: " + value);
            }
        }
        head.append(name).append(": ").append(value).append("\r\n");
    }

    private static void requireVisibleAscii(String what, String text) {
        if (text.isEmpty() || text.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            throw new IllegalArgumentException("not a valid request " + what + ": " + text);
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
