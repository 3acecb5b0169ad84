package dev.svcaccounts.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Both sides' HTTP APIs through one {@link HttpClient} (HTTP/1.1, kept-alive connections shared by all threads). */
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

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String commandUrl;
    private final String queryUrl;

    Http(String commandUrl, String queryUrl) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
    }

    Reply command(String method, String path, String token, Object jsonBody) {
        return send(commandUrl, method, path, token, "application/json", jsonBody == null ? null : toJson(jsonBody));
    }

    Reply query(String method, String path, String token) {
        return send(queryUrl, method, path, token, null, null);
    }

    /** POST /v1/introspect (RFC 7662) on the query side. */
    Reply introspect(String callerToken, String token) {
        return send(queryUrl, "POST", "/v1/introspect", callerToken, "application/x-www-form-urlencoded",
                "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    private Reply send(String base, String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "svcaccounts-bench")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body(), sent, System.nanoTime());
        } catch (IOException e) {
            return new Reply(0, method + " " + path + " failed: " + e, sent, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, "interrupted", sent, System.nanoTime());
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
