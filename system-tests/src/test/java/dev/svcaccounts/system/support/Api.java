package dev.svcaccounts.system.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A small client of both sides' HTTP APIs. {@link #command}/{@link #query} build any request; the named methods
 * are the common happy paths and fail the test unless the documented status comes back.
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String commandUrl;
    private final String queryUrl;
    private final String operatorToken;

    public Api(String commandUrl, String queryUrl, String operatorToken) {
        this.commandUrl = commandUrl;
        this.queryUrl = queryUrl;
        this.operatorToken = operatorToken;
    }

    public String operatorToken() {
        return operatorToken;
    }

    public Request command(String method, String path) {
        return new Request(commandUrl, method, path);
    }

    public Request query(String method, String path) {
        if (queryUrl == null) {
            throw new IllegalStateException("the query side is not running");
        }
        return new Request(queryUrl, method, path);
    }

    public static String serviceAccounts(String ws) {
        return "/v1/workspaces/" + ws + "/service-accounts";
    }

    public static String serviceAccount(String ws, String id) {
        return serviceAccounts(ws) + "/" + id;
    }

    public static String tokens(String ws, String id) {
        return serviceAccount(ws, id) + "/tokens";
    }

    public static String federationRules(String ws, String id) {
        return serviceAccount(ws, id) + "/federation-rules";
    }

    public static String audit(String ws) {
        return "/v1/workspaces/" + ws + "/audit";
    }

    public static String members(String ws) {
        return "/v1/workspaces/" + ws + "/members";
    }

    public static String member(String ws, String username) {
        return members(ws) + "/" + username;
    }

    public static String memberTokens(String ws, String username) {
        return member(ws, username) + "/tokens";
    }

    public static String projects(String ws) {
        return "/v1/workspaces/" + ws + "/projects";
    }

    public static String project(String ws, String key) {
        return projects(ws) + "/" + key;
    }

    /** {@code .../projects/{key}/service-accounts}: the accounts assigned to the project. */
    public static String projectServiceAccounts(String ws, String key) {
        return project(ws, key) + "/service-accounts";
    }

    public static String projectServiceAccount(String ws, String key, String serviceAccountId) {
        return projectServiceAccounts(ws, key) + "/" + serviceAccountId;
    }

    /** {@code .../projects/{key}/members}: the users assigned to the project. */
    public static String projectMembers(String ws, String key) {
        return project(ws, key) + "/members";
    }

    public static String projectMember(String ws, String key, String username) {
        return projectMembers(ws, key) + "/" + username;
    }

    public static String projectAccess(String ws, String key) {
        return project(ws, key) + "/access";
    }

    // ------------------------------------------------------------------ command side, happy paths

    /** POST /v1/workspaces as the operator; the body holds the admin's token (secret included). */
    public JsonNode createWorkspace(String id, String adminUsername) {
        return command("POST", "/v1/workspaces").token(operatorToken)
                .json(Map.of("id", id, "name", "Workspace " + id, "admin", Map.of("username", adminUsername)))
                .send().expect(201).json();
    }

    public JsonNode createServiceAccount(String ws, String adminToken, String name) {
        return createServiceAccount(ws, adminToken, name, null);
    }

    public JsonNode createServiceAccount(String ws, String adminToken, String name, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (description != null) {
            body.put("description", description);
        }
        return command("POST", serviceAccounts(ws)).token(adminToken).json(body).send().expect(201).json();
    }

    public JsonNode updateServiceAccount(String ws, String adminToken, String id, Map<String, Object> changes) {
        return command("PATCH", serviceAccount(ws, id)).token(adminToken).json(changes).send().expect(200).json();
    }

    public JsonNode rename(String ws, String adminToken, String id, String name) {
        return updateServiceAccount(ws, adminToken, id, Map.of("name", name));
    }

    public JsonNode deactivate(String ws, String adminToken, String id) {
        return command("POST", serviceAccount(ws, id) + "/deactivate").token(adminToken).send().expect(200).json();
    }

    public JsonNode reactivate(String ws, String adminToken, String id) {
        return command("POST", serviceAccount(ws, id) + "/reactivate").token(adminToken).send().expect(200).json();
    }

    public void delete(String ws, String adminToken, String id) {
        command("DELETE", serviceAccount(ws, id)).token(adminToken).send().expect(204);
    }

    public JsonNode issueToken(String ws, String adminToken, String id) {
        return command("POST", tokens(ws, id)).token(adminToken).send().expect(201).json();
    }

    public JsonNode issueToken(String ws, String adminToken, String id, Map<String, Object> body) {
        return command("POST", tokens(ws, id)).token(adminToken).json(body).send().expect(201).json();
    }

    public void revokeToken(String ws, String adminToken, String id, String tokenId) {
        command("DELETE", tokens(ws, id) + "/" + tokenId).token(adminToken).send().expect(204);
    }

    /** POST .../federation-rules: the rule as recorded, with its ruleId. */
    public JsonNode addFederationRule(String ws, String adminToken, String id, Map<String, Object> rule) {
        return command("POST", federationRules(ws, id)).token(adminToken).json(rule).send().expect(201).json();
    }

    public void removeFederationRule(String ws, String adminToken, String id, String ruleId) {
        command("DELETE", federationRules(ws, id) + "/" + ruleId).token(adminToken).send().expect(204);
    }

    // ------------------------------------------------------------------ members and projects, happy paths

    /** POST .../members; the body holds the new user's first token (secret included). */
    public JsonNode addMember(String ws, String adminToken, String username, String role) {
        return command("POST", members(ws)).token(adminToken).json(Map.of("username", username, "role", role))
                .send().expect(201).json();
    }

    public JsonNode changeMemberRole(String ws, String adminToken, String username, String role) {
        return command("PATCH", member(ws, username)).token(adminToken).json(Map.of("role", role))
                .send().expect(200).json();
    }

    public void removeMember(String ws, String adminToken, String username) {
        command("DELETE", member(ws, username)).token(adminToken).send().expect(204);
    }

    public JsonNode issueMemberToken(String ws, String token, String username) {
        return command("POST", memberTokens(ws, username)).token(token).send().expect(201).json();
    }

    public void revokeMemberToken(String ws, String token, String username, String tokenId) {
        command("DELETE", memberTokens(ws, username) + "/" + tokenId).token(token).send().expect(204);
    }

    public JsonNode createProject(String ws, String token, String key, String visibility) {
        return command("POST", projects(ws)).token(token)
                .json(Map.of("key", key, "name", "Project " + key, "visibility", visibility))
                .send().expect(201).json();
    }

    public JsonNode updateProject(String ws, String token, String key, Map<String, Object> changes) {
        return command("PATCH", project(ws, key)).token(token).json(changes).send().expect(200).json();
    }

    public JsonNode changeVisibility(String ws, String token, String key, String visibility) {
        return updateProject(ws, token, key, Map.of("visibility", visibility));
    }

    public void deleteProject(String ws, String adminToken, String key) {
        command("DELETE", project(ws, key)).token(adminToken).send().expect(204);
    }

    /** PUT .../service-accounts/{saId}: assigns the account or changes its role. */
    public JsonNode assignServiceAccount(String ws, String token, String key, String serviceAccountId, String role) {
        return command("PUT", projectServiceAccount(ws, key, serviceAccountId)).token(token)
                .json(Map.of("role", role)).send().expect(200).json();
    }

    public void unassignServiceAccount(String ws, String token, String key, String serviceAccountId) {
        command("DELETE", projectServiceAccount(ws, key, serviceAccountId)).token(token).send().expect(204);
    }

    /** PUT .../members/{username}: assigns the user or changes its role. */
    public JsonNode assignMember(String ws, String token, String key, String username, String role) {
        return command("PUT", projectMember(ws, key, username)).token(token)
                .json(Map.of("role", role)).send().expect(200).json();
    }

    public void unassignMember(String ws, String token, String key, String username) {
        command("DELETE", projectMember(ws, key, username)).token(token).send().expect(204);
    }

    // ------------------------------------------------------------------ query side

    public Response listServiceAccounts(String ws, String token) {
        return query("GET", serviceAccounts(ws)).token(token).send();
    }

    public Response listServiceAccounts(String ws, String token, String status) {
        return query("GET", serviceAccounts(ws)).param("status", status).token(token).send();
    }

    public Response getServiceAccount(String ws, String token, String id) {
        return query("GET", serviceAccount(ws, id)).token(token).send();
    }

    public Response listTokens(String ws, String token, String id) {
        return query("GET", tokens(ws, id)).token(token).send();
    }

    public Response listFederationRules(String ws, String token, String id) {
        return query("GET", federationRules(ws, id)).token(token).send();
    }

    public Response audit(String ws, String token, Map<String, String> params) {
        Request request = query("GET", audit(ws)).token(token);
        params.forEach(request::param);
        return request.send();
    }

    public Response listMembers(String ws, String token) {
        return query("GET", members(ws)).token(token).send();
    }

    public Response listProjects(String ws, String token) {
        return query("GET", projects(ws)).token(token).send();
    }

    public Response getProject(String ws, String token, String key) {
        return query("GET", project(ws, key)).token(token).send();
    }

    public Response projectServiceAccounts(String ws, String token, String key) {
        return query("GET", projectServiceAccounts(ws, key)).token(token).send();
    }

    public Response projectMembers(String ws, String token, String key) {
        return query("GET", projectMembers(ws, key)).token(token).send();
    }

    public Response projectAccess(String ws, String token, String key) {
        return query("GET", projectAccess(ws, key)).token(token).send();
    }

    /** GET /v1/me: who the token's principal is and its effective role per project. */
    public Response me(String token) {
        return query("GET", "/v1/me").token(token).send();
    }

    /** POST /v1/introspect as {@code callerToken}, form field {@code token}. */
    public Response introspect(String callerToken, String token) {
        return query("POST", "/v1/introspect").token(callerToken).form(Map.of("token", token)).send();
    }

    /** POST /v1/introspect as an introspection client, by HTTP Basic (RFC 6749 §2.3.1: form-urlencoded, base64). */
    public Response introspectAsClient(String clientId, String clientSecret, String token) {
        return query("POST", "/v1/introspect").header("Authorization", basic(clientId, clientSecret))
                .form(Map.of("token", token)).send();
    }

    public static String basic(String clientId, String clientSecret) {
        String pair = java.net.URLEncoder.encode(clientId, java.nio.charset.StandardCharsets.UTF_8) + ":"
                + java.net.URLEncoder.encode(clientSecret, java.nio.charset.StandardCharsets.UTF_8);
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** POST /v1/admin/introspection-clients as the operator; fails unless 201. */
    public JsonNode registerIntrospectionClient(String name) {
        return command("POST", "/v1/admin/introspection-clients").token(operatorToken)
                .json(Map.of("name", name)).send().expect(201).json();
    }

    /** DELETE /v1/admin/introspection-clients/{id} as the operator; fails unless 204. */
    public void revokeIntrospectionClient(String clientId) {
        command("DELETE", "/v1/admin/introspection-clients/" + clientId).token(operatorToken).send().expect(204);
    }

    /** POST /v1/introspect as the operator; fails unless 200. */
    public JsonNode introspect(String token) {
        return introspect(operatorToken, token).expect(200).json();
    }

    /** POST /v1/introspect as the operator for one project, form fields {@code token} and {@code resource}. */
    public Response introspectFor(String token, String resource) {
        return query("POST", "/v1/introspect").token(operatorToken)
                .rawForm("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&resource="
                        + URLEncoder.encode(resource, StandardCharsets.UTF_8)).send();
    }

    /** GET /v1/me?resource=...: the caller's access to one project. */
    public Response me(String token, String resource) {
        return query("GET", "/v1/me").param("resource", resource).token(token).send();
    }

    // ------------------------------------------------------------------ request builder

    public static final class Request {
        private final String base;
        private final String method;
        private final String path;
        private final StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        /** Generous: on two loaded cores a request meeting a JVM's start or a slow hash takes seconds. */
        private Duration timeout = Duration.ofSeconds(60);

        private Request(String base, String method, String path) {
            this.base = base;
            this.method = method;
            this.path = path;
        }

        public Request token(String token) {
            return header("Authorization", "Bearer " + token);
        }

        /** How long the client waits for the answer before it gives up (send throws); 60 s unless told. */
        public Request timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request param(String name, String value) {
            if (value != null) {
                query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
            return this;
        }

        /** A body serialised as JSON (a Map, a JsonNode, a record...). */
        public Request json(Object value) {
            try {
                return rawJson(JSON.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }

        /** A body sent exactly as given, with Content-Type application/json (for malformed input). */
        public Request rawJson(String text) {
            this.body = text;
            headers.putIfAbsent("Content-Type", "application/json");
            return this;
        }

        /** An {@code application/x-www-form-urlencoded} body of these fields, in their iteration order. */
        public Request form(Map<String, String> fields) {
            StringJoiner encoded = new StringJoiner("&");
            fields.forEach((name, value) -> encoded.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8)));
            return rawForm(encoded.toString());
        }

        /** A form body sent exactly as given, with Content-Type application/x-www-form-urlencoded. */
        public Request rawForm(String text) {
            this.body = text;
            headers.putIfAbsent("Content-Type", "application/x-www-form-urlencoded");
            return this;
        }

        public Response send() {
            URI uri = URI.create(base + path + query);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            headers.putIfAbsent("Accept", "application/json, application/problem+json");
            headers.forEach(builder::header);
            try {
                HttpResponse<String> response = HTTP.send(builder.build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Response(method, path + query, response.statusCode(), response.headers(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + uri + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** An empty JSON object to add fields to. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
