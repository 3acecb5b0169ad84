package dev.svcaccounts.system.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.net.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** What came back: status, headers and the body, parsed as JSON on demand. */
public record Response(String method, String uri, int status, HttpHeaders headers, String body) {

    /** Every problem type of the API starts with this; the rest is the problem's code. */
    public static final String PROBLEM_TYPE_PREFIX = "urn:svcaccounts:problem:";

    public JsonNode json() {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return Api.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError(describe() + ": body is not JSON", e);
        }
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    public String contentType() {
        return header("Content-Type");
    }

    public boolean isProblem() {
        String type = contentType();
        return type != null && type.startsWith("application/problem+json");
    }

    /** The problem document's {@code detail}, or null. */
    public String detail() {
        JsonNode detail = json().path("detail");
        return detail.isTextual() ? detail.asText() : null;
    }

    /** The problem's code: its type without the prefix {@value #PROBLEM_TYPE_PREFIX}; "" when it has no type. */
    public String problemCode() {
        String type = json().path("type").asText("");
        return type.startsWith(PROBLEM_TYPE_PREFIX) ? type.substring(PROBLEM_TYPE_PREFIX.length()) : type;
    }

    /**
     * Fails unless this is an {@code application/problem+json} answer with status {@code expected}, the type of
     * problem {@code code} and a detail.
     */
    public Response expectProblem(int expected, String code) {
        assertThat(status).as(toString()).isEqualTo(expected);
        assertThat(isProblem()).as(this + " is problem+json").isTrue();
        assertThat(json().path("type").asText()).as(toString()).isEqualTo(PROBLEM_TYPE_PREFIX + code);
        assertThat(detail()).as(toString()).isNotBlank();
        return this;
    }

    /**
     * Fails unless this is an OAuth error response of {@code /v1/introspect} (RFC 6749 §5.2) that is also our problem
     * document: {@code application/json} (what OAuth libraries read), OAuth's {@code error} and
     * {@code error_description}, and the problem's type, title, status and detail.
     */
    public Response expectOAuthError(int expected, String code, String error) {
        assertThat(status).as(toString()).isEqualTo(expected);
        assertThat(contentType()).as(this + " is application/json").startsWith("application/json");
        JsonNode body = json();
        assertThat(body.path("error").asText()).as(toString()).isEqualTo(error);
        assertThat(body.path("error_description").asText()).as(toString()).isNotBlank();
        assertThat(body.path("type").asText()).as(toString()).isEqualTo(PROBLEM_TYPE_PREFIX + code);
        assertThat(body.path("title").asText()).as(toString()).isNotBlank();
        assertThat(body.path("status").asInt()).as(toString()).isEqualTo(expected);
        assertThat(detail()).as(toString()).isNotBlank();
        return this;
    }

    /** Fails unless the status is {@code expected}; the message carries the body (error bodies hold no secret). */
    public Response expect(int expected) {
        if (status != expected) {
            throw new AssertionError("expected " + expected + " from " + method + " " + uri + " but got " + status
                    + (status >= 400 ? ": " + body : ""));
        }
        return this;
    }

    public String describe() {
        return method + " " + uri + " -> " + status;
    }

    @Override
    public String toString() {
        // never the body of a success: it may hold a token secret
        return describe() + (status >= 400 ? " " + body : "");
    }
}
